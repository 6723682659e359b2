"""What an analysis sees (built from stored messages) and what it leaves behind."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ai.types import AIResult as StepResult
from ai.types import MessageInput, Summary, ThreadInput, Triage
from connectors.types import Provider
from db.enums import TaskStatus
from db.models import Account, AIResult, Message, Organization, Task, Thread
from hub.db_ops import insert_ignoring_conflicts
from hub.errors import NotFound
from hub.events.service import publish_after_commit
from hub.outbox.service import SLACK_THREAD_NOTICE, add_to_outbox
from hub.queue import JobName, enqueue_after_commit
from hub.threads.matching import participants_of

TRIAGE = "triage"
SUMMARY = "summary"


@dataclass(frozen=True)
class AnalysisInput:
    thread_id: uuid.UUID
    org_id: uuid.UUID
    content_hash: str
    thread: ThreadInput
    new_messages: ThreadInput  # what the incremental summary has not seen yet
    previous_summary: str | None
    message_ids: tuple[str, ...]


def load_analysis_input(
    session: Session, thread_id: uuid.UUID, *, prompt_versions: str
) -> AnalysisInput:
    thread = session.get(Thread, thread_id)
    if thread is None:
        raise NotFound(f"thread {thread_id} not found")
    owner = session.get(Account, thread.account_id)
    messages = list(
        session.scalars(
            select(Message)
            .where(Message.thread_id == thread.id)
            .order_by(Message.sent_at, Message.created_at)
        )
    )
    covered, previous = _last_summary(session, thread.id)
    new = [m for m in messages if str(m.id) not in covered]
    return AnalysisInput(
        thread_id=thread.id,
        org_id=thread.org_id,
        content_hash=content_hash(messages, prompt_versions),
        thread=_thread_input(thread, messages, owner),
        new_messages=_thread_input(thread, new, owner),
        previous_summary=previous,
        message_ids=tuple(str(m.id) for m in messages),
    )


def content_hash(messages: Sequence[Message], prompt_versions: str) -> str:
    """Hash of exactly what the steps would read: unchanged means nothing to redo."""
    digest = hashlib.sha256(prompt_versions.encode())
    for message in messages:
        digest.update(json.dumps([message.provider_message_id, message.visible_text]).encode())
    return digest.hexdigest()


def _thread_input(
    thread: Thread, messages: Sequence[Message], owner: Account | None
) -> ThreadInput:
    return ThreadInput(
        subject=thread.subject,
        owner=owner.external_id if owner else "",
        participants=tuple(
            sorted(participants_of((m.sender_email, m.recipients) for m in messages))
        ),
        messages=tuple(
            MessageInput(
                author=m.sender_email or m.sender_name,
                sent_at=m.sent_at,
                text=m.visible_text or m.text,
                auto_signals=tuple(m.auto_signals or ()),
            )
            for m in messages
        ),
    )


def _last_summary(session: Session, thread_id: uuid.UUID) -> tuple[set[str], str | None]:
    row = session.scalars(
        select(AIResult)
        .where(AIResult.thread_id == thread_id, AIResult.step == SUMMARY)
        .order_by(AIResult.created_at.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return set(), None
    return set(row.output.get("covered_message_ids", [])), row.output.get("text")


def already_analyzed(session: Session, thread_id: uuid.UUID, content_hash: str) -> bool:
    """True when the content is unchanged since the last analysis (the request is settled)."""
    thread = session.get(Thread, thread_id)
    if thread is None or thread.analyzed_hash != content_hash:
        return False
    thread.analysis_requested_at = None
    return True


def give_up_analysis(session: Session, thread_id: uuid.UUID) -> None:
    thread = session.get(Thread, thread_id)
    if thread is not None:
        thread.analysis_requested_at = None


def requeue_stale_analyses(session: Session, *, older_than: timedelta, limit: int = 500) -> int:
    """Threads whose analysis job was lost (worker died, broker down) get a new job.

    Organizations over their monthly token budget are left alone until it resets.
    """
    now = datetime.now(UTC)
    stale = session.execute(
        select(Thread.id, Thread.org_id)
        .where(Thread.analysis_requested_at < now - older_than)
        .order_by(Thread.analysis_requested_at)
        .limit(limit)
    ).all()
    blocked = {
        org for org in {row.org_id for row in stale} if month_usage(session, org, now).exceeded
    }
    requeued = [row.id for row in stale if row.org_id not in blocked]
    for thread_id in requeued:
        enqueue_after_commit(session, JobName.ANALYZE_THREAD, thread_id=str(thread_id))
    return len(requeued)


@dataclass(frozen=True)
class MonthUsage:
    month: str
    tokens_in: int
    tokens_out: int
    budget: int | None

    @property
    def exceeded(self) -> bool:
        return self.budget is not None and self.tokens_in + self.tokens_out >= self.budget


def month_usage(session: Session, org_id: uuid.UUID, now: datetime) -> MonthUsage:
    """Tokens the organization's AI results used since the first of this month (UTC)."""
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    tokens_in, tokens_out = session.execute(
        select(
            func.coalesce(func.sum(AIResult.tokens_in), 0),
            func.coalesce(func.sum(AIResult.tokens_out), 0),
        ).where(AIResult.org_id == org_id, AIResult.created_at >= start)
    ).one()
    org = session.get(Organization, org_id)
    budget = org.monthly_token_budget if org is not None else None
    return MonthUsage(start.strftime("%Y-%m"), int(tokens_in), int(tokens_out), budget)


