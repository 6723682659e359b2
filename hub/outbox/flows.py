"""deliver: send one outbox row, record the remote id; retries honor Retry-After."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import structlog

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.slack.notice import render_thread_notice
from connectors.types import Provider, ThreadNotice
from hub.celery_app import backoff_seconds
from hub.errors import RetryLater
from hub.outbox import service
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
        if row.kind != service.SLACK_THREAD_NOTICE:
            service.mark_failed(session, outbox_id, f"unknown outbox kind {row.kind!r}")
            return
        token = service.workspace_token(session, row.org_id, Provider.SLACK)
        payload, attempts = dict(row.payload), row.attempts
        if token is None:
            service.mark_failed(session, outbox_id, "no connected Slack workspace")
            return
    try:
        message = render_thread_notice(ThreadNotice(**payload["notice"]))
        sink = rt.registry.chat_sink(Provider.SLACK)
        remote_id = sink.post_message(token, channel=payload["channel"], message=message)
    except (RateLimited, ProviderUnavailable) as exc:
        after = exc.retry_after if isinstance(exc, RateLimited) else None
        _retry_later(rt, outbox_id, exc, after=after or backoff_seconds(attempts))
        return
    except (AuthExpired, ConnectorError) as exc:
        with rt.sessions.begin() as session:
            service.mark_failed(session, outbox_id, f"{type(exc).__name__}: {exc}")
        log.warning("outbox.failed", outbox_id=str(outbox_id), error_type=type(exc).__name__)
        return
    with rt.sessions.begin() as session:
        service.mark_sent(session, outbox_id, remote_id)
    log.info("outbox.sent", outbox_id=str(outbox_id))


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
