"""GET /api/v1/threads and /api/v1/threads/{id}: the caller's organization only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from hub.analysis.flows import draft_reply
from hub.deps import CurrentPrincipal, RuntimeDep, SessionDep
from hub.threads import service
from hub.threads.schemas import (
    DraftOut,
    DraftRequest,
    MessageOut,
    ThreadDetail,
    ThreadOut,
    ThreadPage,
)

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


@router.post("/{thread_id}/draft-reply", response_model=DraftOut)
def create_draft_reply(
    thread_id: uuid.UUID, request: DraftRequest, principal: CurrentPrincipal, rt: RuntimeDep
) -> DraftOut:
    """Draft a reply with the organization's company context. Nothing is sent."""
    draft = draft_reply(
        thread_id, org_id=principal.org_id, instructions=request.instructions, rt=rt
    )
    return DraftOut(
        body=draft.output.body,
        cited_context_ids=draft.output.cited_context_ids,
        model=draft.model,
        tokens_in=draft.usage.tokens_in,
        tokens_out=draft.usage.tokens_out,
    )
