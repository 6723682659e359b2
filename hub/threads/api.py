"""GET /api/v1/threads and /api/v1/threads/{id}: the caller's organization only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from hub.deps import CurrentPrincipal, SessionDep
from hub.threads import service
from hub.threads.schemas import MessageOut, ThreadDetail, ThreadOut, ThreadPage

router = APIRouter(prefix="/api/v1/threads", tags=["threads"])


@router.get("", response_model=ThreadPage)
def list_threads(
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: datetime | None = None,
) -> ThreadPage:
    threads = service.list_threads(session, principal.org_id, limit=limit, before=before)
    next_before = threads[-1].last_message_at if len(threads) == limit else None
    return ThreadPage(items=[ThreadOut.model_validate(t) for t in threads], next_before=next_before)


@router.get("/{thread_id}", response_model=ThreadDetail)
def get_thread(
    thread_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> ThreadDetail:
    thread = service.get_thread(session, principal.org_id, thread_id)
    messages = service.thread_messages(session, thread)
    return ThreadDetail(
        **ThreadOut.model_validate(thread).model_dump(),
        messages=[MessageOut.model_validate(m) for m in messages],
    )
