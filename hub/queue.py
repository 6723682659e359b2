"""Job names, their queues, and publishing after commit.

The database row is the durable record of work; publishing a job only nudges a
worker. A publish that fails after commit is logged and left to the sweepers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session

log = structlog.get_logger(__name__)

_PENDING = "hub.pending_jobs"


class Queue(StrEnum):
    INGEST = "ingest"
    AI = "ai"
    OUTBOUND = "outbound"


class JobName(StrEnum):
    PROCESS_INBOUND_EVENT = "hub.webhooks.process_inbound_event"
    SWEEP_INBOUND_EVENTS = "hub.webhooks.sweep_inbound_events"
    SYNC_ACCOUNT = "hub.connections.sync_account"
    RENEW_WATCHES = "hub.connections.renew_watches"
    PURGE_EXPIRED_OBJECTS = "hub.storage.purge_expired_objects"
    ANALYZE_THREAD = "hub.analysis.analyze_thread"
    SWEEP_ANALYSES = "hub.analysis.sweep_analyses"
    DRAFT_INTO_MAILBOX = "hub.analysis.draft_into_mailbox"
    DELIVER = "hub.outbox.deliver"
    SWEEP_OUTBOX = "hub.outbox.sweep_outbox"


JOB_QUEUES: dict[JobName, Queue] = {
    JobName.PROCESS_INBOUND_EVENT: Queue.INGEST,
    JobName.SWEEP_INBOUND_EVENTS: Queue.INGEST,
    JobName.SYNC_ACCOUNT: Queue.INGEST,
    JobName.RENEW_WATCHES: Queue.INGEST,
    JobName.PURGE_EXPIRED_OBJECTS: Queue.INGEST,
    JobName.ANALYZE_THREAD: Queue.AI,
    JobName.SWEEP_ANALYSES: Queue.AI,
    JobName.DRAFT_INTO_MAILBOX: Queue.AI,
    JobName.DELIVER: Queue.OUTBOUND,
    JobName.SWEEP_OUTBOX: Queue.OUTBOUND,
}


class Publisher(Protocol):
    def send(self, job: JobName, kwargs: dict[str, str]) -> None: ...


class _Unset:
    def send(self, job: JobName, kwargs: dict[str, str]) -> None:
        raise RuntimeError("no job publisher configured (hub.wiring.init_runtime)")


_publisher: Publisher = _Unset()


def set_publisher(publisher: Publisher) -> None:
    global _publisher  # one publisher per process, set by the composition root
    _publisher = publisher


def enqueue_now(job: JobName, **kwargs: str) -> None:
    """Publish at once; for callers with no open transaction. Failures are logged."""
    try:
        _publisher.send(job, kwargs)
    except Exception as exc:  # noqa: BLE001 - the row stays; a sweeper re-enqueues it
        log.warning("queue.publish_failed", job=str(job), error_type=type(exc).__name__)


def enqueue_after_commit(session: Session, job: JobName, **kwargs: str) -> None:
    session.info.setdefault(_PENDING, []).append((job, kwargs))


@event.listens_for(Session, "after_commit")
def _publish_pending(session: Session) -> None:
    for job, kwargs in session.info.pop(_PENDING, []):
        enqueue_now(job, **kwargs)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction: object) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)
