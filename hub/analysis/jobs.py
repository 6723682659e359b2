"""Celery entry points for the AI steps."""

from __future__ import annotations

from uuid import UUID

from hub.analysis import flows
from hub.celery_app import job
from hub.queue import JobName
from hub.wiring import runtime


@job(JobName.ANALYZE_THREAD)
def analyze_thread(thread_id: str) -> None:
    flows.analyze_thread(UUID(thread_id), rt=runtime())


@job(JobName.SWEEP_ANALYSES, max_retries=0)
def sweep_analyses() -> None:
    flows.sweep_analyses(rt=runtime())


@job(JobName.DRAFT_INTO_MAILBOX)
def draft_into_mailbox(thread_id: str, org_id: str, channel: str, thread_ts: str) -> None:
    flows.draft_into_mailbox(
        UUID(thread_id), org_id=UUID(org_id), answer_in=(channel, thread_ts), rt=runtime()
    )