def store_analysis(
    session: Session,
    data: AnalysisInput,
    triage: StepResult[Triage],
    summary: StepResult[Summary],
) -> None:
    """Record both results, project them onto the thread, queue the Slack notice."""
    record_result(
        session,
        org_id=data.org_id,
        thread_id=data.thread_id,
        content_hash=data.content_hash,
        step=TRIAGE,
        result=triage,
        output=triage.output.model_dump(mode="json"),
    )
    summary_output = {
        **summary.output.model_dump(mode="json"),
        "covered_message_ids": list(data.message_ids),
    }
    record_result(
        session,
        org_id=data.org_id,
        thread_id=data.thread_id,
        content_hash=data.content_hash,
        step=SUMMARY,
        result=summary,
        output=summary_output,
    )
    thread = session.get(Thread, data.thread_id)
    assert thread is not None  # loaded in the same flow; threads are never deleted
    thread.category = triage.output.category.value
    thread.priority = triage.output.priority.value
    thread.needs_reply = triage.output.needs_reply
    thread.summary = summary.output.text
    thread.analyzed_hash = data.content_hash
    thread.analysis_requested_at = None
    proposed = _propose_tasks(session, thread, triage.output)
    _queue_notice(session, thread, triage.output, summary.output, proposed)
    publish_after_commit(session, thread.org_id, "thread.analyzed", thread_id=str(thread.id))


def record_result(
    session: Session,
    *,
    org_id: uuid.UUID,
    thread_id: uuid.UUID,
    step: str,
    content_hash: str,
    result: StepResult[Any],
    output: dict[str, object],
) -> None:
    """Store one step's output with its cost; the same content is recorded once."""
    session.execute(
        insert_ignoring_conflicts(
            session,
            AIResult,
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "thread_id": thread_id,
                "step": step,
                "content_hash": content_hash,
                "model": result.model,
                "prompt_version": result.prompt_version,
                "tokens_in": result.usage.tokens_in,
                "tokens_out": result.usage.tokens_out,
                "output": output,
            },
            conflict_on=["thread_id", "step", "content_hash"],
        )
    )


def _propose_tasks(session: Session, thread: Thread, triage: Triage) -> list[tuple[str, str]]:
    """Extracted tasks wait for the user's approval; nothing is created remotely here.

    Returns the thread's tasks still waiting for a decision, as (id, title).
    """
    known = set(session.scalars(select(Task.title).where(Task.thread_id == thread.id)))
    for draft in triage.tasks:
        if draft.title not in known:
            session.add(
                Task(
                    id=uuid.uuid4(),
                    org_id=thread.org_id,
                    thread_id=thread.id,
                    title=draft.title,
                    due=draft.due,
                    assignee=draft.assignee,
                )
            )
    session.flush()
    waiting = session.execute(
        select(Task.id, Task.title)
        .where(Task.thread_id == thread.id, Task.status == TaskStatus.PROPOSED)
        .order_by(Task.created_at)
    ).tuples()
    return [(str(task_id), title) for task_id, title in waiting]


def _queue_notice(
    session: Session,
    thread: Thread,
    triage: Triage,
    summary: Summary,
    tasks: list[tuple[str, str]],
) -> None:
    org = session.get(Organization, thread.org_id)
    if org is None or not org.slack_channel_id:
        return
    owner = session.get(Account, thread.account_id)
    if owner is not None and owner.provider == Provider.SLACK:
        return  # the conversation is in Slack already; its tasks are offered in the API
    latest = session.execute(
        select(Message.sender_name, Message.sender_email)
        .where(Message.thread_id == thread.id)
        .order_by(Message.sent_at.desc())
        .limit(1)
    ).first()
    sender = f"{latest.sender_name} <{latest.sender_email}>".strip() if latest else ""
    add_to_outbox(
        session,
        org_id=thread.org_id,
        kind=SLACK_THREAD_NOTICE,
        idempotency_key=f"{SLACK_THREAD_NOTICE}:{thread.id}:{thread.analyzed_hash}",
        payload={
            "channel": org.slack_channel_id,
            "thread_id": str(thread.id),
            "notice": {
                "subject": thread.subject,
                "sender": sender,
                "summary": summary.text,
                "category": triage.category.value,
                "priority": triage.priority.value,
                "needs_reply": triage.needs_reply,
                "tasks": tasks,
                # The notice goes out for mail threads only (Slack ones are in Slack).
                "draft_reply_for": str(thread.id) if triage.needs_reply else "",
            },
        },
    )
