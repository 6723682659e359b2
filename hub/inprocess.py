"""The embedded job runner: jobs and periodic sweeps on threads of the API process.

Used when no broker is configured, so `make run` needs nothing but Python and a
webhook still never waits for the work it triggers. Retries are timers here; the
database rows stay the durable record, and the sweepers pick up anything lost.
"""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import structlog

from hub.celery_app import JOB_MODULES, JOBS, backoff_seconds
from hub.errors import RetryLater
from hub.queue import JOB_QUEUES, JobName, Queue

log = structlog.get_logger(__name__)


class InProcessRunner:
    """A Publisher that runs each queue on its own worker thread."""

    def __init__(self) -> None:
        for module in JOB_MODULES:  # a Celery worker imports these through `include`
            importlib.import_module(module)
        self._executors = {
            queue: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"job-{queue}")
            for queue in Queue
        }
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._idle = threading.Condition()
        self._in_flight = 0

    def send(self, job: JobName, kwargs: dict[str, str]) -> None:
        self._submit(job, kwargs, attempt=0)

    def _submit(self, job: JobName, kwargs: dict[str, str], *, attempt: int) -> None:
        if self._stopped.is_set():
            return
        with self._idle:
            self._in_flight += 1
        self._executors[JOB_QUEUES[job]].submit(self._run, job, kwargs, attempt)

    def _run(self, job: JobName, kwargs: dict[str, str], attempt: int) -> None:
        spec = JOBS[job]
        structlog.contextvars.bind_contextvars(job=str(job))
        try:
            spec.run(**kwargs)
        except RetryLater as exc:
            if attempt >= spec.max_retries:
                log.warning("job.retries_exhausted", reason=str(exc))
                return
            delay = exc.after if exc.after is not None else backoff_seconds(attempt)
            log.info("job.retry_scheduled", reason=str(exc), countdown=round(delay, 2))
            self._later(delay, job, kwargs, attempt + 1)
        except Exception:
            log.exception("job.failed")
        finally:
            structlog.contextvars.unbind_contextvars("job")
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _later(self, delay: float, job: JobName, kwargs: dict[str, str], attempt: int) -> None:
        def fire() -> None:
            with self._lock:
                self._timers.discard(timer)
            self._submit(job, kwargs, attempt=attempt)

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        with self._lock:
            self._timers.add(timer)
        timer.start()

    def drain(self, timeout: float) -> bool:
        """Wait until queued jobs and the jobs they enqueue are done (not timed retries).

        Commands that exit right after their work (manage.py sync) call this, so the
        analysis and delivery their sync triggered are not lost with the process.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)

    def start_beat(self, jobs: list[JobName], *, every_seconds: float) -> None:
        """Run the periodic jobs (the sweepers) as Celery beat would."""

        def loop() -> None:
            while not self._stopped.wait(every_seconds):
                for job in jobs:
                    self.send(job, {})

        threading.Thread(target=loop, name="beat", daemon=True).start()

    def shutdown(self, *, wait: bool = True) -> None:
        self._stopped.set()
        with self._lock:
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()
        for executor in self._executors.values():
            executor.shutdown(wait=wait, cancel_futures=not wait)
