"""/api/v1/threads: list, read, draft a reply and keep it in the mailbox; the caller's
organization only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from db.models import Outbox
from hub.analysis.flows import draft_reply
from hub.deps import CurrentPrincipal, RuntimeDep, SessionDep
from hub.threads import replies, service
from hub.threads.schemas import (
    DraftOut,
    DraftRequest,
    MessageOut,
    SavedDraftOut,
    SaveDraftIn,
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


@router.post("/{thread_id}/drafts", response_model=SavedDraftOut, status_code=202)
def save_draft(
    thread_id: uuid.UUID, request: SaveDraftIn, session: SessionDep, principal: CurrentPrincipal
) -> SavedDraftOut:
    """Keep the reply in the mailbox's drafts, in this thread, for the owner to send."""
    queued = replies.queue_mail_draft(session, principal.org_id, thread_id, request.body)
    return _saved(replies.saved_draft(session, principal.org_id, queued.outbox_id))


@router.get("/{thread_id}/drafts", response_model=list[SavedDraftOut])
def list_saved_drafts(
    thread_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[SavedDraftOut]:
    service.get_thread(session, principal.org_id, thread_id)
    return [_saved(row) for row in replies.saved_drafts(session, principal.org_id, thread_id)]


def _saved(row: Outbox) -> SavedDraftOut:
    return SavedDraftOut(
        id=row.id,
        status=str(row.status),
        draft_id=row.remote_id,
        error=row.last_error,
        created_at=row.created_at,
    )
