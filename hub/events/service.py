"""Publishing change events after the transaction that made the change commits."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session

from hub.events.bus import EventBus

log = structlog.get_logger(__name__)

_PENDING = "hub.pending_events"
_bus: EventBus | None = None


def set_bus(bus: EventBus) -> None:
    global _bus  # one bus per process, set by the composition root
    _bus = bus


def publish_after_commit(session: Session, org_id: uuid.UUID, kind: str, **fields: str) -> None:
    session.info.setdefault(_PENDING, []).append((org_id, {"type": kind, **fields}))


@event.listens_for(Session, "after_commit")
def _publish_pending(session: Session) -> None:
    pending: list[tuple[uuid.UUID, dict[str, Any]]] = session.info.pop(_PENDING, [])
    if _bus is None:
        return
    for org_id, payload in pending:
        try:
            _bus.publish(org_id, payload)
        except Exception as exc:  # noqa: BLE001 - a missed live event is not lost data
            log.warning("events.publish_failed", error_type=type(exc).__name__)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction: object) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)
