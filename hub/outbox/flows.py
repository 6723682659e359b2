"""deliver: send one outbox row (a Slack notice or answer, a ClickUp or Notion task),
record the remote id; retries honor Retry-After."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.orm import Session

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.slack.notice import render_mention_answer, render_thread_notice
from connectors.types import MentionAnswer, Provider, RemoteTask, TaskDraft, ThreadNotice
from hub.celery_app import backoff_seconds
from hub.errors import RetryLater
from hub.outbox import service
from hub.tasks import service as tasks
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

STUCK_AFTER = timedelta(minutes=5)


def deliver(outbox_id: uuid.UUID, *, rt: Runtime) -> None:
    with rt.sessions.begin() as session:
        now = datetime.now(UTC)
        row = service.claim(session, outbox_id, now=now)
        if row is None:
            wait = service.seconds_until_due(session, outbox_id, now=now)
            if wait is not None:  # a retry that woke early: sleep again, never send early
                raise RetryLater("not due yet", after=wait)
            return
        kind, payload, attempts = row.kind, dict(row.payload), row.attempts
        provider = _provider_for(kind, payload)
        if provider is None:
            _fail(session, outbox_id, kind, payload, f"unknown outbox kind {kind!r}")
            return
        token = service.workspace_token(session, row.org_id, provider)
        if token is None:
            _fail(session, outbox_id, kind, payload, f"no connected {provider} account")
            return
    try:
        remote = _send(rt, kind, payload, token)
    except (RateLimited, ProviderUnavailable) as exc:
        after = exc.retry_after if isinstance(exc, RateLimited) else None
        _retry_later(rt, outbox_id, exc, after=after or backoff_seconds(attempts))
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
    if kind == service.TASK_CREATE and payload.get("destination") in tasks.TASK_TOOLS:
        return Provider(payload["destination"])
    return None


def _send(rt: Runtime, kind: str, payload: dict[str, Any], token: str) -> RemoteTask:
    """The provider call for one row, outside any transaction."""
    if kind == service.TASK_CREATE:
        draft = payload["draft"]
        sink = rt.registry.task_sink(Provider(payload["destination"]))
        due = draft.get("due")
        return sink.create_task(
            token,
            target=payload["target"],
            task=TaskDraft(
                title=draft["title"],
                notes=draft.get("notes", ""),
                due=date.fromisoformat(due) if due else None,
                link=draft.get("link"),
                priority=draft.get("priority"),
            ),
        )
    chat = rt.registry.chat_sink(Provider.SLACK)
    if kind == service.SLACK_THREAD_REPLY:
        answer = render_mention_answer(MentionAnswer(**payload["answer"]))
        ts = chat.post_message(
            token, channel=payload["channel"], message=answer, thread_ts=payload["thread_ts"]
        )
        return RemoteTask(remote_id=ts)
    message = render_thread_notice(ThreadNotice(**payload["notice"]))
    return RemoteTask(
        remote_id=chat.post_message(token, channel=payload["channel"], message=message)
    )


def _fail(
    session: Session, outbox_id: uuid.UUID, kind: str, payload: dict[str, Any], reason: str
) -> None:
    service.mark_failed(session, outbox_id, reason)
    if kind == service.TASK_CREATE:
        tasks.mark_failed(session, uuid.UUID(payload["task_id"]))


def _retry_later(rt: Runtime, outbox_id: uuid.UUID, exc: ConnectorError, *, after: float) -> None:
    with rt.sessions.begin() as session:
        will_retry = service.mark_retry(
            session, outbox_id, f"{type(exc).__name__}: {exc}", after=after
        )
    if will_retry:
        raise RetryLater(str(exc), after=after) from exc
    log.warning("outbox.gave_up", outbox_id=str(outbox_id))


def sweep_outbox(*, rt: Runtime) -> int:
    with rt.sessions.begin() as session:
        count = service.requeue_due(session, stuck_after=STUCK_AFTER)
    if count:
        log.info("outbox.swept", count=count)
    return count
