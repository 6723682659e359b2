"""GET /api/v1/events/stream: server-sent events of the caller's organization."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from hub.deps import CurrentPrincipal, RuntimeDep
from hub.events.bus import EventBus

router = APIRouter(prefix="/api/v1/events", tags=["events"])

KEEPALIVE_SECONDS = 15.0


@router.get("/stream", response_class=StreamingResponse)
async def stream_events(
    request: Request, principal: CurrentPrincipal, rt: RuntimeDep
) -> StreamingResponse:
    return StreamingResponse(
        _frames(request, rt.events, principal.org_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(request: Request, bus: EventBus, org_id: uuid.UUID) -> AsyncIterator[str]:
    async with bus.subscribe(org_id) as events:
        yield ": connected\n\n"
        iterator = aiter(events)
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(anext(iterator), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            yield f"event: {event.get('type', 'message')}\ndata: {json.dumps(event)}\n\n"
