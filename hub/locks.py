"""Per-account locks, so a burst of pushes for one mailbox syncs it once at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from redis import Redis

from hub.errors import RetryLater


class Locks(Protocol):
    def hold(self, key: str, *, wait_seconds: float) -> AbstractContextManager[None]: ...


class RedisLocks:
    """Redis locks expire on their own, so a killed worker never wedges an account."""

    def __init__(self, redis: Redis, *, expire_seconds: float = 300) -> None:
        self._redis = redis
        self._expire = expire_seconds

    @contextmanager
    def hold(self, key: str, *, wait_seconds: float) -> Iterator[None]:
        lock = self._redis.lock(f"lock:{key}", timeout=self._expire, blocking_timeout=wait_seconds)
        if not lock.acquire():
            raise RetryLater(f"lock {key} busy")
        try:
            yield
        finally:
            lock.release()


class LocalLocks:
    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, key: str, *, wait_seconds: float) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        if not lock.acquire(timeout=wait_seconds):
            raise RetryLater(f"lock {key} busy")
        try:
            yield
        finally:
            lock.release()
