"""Recorded notifications: claim one, sync its account or take its message, mark it done."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import structlog

from connectors.errors import AuthExpired, ConnectorError
from connectors.types import Notification, NotificationKind, Provider
from hub.analysis.mentions import answer_mention
from hub.connections.chat import take_chat_event
from hub.connections.flows import ensure_watch, sync_account
from hub.connections.service import find_account
from hub.errors import RetryLater
from hub.webhooks import service
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

MAX_EVENT_ATTEMPTS = 20


def process_inbound_event(event_id: uuid.UUID, *, rt: Runtime) -> None:
    with rt.sessions.begin() as session:
        event = service.claim_event(session, event_id)
        if event is None:
            return
        account = find_account(session, event.provider, event.account_key)
        if account is None:
            service.fail_event(session, event_id, "no connected account", retryable=False)
            log.info("inbound_event.unknown_account", event_id=str(event_id))
            return
        account_id = account.id
        kind = NotificationKind(event.payload.get("kind", NotificationKind.CHANGES))
        carried: dict[str, Any] = event.payload.get("event") or {}
    try:
        if kind == NotificationKind.MESSAGE:
            take_chat_event(account_id, carried, rt=rt)
        elif kind == NotificationKind.MENTION:
            answer_mention(account_id, carried, rt=rt)
        else:
            if kind in (NotificationKind.WATCH_EXPIRING, NotificationKind.WATCH_REMOVED):
                recreate = kind == NotificationKind.WATCH_REMOVED
                ensure_watch(account_id, rt=rt, recreate=recreate)
            sync_account(account_id, rt=rt)
    except RetryLater as exc:
        _record_failure(rt, event_id, str(exc), retryable=True)
        raise
    except (AuthExpired, ConnectorError) as exc:
        _record_failure(rt, event_id, f"{type(exc).__name__}: {exc}", retryable=False)
        return
    with rt.sessions.begin() as session:
        service.finish_event(session, event_id, account_id=account_id)
    log.info("inbound_event.handled", event_id=str(event_id), account_id=str(account_id))


def accept_chat_event(
    rt: Runtime,
    *,
    team_id: str,
    event_id: str,
    event: Mapping[str, Any],
    kind: NotificationKind = NotificationKind.MESSAGE,
) -> bool:
    """Record a chat event delivered to the Slack app; False for a redelivery.

    Slack retries a delivery it thinks failed (X-Slack-Retry-Num) with the same
    event_id, the dedupe key, so a retry is recorded once and processed once.
    """
    notification = Notification(
        dedupe_key=event_id,
        account_key=team_id,
        payload={"event": dict(event)},
        kind=kind,
    )
    with rt.sessions.begin() as session:
        return bool(service.record_notifications(session, Provider.SLACK, [notification]))


def _record_failure(rt: Runtime, event_id: uuid.UUID, reason: str, *, retryable: bool) -> None:
    with rt.sessions.begin() as session:
        service.fail_event(session, event_id, reason, retryable=retryable)
    log.warning("inbound_event.failed", event_id=str(event_id), retryable=retryable)


def sweep_inbound_events(*, rt: Runtime) -> int:
    with rt.sessions.begin() as session:
        stale = service.requeue_stale_events(
            session,
            older_than=timedelta(seconds=rt.settings.inbound_sweep_after_seconds),
            max_attempts=MAX_EVENT_ATTEMPTS,
        )
    if stale:
        log.info("inbound_event.swept", count=len(stale))
    return len(stale)
