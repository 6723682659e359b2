"""Content addressing and spooling, independent of any backend."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from pathlib import Path

import pytest

from hub.storage.store import InvalidKey, key_for, spool, validate_key
from tests.unit.hub.storage.generated import MB, generated_sha256, generated_stream

DIGEST = hashlib.sha256(b"hello").hexdigest()


def test_key_layout_fans_out_by_the_digest() -> None:
    assert key_for(DIGEST) == f"sha256/{DIGEST[:2]}/{DIGEST[2:4]}/{DIGEST}"


@pytest.mark.parametrize(
    "key",
    [
        "sha256/../../etc/passwd",
        f"sha256/00/00/{DIGEST}",  # fan-out must match the digest
        f"sha256/{DIGEST[:2]}/{DIGEST[2:4]}/{DIGEST.upper()}",
        f"/sha256/{DIGEST[:2]}/{DIGEST[2:4]}/{DIGEST}",
        f"sha256/{DIGEST[:2]}/{DIGEST[2:4]}/{DIGEST}/x",
        "",
    ],
)
def test_foreign_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidKey):
        validate_key(key)


def test_spool_hashes_counts_and_rewinds() -> None:
    data = b"x" * 1_000_003
    with spool(io.BytesIO(data)) as spooled:
        assert spooled.sha256 == hashlib.sha256(data).hexdigest()
        assert spooled.size == len(data)
        assert spooled.file.read() == data


def test_small_objects_spool_in_memory_and_large_ones_on_disk() -> None:
    with spool(io.BytesIO(b"small"), memory_limit=10) as spooled:
        assert spooled.path is None
        assert spooled.file.read() == b"small"

    data = bytes(range(256)) * 100
    with spool(io.BytesIO(data), memory_limit=1000) as spooled:
        assert spooled.path is not None
        path = Path(spooled.path)
        assert path.read_bytes() == data  # re-openable by name, as boto3 does
        assert spooled.file.read() == data
    assert not path.exists()


def test_spool_of_an_empty_stream() -> None:
    with spool(io.BytesIO(b"")) as spooled:
        assert spooled.sha256 == hashlib.sha256(b"").hexdigest()
        assert spooled.size == 0


def test_a_25_mb_stream_is_spooled_to_disk_not_memory() -> None:
    size = 25 * MB
    tracemalloc.start()
    try:
        with spool(generated_stream(size)) as spooled:
            sha256, spooled_size = spooled.sha256, spooled.size
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert spooled_size == size
    assert sha256 == generated_sha256(size)
    assert peak < 4 * MB, f"peak traced memory {peak / MB:.1f} MB"
