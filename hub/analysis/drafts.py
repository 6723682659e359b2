"""Reply drafts on request: what the reply step reads, and the record of each draft."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai.steps import reply as reply_step
from ai.types import AIResult as StepResult
from ai.types import ContextEntry, ContextKind, ReplyDraft, ThreadInput
from db.models import Account, CompanyContext, Message
from hub.analysis.service import load_analysis_input, record_result
from hub.threads.service import get_thread

REPLY_DRAFT = "reply_draft"
STYLE_EXAMPLES = 3


@dataclass(frozen=True)
class DraftInput:
    thread_id: uuid.UUID
    org_id: uuid.UUID
    thread: ThreadInput
    context: tuple[ContextEntry, ...]
    style_examples: tuple[str, ...]
    content_hash: str


def load_draft_input(
    session: Session, org_id: uuid.UUID, thread_id: uuid.UUID, *, instructions: str | None
) -> DraftInput:
    thread = get_thread(session, org_id, thread_id)  # NotFound across organizations
    data = load_analysis_input(session, thread.id, prompt_versions=reply_step.PROMPT_VERSION)
    context = tuple(
        ContextEntry(id=str(c.id), kind=ContextKind(c.kind), title=c.title, body=c.body)
        for c in session.scalars(
            select(CompanyContext)
            .where(CompanyContext.org_id == org_id)
            .order_by(CompanyContext.id)
        )
    )
    owner = session.get(Account, thread.account_id)
    style = tuple(
        session.scalars(
            select(Message.visible_text)
            .where(
                Message.org_id == org_id,
                Message.sender_email == (owner.external_id if owner else ""),
                Message.visible_text != "",
            )
            .order_by(Message.sent_at.desc())
            .limit(STYLE_EXAMPLES)
        )
    )
    digest = hashlib.sha256(
        json.dumps(
            [data.content_hash, instructions, [c.model_dump() for c in context], style]
        ).encode()
    ).hexdigest()
    return DraftInput(thread.id, org_id, data.thread, context, style, digest)


def record_draft(session: Session, data: DraftInput, draft: StepResult[ReplyDraft]) -> None:
    record_result(
        session,
        org_id=data.org_id,
        thread_id=data.thread_id,
        step=REPLY_DRAFT,
        content_hash=data.content_hash,
        result=draft,
        output=draft.output.model_dump(mode="json"),
    )
