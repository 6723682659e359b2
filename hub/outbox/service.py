"""The outbox: rows written in the same transaction as the change that caused them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from connectors.types import Provider
from db.enums import AccountStatus, OutboxStatus
from db.models import Account, Outbox
from hub.db_ops import insert_ignoring_conflicts
from hub.queue import JobName, enqueue_after_commit

SLACK_THREAD_NOTICE = "slack.thread_notice"
SLACK_THREAD_REPLY = "slack.thread_reply"  # the app answering a mention, in its thread
TASK_CREATE = "task.create"
MAIL_DRAFT = "mail.draft"  # a reply kept in the mailbox's drafts, never sent by the hub
MAX_ATTEMPTS = 10
MAX_ERROR_CHARS = 2000


def add_to_outbox(
    session: Session, *, org_id: uuid.UUID, kind: str, idempotency_key: str, payload: dict[str, Any]
) -> uuid.UUID | None:
    """Queue something to send; the same idempotency key is only ever queued once."""
    row_id = session.execute(
        insert_ignoring_conflicts(
            session,
            Outbox,
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "kind": kind,
                "idempotency_key": idempotency_key,
                "payload": payload,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": datetime.now(UTC),
            },
            conflict_on=["idempotency_key"],
        ).returning(Outbox.id)
    ).scalar_one_or_none()
    if row_id is not None:
        enqueue_after_commit(session, JobName.DELIVER, outbox_id=str(row_id))
    return row_id


def claim(session: Session, outbox_id: uuid.UUID, *, now: datetime) -> Outbox | None:
    """Move a due pending row to sending; None when it is not ours to send (now)."""
    claimed = session.execute(
        update(Outbox)
        .where(
            Outbox.id == outbox_id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.next_attempt_at <= now,
        )
        .values(status=OutboxStatus.SENDING, attempts=Outbox.attempts + 1, updated_at=now)
        .returning(Outbox.id)
    ).scalar_one_or_none()
    return None if claimed is None else session.get(Outbox, outbox_id)


def seconds_until_due(session: Session, outbox_id: uuid.UUID, *, now: datetime) -> float | None:
    """For a pending row that is not due yet, how long until it is; otherwise None."""
    row = session.get(Outbox, outbox_id)
    if row is None or row.status != OutboxStatus.PENDING or row.next_attempt_at <= now:
        return None
    return (row.next_attempt_at - now).total_seconds()


def workspace_token(session: Session, org_id: uuid.UUID, provider: Provider) -> str | None:
    account = session.scalars(
        select(Account).where(
            Account.org_id == org_id,
            Account.provider == str(provider),
            Account.status == AccountStatus.ACTIVE,
        )
    ).first()
    return account.access_token if account else None


def mark_sent(session: Session, outbox_id: uuid.UUID, remote_id: str) -> None:
    now = datetime.now(UTC)
    session.execute(
        update(Outbox)
        .where(Outbox.id == outbox_id)
        .values(
            status=OutboxStatus.SENT,
            remote_id=remote_id,
            sent_at=now,
            last_error=None,
            outcome_unknown=False,
        )
    )


def mark_retry(
    session: Session, outbox_id: uuid.UUID, reason: str, *, after: float, outcome_unknown: bool
) -> bool:
    """Back to pending after a delay; False (and failed) once attempts run out.

    outcome_unknown: the provider may have acted on the attempt (timeout, 5xx), so the
    next attempt looks for the result before sending again.
    """
    row = session.get(Outbox, outbox_id)
    if row is None:
        return False
    row.last_error = reason[:MAX_ERROR_CHARS]
    row.outcome_unknown = row.outcome_unknown or outcome_unknown
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
        return False
    row.status = OutboxStatus.PENDING
    row.next_attempt_at = datetime.now(UTC) + timedelta(seconds=after)
    return True


def mark_failed(session: Session, outbox_id: uuid.UUID, reason: str) -> None:
    session.execute(
        update(Outbox)
        .where(Outbox.id == outbox_id)
        .values(status=OutboxStatus.FAILED, last_error=reason[:MAX_ERROR_CHARS])
    )


def requeue_due(session: Session, *, stuck_after: timedelta, limit: int = 500) -> int:
    """Re-publish due pending rows and rows stuck in sending (a worker died mid-send)."""
    now = datetime.now(UTC)
    session.execute(
        update(Outbox)
        .where(Outbox.status == OutboxStatus.SENDING, Outbox.updated_at < now - stuck_after)
        .values(status=OutboxStatus.PENDING, outcome_unknown=True)  # died mid-send
    )
    due = session.scalars(
        select(Outbox.id)
        .where(
            Outbox.status == OutboxStatus.PENDING,
            or_(Outbox.next_attempt_at <= now - timedelta(seconds=30)),
        )
        .limit(limit)
    ).all()
    for outbox_id in due:
        enqueue_after_commit(session, JobName.DELIVER, outbox_id=str(outbox_id))
    return len(due)
