"""Processing one recorded notification: claim, sync its account, mark it handled."""

from __future__ import annotations

import uuid
from datetime import timedelta

import structlog

from connectors.errors import AuthExpired, ConnectorError
from connectors.types import NotificationKind
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
    try:
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
