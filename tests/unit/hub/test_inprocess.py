"""The embedded runner: jobs off the caller's thread, RetryLater rescheduled, bounded."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from hub.celery_app import JOBS, JobSpec
from hub.errors import RetryLater
from hub.inprocess import InProcessRunner
from hub.queue import JobName


@pytest.fixture
def runner() -> Iterator[InProcessRunner]:
    running = InProcessRunner()
    yield running
    running.shutdown(wait=True)


def test_job_runs_on_a_worker_thread(
    runner: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[tuple[str, str]] = []
    done = threading.Event()

    def job(account_id: str) -> None:
        ran.append((account_id, threading.current_thread().name))
        done.set()

    monkeypatch.setitem(JOBS, JobName.SYNC_ACCOUNT, JobSpec(JobName.SYNC_ACCOUNT, job, 3))
    runner.send(JobName.SYNC_ACCOUNT, {"account_id": "a-1"})
    assert done.wait(5)
    assert ran[0][0] == "a-1"
    assert ran[0][1] != threading.current_thread().name


def test_retry_later_reschedules_until_success(
    runner: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []
    done = threading.Event()

    def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise RetryLater("provider busy", after=0.01)
        done.set()

    monkeypatch.setitem(JOBS, JobName.SWEEP_OUTBOX, JobSpec(JobName.SWEEP_OUTBOX, flaky, 5))
    runner.send(JobName.SWEEP_OUTBOX, {})
    assert done.wait(5)
    assert len(attempts) == 3


def test_retries_stop_at_the_limit(
    runner: InProcessRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []

    def always_busy() -> None:
        attempts.append(1)
        raise RetryLater("still busy", after=0.001)

    monkeypatch.setitem(JOBS, JobName.DELIVER, JobSpec(JobName.DELIVER, always_busy, 2))
    runner.send(JobName.DELIVER, {})
    deadline = threading.Event()
    deadline.wait(0.5)
    assert len(attempts) == 3  # the first run and two retries
