"""A runtime on a test database wired to every provider fake, with jobs recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.sandbox import Sandbox, start_sandbox
from db.migrate import upgrade
from hub.config import Settings
from hub.sandbox import DemoOrg, seed_demo
from hub.wiring import Runtime, close_runtime, init_runtime
from tests.support.recording import RecordingPublisher


@dataclass
class SandboxRuntime:
    rt: Runtime
    fakes: Sandbox
    jobs: RecordingPublisher
    demo: DemoOrg


@contextmanager
def sandbox_runtime(database_url: str, tmp_path: Path, **settings: Any) -> Iterator[SandboxRuntime]:
    """Migrate, start the fakes, seed the demo organization; jobs are recorded, not run."""
    fakes = start_sandbox()
    try:
        config = Settings(
            database_url=database_url,
            redis_url="",
            sandbox=True,
            sandbox_fakes_port=fakes.server.port,
            storage_dir=str(tmp_path / "objects"),
            **settings,
        )
        upgrade(database_url)
        jobs = RecordingPublisher()
        rt = init_runtime(config, publisher=jobs)
        try:
            with rt.sessions.begin() as session:
                demo = seed_demo(session)
            yield SandboxRuntime(rt, fakes, jobs, demo)
        finally:
            close_runtime()
    finally:
        fakes.stop()
