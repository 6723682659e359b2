"""A small time-bounded memory of who people and channels are in Slack.

Every ingested message needs its author's and mentioned people's names and its
channel's name; asking users.info and conversations.info each time would spend the
workspace's rate budget on answers that rarely change. Entries live for an hour and
the oldest are dropped beyond a bound. (cachetools would do; one dict is enough here.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")

TTL_SECONDS = 3600.0
MAX_ENTRIES = 10_000


class TimedCache(Generic[V]):
    def __init__(
        self,
        *,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: dict[tuple[str, str], tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < self._clock():
                del self._entries[key]
                return None
            return entry[1]

    def put(self, key: tuple[str, str], value: V) -> None:
        with self._lock:
            self._entries.pop(key, None)
            if len(self._entries) >= self._max:
                del self._entries[next(iter(self._entries))]  # insertion order: the oldest
            self._entries[key] = (self._clock() + self._ttl, value)
