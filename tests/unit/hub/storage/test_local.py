"""LocalStore, the embedded default, on a temporary directory."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from hub.storage.local import LocalStore
from hub.storage.store import InvalidKey, ObjectNotFound, StorageError, key_for
from tests.unit.hub.storage.generated import (
    MB,
    generated_sha256,
    generated_stream,
    stream_sha256,
)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "objects")


def _all_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_same_bytes_same_key_different_bytes_different_key(store: LocalStore) -> None:
    first = store.put_bytes(b"report.pdf contents", content_type="application/pdf")
    again = store.put_stream(io.BytesIO(b"report.pdf contents"), content_type="application/pdf")
    other = store.put_bytes(b"report.pdf contents!", content_type="application/pdf")

    assert first == again
    assert first.sha256 == hashlib.sha256(b"report.pdf contents").hexdigest()
    assert first.key == key_for(first.sha256)
    assert first.size == len(b"report.pdf contents")
    assert other.key != first.key
    assert (store.root / first.key).read_bytes() == b"report.pdf contents"


def test_a_second_put_of_the_same_content_writes_nothing(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = store.put_bytes(b"attachment", content_type="text/plain")
    before = (store.root / stored.key).stat()
    writes: list[str] = []
    original = LocalStore._write

    def counting_write(self: LocalStore, key: str, *args: Any, **kwargs: Any) -> None:
        writes.append(key)
        original(self, key, *args, **kwargs)

    monkeypatch.setattr(LocalStore, "_write", counting_write)
    assert store.put_stream(io.BytesIO(b"attachment"), content_type="text/plain") == stored
    assert writes == []
    after = (store.root / stored.key).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_open_exists_delete(store: LocalStore) -> None:
    stored = store.put_bytes(b"raw message", content_type="message/rfc822")
    assert store.exists(stored.key)
    with store.open(stored.key) as reader:
        assert reader.read() == b"raw message"

    store.delete(stored.key)
    assert not store.exists(stored.key)
    with pytest.raises(ObjectNotFound):
        store.open(stored.key)
    store.delete(stored.key)  # idempotent


def test_keys_outside_the_layout_never_reach_the_filesystem(store: LocalStore) -> None:
    for call in (store.open, store.exists, store.delete):
        with pytest.raises(InvalidKey):
            call("sha256/../../../etc/passwd")


def test_iter_keys_lists_objects_and_skips_debris(store: LocalStore) -> None:
    keys = sorted(store.put_bytes(bytes([n]), content_type="x/y").key for n in range(5))
    stray_dir = store.root / keys[0].rsplit("/", 1)[0]
    (stray_dir / ".incoming-abandoned").write_bytes(b"half")
    (stray_dir / "README").write_text("not an object")

    assert list(store.iter_keys()) == keys
    prefix = keys[0][: len("sha256/ab/")]
    assert list(store.iter_keys(prefix)) == [key for key in keys if key.startswith(prefix)]
    assert list(LocalStore(store.root / "missing").iter_keys()) == []


def test_write_renames_a_temp_file_from_the_same_directory(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[Path, Path, bool]] = []
    real_replace = os.replace

    def spying_replace(src: str, dst: Path) -> None:
        renames.append((Path(src), Path(dst), Path(dst).exists()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spying_replace)
    stored = store.put_bytes(b"atomic", content_type="text/plain")

    [(src, dst, existed)] = renames
    assert dst == store.root / stored.key
    assert src.parent == dst.parent  # same filesystem, so the rename is atomic
    assert not existed  # the object appeared only by the rename
    assert _all_files(store.root) == [dst]


def test_a_failed_write_leaves_neither_object_nor_temp_file(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(StorageError):
        store.put_bytes(b"doomed", content_type="text/plain")

    assert _all_files(store.root) == []
    assert not store.exists(key_for(hashlib.sha256(b"doomed").hexdigest()))


def test_an_interrupted_write_cleans_up_too(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: str, dst: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.put_bytes(b"interrupted", content_type="text/plain")
    assert _all_files(store.root) == []


def test_a_25_mb_message_streams_through_in_bounded_memory(store: LocalStore) -> None:
    size = 25 * MB
    tracemalloc.start()
    try:
        stored = store.put_stream(generated_stream(size), content_type="message/rfc822")
        with store.open(stored.key) as reader:
            read_back = stream_sha256(reader)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.size == size
    assert stored.sha256 == generated_sha256(size)
    assert read_back == (stored.sha256, size)
    assert peak < 8 * MB, f"peak traced memory {peak / MB:.1f} MB for a {size / MB:.0f} MB body"
