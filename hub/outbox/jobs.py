"""Celery entry points for outbound delivery."""

from __future__ import annotations

from uuid import UUID

from hub.celery_app import job
from hub.outbox import flows
from hub.queue import JobName
from hub.wiring import runtime


@job(JobName.DELIVER, max_retries=10)
def deliver(outbox_id: str) -> None:
    flows.deliver(UUID(outbox_id), rt=runtime())


@job(JobName.SWEEP_OUTBOX, max_retries=0)
def sweep_outbox() -> None:
    flows.sweep_outbox(rt=runtime())
