"""The whole hub for e2e tests: fakes and hub over real HTTP, jobs on a real runner.

Distributed mode adds a real Celery worker process (`manage.py worker`) on Redis;
embedded mode runs the jobs on the API process's threads, as `make run` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from redis import Redis

from connectors.fakeserver import RunningServer, listening_socket, port_of, serve_in_thread
from connectors.sandbox import Sandbox, start_sandbox
from db.migrate import upgrade
from hub.app import create_app
from hub.config import Settings
from hub.sandbox import demo_token, seed_demo
from hub.wiring import Runtime, close_runtime, init_runtime

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    settings: Settings
    rt: Runtime
    fakes: Sandbox
    hub: RunningServer
    token: str

    def api(self, path: str, *, token: str | None = None) -> httpx.Response:
        bearer = self.token if token is None else token
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        return httpx.get(f"{self.hub.base_url}{path}", headers=headers, timeout=10)

    def push(self, headers: dict[str, str], body: bytes) -> httpx.Response:
        return httpx.post(
            f"{self.hub.base_url}/webhooks/gmail", content=body, headers=headers, timeout=10
        )


def stack_settings(
    database_url: str, redis_url: str, storage_dir: Path, *, fakes_port: int, hub_port: int
) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        storage_dir=str(storage_dir),
        sandbox=True,
        sandbox_fakes_port=fakes_port,
        public_base_url=f"http://127.0.0.1:{hub_port}",
        inbound_sweep_after_seconds=0,
        log_level="WARNING",
    )


@contextmanager
def running_stack(database_url: str, redis_url: str, storage_dir: Path) -> Iterator[Stack]:
    """Fakes and hub on sockets held from the moment their ports go into the settings."""
    fakes_sock, hub_sock = listening_socket(), listening_socket()
    settings = stack_settings(
        database_url,
        redis_url,
        storage_dir,
        fakes_port=port_of(fakes_sock),
        hub_port=port_of(hub_sock),
    )
    upgrade(settings.database_url)
    rt = init_runtime(settings)
    fakes = start_sandbox(sock=fakes_sock)
    hub = serve_in_thread(create_app(rt=rt), sock=hub_sock)
    try:
        with rt.sessions.begin() as session:
            demo = seed_demo(session)
        yield Stack(settings, rt, fakes, hub, demo_token(settings, demo.principal))
    finally:
        hub.stop()
        fakes.stop()
        close_runtime()


def worker_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SANDBOX": "true",
        "SANDBOX_FAKES_PORT": str(settings.sandbox_fakes_port),
        "PUBLIC_BASE_URL": settings.public_base_url,
        "INBOUND_SWEEP_AFTER_SECONDS": str(settings.inbound_sweep_after_seconds),
        "LOG_LEVEL": "WARNING",
        "STORAGE_DIR": settings.storage_dir,
    }


@contextmanager
def celery_worker(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process consuming every queue, stopped (warm shutdown) afterwards."""
    Redis.from_url(settings.redis_url).flushdb()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--concurrency", "2"],
        cwd=ROOT,
        env=worker_env(settings),
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
