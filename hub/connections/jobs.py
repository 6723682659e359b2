"""Celery entry points for connected accounts."""

from __future__ import annotations

from uuid import UUID

from hub.celery_app import job
from hub.connections import flows
from hub.queue import JobName
from hub.wiring import runtime


@job(JobName.SYNC_ACCOUNT)
def sync_account(account_id: str) -> None:
    flows.sync_account(UUID(account_id), rt=runtime())


@job(JobName.RENEW_WATCHES, max_retries=0)
def renew_watches() -> None:
    flows.renew_watches(rt=runtime())
