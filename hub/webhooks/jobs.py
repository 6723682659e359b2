"""Celery entry points for the inbound pipe."""

from __future__ import annotations

from uuid import UUID

from hub.celery_app import job
from hub.queue import JobName
from hub.webhooks import flows
from hub.wiring import runtime


@job(JobName.PROCESS_INBOUND_EVENT, max_retries=12)
def process_inbound_event(event_id: str) -> None:
    flows.process_inbound_event(UUID(event_id), rt=runtime())


@job(JobName.SWEEP_INBOUND_EVENTS, max_retries=0)
def sweep_inbound_events() -> None:
    flows.sweep_inbound_events(rt=runtime())
