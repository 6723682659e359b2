"""deliver: send one outbox row (a Slack notice or answer, a ClickUp or Notion task),
record the remote id; retries honor Retry-After.

Each send carries the row's id as a marker (Slack message metadata, a line in the task).
When an attempt may have gone through unanswered (timeout, 5xx, a worker killed
mid-send), the next one first asks the provider for what carries the marker, so a lost
answer never turns into a second message or task.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.orm import Session

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.mail.types import Address
from connectors.slack.notice import render_mention_answer, render_thread_notice
from connectors.types import (
    MailDraft,
    MentionAnswer,
    Provider,
    RemoteTask,
    TaskDraft,
    ThreadNotice,
)
from hub.celery_app import backoff_seconds
from hub.connections.flows import mailbox_access
from hub.errors import RetryLater
from hub.outbox import service
from hub.tasks import service as tasks
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

STUCK_AFTER = timedelta(minutes=5)


# The providers' clocks are not ours: look a little before the row was queued.
CLOCK_SLACK = timedelta(minutes=2)


@dataclass(frozen=True)
class _Delivery:
    """One claimed row, read out of its transaction; marker tags what it creates."""

    outbox_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    token: str
    attempts: int
    outcome_unknown: bool
    queued_at: datetime

    @property
    def marker(self) -> str:
        return str(self.outbox_id)


def deliver(outbox_id: uuid.UUID, *, rt: Runtime) -> None:
    with rt.sessions.begin() as session:
        now = datetime.now(UTC)
        row = service.claim(session, outbox_id, now=now)
        if row is None:
            wait = service.seconds_until_due(session, outbox_id, now=now)
            if wait is not None:  # a retry that woke early: sleep again, never send early
                raise RetryLater("not due yet", after=wait)
            return
        kind, payload = row.kind, dict(row.payload)
        provider = _provider_for(kind, payload)
        if provider is None:
            _fail(session, outbox_id, kind, payload, f"unknown outbox kind {kind!r}")
            return
        # A draft goes to its own mailbox, with that mailbox's token (refreshed later).
        token = (
            ""
            if kind == service.MAIL_DRAFT
            else service.workspace_token(session, row.org_id, provider)
        )
        if token is None:
            _fail(session, outbox_id, kind, payload, f"no connected {provider} account")
            return
        job = _Delivery(
            outbox_id, kind, payload, token, row.attempts, row.outcome_unknown, row.created_at
        )
    try:
        remote = _find(rt, job) if job.outcome_unknown else None
        if remote is None:
            remote = _send(rt, job)
        else:
            log.info("outbox.found_after_unknown_outcome", outbox_id=str(outbox_id), kind=kind)
    except (RateLimited, ProviderUnavailable) as exc:
        after = exc.retry_after if isinstance(exc, RateLimited) else None
        # A 429 was refused before anything happened; a timeout or 5xx may have gone through.
        unknown = isinstance(exc, ProviderUnavailable)
        _retry_later(rt, job, exc, after=after or backoff_seconds(job.attempts), unknown=unknown)
        return
    except (AuthExpired, ConnectorError) as exc:
        with rt.sessions.begin() as session:
            _fail(session, outbox_id, kind, payload, f"{type(exc).__name__}: {exc}")
        log.warning("outbox.failed", outbox_id=str(outbox_id), error_type=type(exc).__name__)
        return
    with rt.sessions.begin() as session:
        service.mark_sent(session, outbox_id, remote.remote_id)
        if kind == service.TASK_CREATE:
            tasks.mark_created(session, uuid.UUID(payload["task_id"]), remote)
    log.info("outbox.sent", outbox_id=str(outbox_id), kind=kind)


def _provider_for(kind: str, payload: dict[str, Any]) -> Provider | None:
    if kind in (service.SLACK_THREAD_NOTICE, service.SLACK_THREAD_REPLY):
        return Provider.SLACK
    if kind == service.MAIL_DRAFT and payload.get("provider") in (Provider.GMAIL, Provider.OUTLOOK):
        return Provider(payload["provider"])
    if kind == service.TASK_CREATE and payload.get("destination") in tasks.TASK_TOOLS:
        return Provider(payload["destination"])
    return None


def _task_draft(job: _Delivery) -> TaskDraft:
    draft = job.payload["draft"]
    due = draft.get("due")
    return TaskDraft(
        title=draft["title"],
        notes=draft.get("notes", ""),
        due=date.fromisoformat(due) if due else None,
        link=draft.get("link"),
        priority=draft.get("priority"),
        marker=job.marker,
    )


def _send(rt: Runtime, job: _Delivery) -> RemoteTask:
    """The provider call for one row, outside any transaction."""
    payload = job.payload
    if job.kind == service.MAIL_DRAFT:
        return _save_draft(rt, job)
    if job.kind == service.TASK_CREATE:
        sink = rt.registry.task_sink(Provider(payload["destination"]))
        return sink.create_task(job.token, target=payload["target"], task=_task_draft(job))
    if job.kind == service.SLACK_THREAD_REPLY:
        message = render_mention_answer(MentionAnswer(**payload["answer"]))
    else:
        message = render_thread_notice(ThreadNotice(**payload["notice"]))
    ts = rt.registry.chat_sink(Provider.SLACK).post_message(
        job.token,
        channel=payload["channel"],
        message=message,
        thread_ts=payload.get("thread_ts"),
        marker=job.marker,
    )
    return RemoteTask(remote_id=ts)


def _find(rt: Runtime, job: _Delivery) -> RemoteTask | None:
    """What an attempt with an unknown outcome created, found by the row's marker.

    A draft is not looked for: a second copy in the owner's drafts is visible and
    harmless, unlike a second message in a channel or a second task.
    """
    payload = job.payload
    if job.kind == service.MAIL_DRAFT:
        return None
    if job.kind == service.TASK_CREATE:
        sink = rt.registry.task_sink(Provider(payload["destination"]))
        return sink.find_task(
            job.token,
            target=payload["target"],
            task=_task_draft(job),
            since=job.queued_at - CLOCK_SLACK,
        )
    ts = rt.registry.chat_sink(Provider.SLACK).find_message(
        job.token,
        channel=payload["channel"],
        marker=job.marker,
        since=job.queued_at - CLOCK_SLACK,
        thread_ts=payload.get("thread_ts"),
    )
    return RemoteTask(remote_id=ts) if ts else None


def _save_draft(rt: Runtime, job: _Delivery) -> RemoteTask:
    access = mailbox_access(uuid.UUID(job.payload["account_id"]), rt=rt)
    if access is None:
        raise ConnectorError("the mailbox is no longer connected")
    fields = job.payload["draft"]
    draft = MailDraft(
        **{
            **fields,
            "references": tuple(fields["references"]),
            "to": tuple(Address(**a) for a in fields["to"]),
            "cc": tuple(Address(**a) for a in fields["cc"]),
        }
    )
    sink = rt.registry.draft_sink(access.provider)
    draft_id = sink.save_draft(access.credentials, account=access.address, draft=draft)
    return RemoteTask(remote_id=draft_id)


def _fail(
    session: Session, outbox_id: uuid.UUID, kind: str, payload: dict[str, Any], reason: str
) -> None:
    service.mark_failed(session, outbox_id, reason)
    if kind == service.TASK_CREATE:
        tasks.mark_failed(session, uuid.UUID(payload["task_id"]))


def _retry_later(
    rt: Runtime, job: _Delivery, exc: ConnectorError, *, after: float, unknown: bool
) -> None:
    with rt.sessions.begin() as session:
        will_retry = service.mark_retry(
            session,
            job.outbox_id,
            f"{type(exc).__name__}: {exc}",
            after=after,
            outcome_unknown=unknown,
        )
    if will_retry:
        raise RetryLater(str(exc), after=after) from exc
    log.warning("outbox.gave_up", outbox_id=str(job.outbox_id))


def sweep_outbox(*, rt: Runtime) -> int:
    with rt.sessions.begin() as session:
        count = service.requeue_due(session, stuck_after=STUCK_AFTER)
    if count:
        log.info("outbox.swept", count=count)
    return count
