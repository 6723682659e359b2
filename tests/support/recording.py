"""A job publisher that records instead of sending: for asserting what a request queued."""

from __future__ import annotations

from hub.queue import JobName


class RecordingPublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[JobName, dict[str, str]]] = []

    def send(self, job: JobName, kwargs: dict[str, str]) -> None:
        self.sent.append((job, kwargs))
