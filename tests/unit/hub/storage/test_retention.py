"""The retention cutoff and the purge loop, against an in-memory store."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import BinaryIO

import pytest

from hub.storage.retention import PurgeResult, purge, retention_cutoff
from hub.storage.store import (
    KEY_PREFIX,
    ContentAddressedStore,
    ObjectNotFound,
    Spooled,
    StorageError,
    validate_key,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class MemoryStore(ContentAddressedStore):
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.broken: set[str] = set()

    def exists(self, key: str) -> bool:
        return validate_key(key) in self.objects

    def _write(self, key: str, spooled: Spooled, *, content_type: str) -> None:
        self.objects[key] = spooled.file.read()

    def open(self, key: str) -> BinaryIO:
        if validate_key(key) not in self.objects:
            raise ObjectNotFound(key)
        return io.BytesIO(self.objects[key])

    def delete(self, key: str) -> None:
        if validate_key(key) in self.broken:
            raise StorageError("backend down")
        self.objects.pop(key, None)

    def iter_keys(self, prefix: str = KEY_PREFIX) -> Iterator[str]:
        return iter(sorted(key for key in self.objects if key.startswith(prefix)))


def test_zero_days_keeps_everything() -> None:
    assert retention_cutoff(0, NOW) is None


def test_cutoff_is_n_days_before_now() -> None:
    assert retention_cutoff(30, NOW) == NOW - timedelta(days=30)
    other_zone = NOW.astimezone(timezone(timedelta(hours=5)))
    assert retention_cutoff(1, other_zone) == NOW - timedelta(days=1)


def test_cutoff_rejects_negative_days_and_naive_time() -> None:
    with pytest.raises(ValueError, match="retention_days"):
        retention_cutoff(-1, NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        retention_cutoff(7, NOW.replace(tzinfo=None))


def test_purge_deletes_expired_keys_and_spares_shared_ones() -> None:
    store = MemoryStore()
    old = store.put_bytes(b"old raw body", content_type="message/rfc822").key
    shared = store.put_bytes(b"logo.png", content_type="image/png").key
    fresh = store.put_bytes(b"new raw body", content_type="message/rfc822").key

    result = purge(store, [old, shared, old], keep={shared})

    assert result == PurgeResult(deleted=1, kept=1, failed=0)
    assert sorted(store.objects) == sorted([shared, fresh])


def test_purge_counts_failures_and_carries_on() -> None:
    store = MemoryStore()
    keys = [store.put_bytes(bytes([n]), content_type="x/y").key for n in range(3)]
    store.broken.add(keys[1])
    already_gone = keys[2]
    store.delete(already_gone)

    result = purge(store, [*keys, "not/a/key"])

    assert result == PurgeResult(deleted=2, kept=0, failed=2, failed_keys=(keys[1], "not/a/key"))
    assert list(store.objects) == [keys[1]]
