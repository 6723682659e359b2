"""Recording inbound notifications and moving their rows through their states."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from connectors.types import Notification, Provider
from db.enums import EventStatus
from db.models import Account, InboundEvent, Subscription
from hub.db_ops import insert_ignoring_conflicts
from hub.queue import JobName, enqueue_after_commit

log = structlog.get_logger(__name__)

MAX_ERROR_CHARS = 2000


def authenticate_notifications(
    session: Session, provider: Provider, notifications: Sequence[Notification]
) -> list[Notification]:
    """Keep the notifications that prove themselves; resolve their accounts.

    A notification naming a subscription must echo that subscription's secret (Graph
    clientState, compared in constant time); it then belongs to the subscription's
    account. Unknown subscriptions and wrong secrets are dropped (and logged).
    """
    kept: list[Notification] = []
    for notification in notifications:
        if notification.subscription_id is None:
            kept.append(notification)
            continue
        account_key = subscription_account_key(
            session, provider, notification.subscription_id, notification.secret
        )
        if account_key is None:
            log.warning(
                "webhook.unauthenticated_notification",
                provider=str(provider),
                subscription_id=notification.subscription_id[:100],
            )
            continue
        kept.append(replace(notification, account_key=account_key))
    return kept


def subscription_account_key(
    session: Session, provider: Provider, subscription_id: str, secret: str | None
) -> str | None:
    """The external id of the account behind a subscription, if secret is its own."""
    row = (
        session.execute(
            select(Subscription.client_state, Account.external_id)
            .join(Account, Account.id == Subscription.account_id)
            .where(Account.provider == str(provider), Subscription.external_id == subscription_id)
        )
        .tuples()
        .first()
    )
    if row is None or secret is None:
        return None
    expected, external_id = row
    if not expected or not hmac.compare_digest(expected.encode(), secret.encode()):
        return None
    return external_id


def record_notifications(
    session: Session, provider: Provider, notifications: Sequence[Notification]
) -> list[uuid.UUID]:
    """Insert one row per new delivery; a redelivery hits the unique key and is skipped.

    The job for each new row is published only after the caller commits.
    """
    recorded: list[uuid.UUID] = []
    for notification in notifications:
        statement = insert_ignoring_conflicts(
            session,
            InboundEvent,
            {
                "id": uuid.uuid4(),
                "provider": str(provider),
                "dedupe_key": notification.dedupe_key,
                "account_key": notification.account_key,
                "payload": {**notification.payload, "kind": str(notification.kind)},
                "status": EventStatus.PENDING,
                "received_at": datetime.now(UTC),
            },
            conflict_on=["provider", "dedupe_key"],
        ).returning(InboundEvent.id)
        event_id = session.execute(statement).scalar_one_or_none()
        if event_id is not None:
            recorded.append(event_id)
            enqueue_after_commit(session, JobName.PROCESS_INBOUND_EVENT, event_id=str(event_id))
    return recorded


def claim_event(session: Session, event_id: uuid.UUID) -> InboundEvent | None:
    """Mark an unhandled event as being processed; None when it is already done."""
    event = session.get(InboundEvent, event_id, with_for_update=True)
    if event is None or event.status in (EventStatus.HANDLED, EventStatus.FAILED):
        return None
    event.status = EventStatus.PROCESSING
    event.attempts += 1
    return event


def finish_event(session: Session, event_id: uuid.UUID, *, account_id: uuid.UUID) -> None:
    session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == event_id)
        .values(
            status=EventStatus.HANDLED,
            account_id=account_id,
            handled_at=datetime.now(UTC),
            last_error=None,
        )
    )


def fail_event(session: Session, event_id: uuid.UUID, reason: str, *, retryable: bool) -> None:
    """Record why an event did not go through; a retryable one stays for the sweeper."""
    session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == event_id)
        .values(
            status=EventStatus.PENDING if retryable else EventStatus.FAILED,
            last_error=reason[:MAX_ERROR_CHARS],
        )
    )


def requeue_stale_events(
    session: Session, *, older_than: timedelta, max_attempts: int, limit: int = 500
) -> list[uuid.UUID]:
    """Unhandled rows whose job was lost (broker down, worker killed) get a new job."""
    cutoff = datetime.now(UTC) - older_than
    stale = session.scalars(
        select(InboundEvent.id)
        .where(
            or_(
                InboundEvent.status == EventStatus.PENDING,
                InboundEvent.status == EventStatus.PROCESSING,
            ),
            InboundEvent.received_at < cutoff,
            InboundEvent.attempts < max_attempts,
        )
        .order_by(InboundEvent.received_at)
        .limit(limit)
    ).all()
    for event_id in stale:
        enqueue_after_commit(session, JobName.PROCESS_INBOUND_EVENT, event_id=str(event_id))
    return list(stale)
