"""Celery entry points for object storage."""

from __future__ import annotations

from hub.celery_app import job
from hub.queue import JobName
from hub.storage import flows
from hub.wiring import runtime


@job(JobName.PURGE_EXPIRED_OBJECTS, max_retries=0)
def purge_expired_objects() -> None:
    flows.purge_expired_objects(rt=runtime())
