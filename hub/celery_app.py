"""The one Celery app, and the `job` decorator every Celery entry point uses.

Jobs are registered here once and run either by a Celery worker (REDIS_URL set) or
by hub.inprocess threads (the embedded default); both call the same function.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from celery import Celery, Task

from hub.errors import RetryLater
from hub.queue import JOB_QUEUES, JobName

log = structlog.get_logger(__name__)

JOB_MODULES = [
    "hub.webhooks.jobs",
    "hub.connections.jobs",
    "hub.analysis.jobs",
    "hub.outbox.jobs",
    "hub.storage.jobs",
]

MAX_BACKOFF_SECONDS = 600.0

celery_app = Celery("hub", include=JOB_MODULES)
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_time_limit=300,
    task_soft_time_limit=240,
    broker_connection_retry_on_startup=True,
    task_routes={str(name): {"queue": str(queue)} for name, queue in JOB_QUEUES.items()},
    beat_schedule={
        "sweep-inbound-events": {"task": str(JobName.SWEEP_INBOUND_EVENTS), "schedule": 60.0},
        "sweep-outbox": {"task": str(JobName.SWEEP_OUTBOX), "schedule": 60.0},
        "sweep-analyses": {"task": str(JobName.SWEEP_ANALYSES), "schedule": 60.0},
        "renew-watches": {"task": str(JobName.RENEW_WATCHES), "schedule": 6 * 3600.0},
        "purge-expired-objects": {
            "task": str(JobName.PURGE_EXPIRED_OBJECTS),
            "schedule": 24 * 3600.0,
        },
    },
)


def configure_broker(broker_url: str) -> None:
    celery_app.conf.update(broker_url=broker_url)


@dataclass(frozen=True)
class JobSpec:
    name: JobName
    run: Callable[..., None]
    max_retries: int


JOBS: dict[JobName, JobSpec] = {}

F = TypeVar("F", bound=Callable[..., None])


def backoff_seconds(retries: int) -> float:
    """Exponential backoff with full jitter, capped."""
    return float(random.uniform(0, min(MAX_BACKOFF_SECONDS, 2.0 ** (retries + 1))))  # noqa: S311


def job(name: JobName, *, max_retries: int = 8) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        def run_task(task: Task[Any, Any], /, **kwargs: str) -> None:
            structlog.contextvars.bind_contextvars(job=str(name), job_id=task.request.id)
            try:
                fn(**kwargs)
            except RetryLater as exc:
                countdown = exc.after if exc.after is not None else None
                countdown = countdown or backoff_seconds(task.request.retries)
                log.info("job.retry_scheduled", reason=str(exc), countdown=round(countdown, 2))
                raise task.retry(countdown=countdown, exc=exc) from exc
            finally:
                structlog.contextvars.unbind_contextvars("job", "job_id")

        celery_app.task(
            name=str(name),
            bind=True,
            queue=str(JOB_QUEUES[name]),
            acks_late=True,
            max_retries=max_retries,
        )(run_task)
        JOBS[name] = JobSpec(name=name, run=fn, max_retries=max_retries)
        return fn

    return decorate


class CeleryPublisher:
    def send(self, job: JobName, kwargs: dict[str, str]) -> None:
        celery_app.send_task(str(job), kwargs=kwargs, queue=str(JOB_QUEUES[job]))
