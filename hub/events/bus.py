"""The live event stream's transport: Redis pub/sub, or in-process fan-out when embedded.

Events are small JSON objects naming what changed (a thread id and a kind), never
message bodies; the extension fetches details through the REST API.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

QUEUE_LIMIT = 1000


def channel_for(org_id: uuid.UUID) -> str:
    return f"events:{org_id}"


class EventBus(Protocol):
    def publish(self, org_id: uuid.UUID, event: dict[str, Any]) -> None: ...

    def subscribe(
        self, org_id: uuid.UUID
    ) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]: ...


class RedisEventBus:
    def __init__(self, redis: Redis, url: str) -> None:
        self._redis = redis
        self._url = url

    def publish(self, org_id: uuid.UUID, event: dict[str, Any]) -> None:
        self._redis.publish(channel_for(org_id), json.dumps(event))

    @asynccontextmanager
    async def subscribe(self, org_id: uuid.UUID) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        client: AsyncRedis = AsyncRedis.from_url(self._url)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(channel_for(org_id))

        async def events() -> AsyncIterator[dict[str, Any]]:
            async for message in pubsub.listen():
                yield json.loads(message["data"])

        try:
            yield events()
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            await client.aclose()


_Subscriber = tuple[asyncio.AbstractEventLoop, "asyncio.Queue[dict[str, Any]]"]


class LocalEventBus:
    """Fan-out to the subscribers of this process; publishers may be job threads."""

    def __init__(self) -> None:
        self._subscribers: dict[uuid.UUID, set[_Subscriber]] = {}
        self._lock = threading.Lock()

    def publish(self, org_id: uuid.UUID, event: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._subscribers.get(org_id, ()))
        for loop, queue in targets:
            loop.call_soon_threadsafe(_offer, queue, event)

    @asynccontextmanager
    async def subscribe(self, org_id: uuid.UUID) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.setdefault(org_id, set()).add(entry)

        async def events() -> AsyncIterator[dict[str, Any]]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            with self._lock:
                self._subscribers.get(org_id, set()).discard(entry)


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    # A subscriber that stopped reading loses events rather than growing without bound.
    if not queue.full():
        queue.put_nowait(event)
