"""Webhook intake throughput: verified, deduplicated, committed pushes per second.

Serves the hub over real HTTP (uvicorn on a thread) against PostgreSQL, with the jobs
recorded rather than run, and compares in the same run with a bare endpoint that does
no work (the ceiling of this server and client). Prints medians of 3 passes.

    .venv/bin/python -m tests.bench.bench_webhook [--database-url URL] [--requests 400]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from connectors.fakeserver import serve_in_thread
from connectors.sandbox import MAILBOX, start_sandbox
from db.migrate import upgrade
from hub.app import create_app
from hub.config import Settings
from hub.sandbox import seed_demo
from hub.wiring import close_runtime, init_runtime
from tests.support.databases import fresh_postgres_database
from tests.support.recording import RecordingPublisher

CONCURRENCY = 8


def _rate(url: str, bodies: list[tuple[dict[str, str], bytes]]) -> float:
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(CONCURRENCY) as pool:
        started = time.perf_counter()
        statuses = list(
            pool.map(lambda hb: client.post(url, headers=hb[0], content=hb[1]).status_code, bodies)
        )
        elapsed = time.perf_counter() - started
    if any(status not in (200, 204) for status in statuses):
        raise RuntimeError(f"unexpected statuses: {sorted(set(statuses))}")
    return len(bodies) / elapsed


async def _bare(_request: object) -> Response:
    return Response(status_code=204)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()

    fakes = start_sandbox()
    bare = serve_in_thread(Starlette(routes=[Route("/webhooks/gmail", _bare, methods=["POST"])]))
    with fresh_postgres_database(args.database_url) as url:
        upgrade(url)
        port = fakes.server.port
        settings = Settings(
            database_url=url,
            redis_url="",
            sandbox=True,
            sandbox_fakes_port=port,
            log_level="WARNING",
        )
        rt = init_runtime(settings, publisher=RecordingPublisher())
        with rt.sessions.begin() as session:
            seed_demo(session)
        hub = serve_in_thread(create_app(rt=rt))

        def pushes() -> list[tuple[dict[str, str], bytes]]:
            return [
                fakes.gmail.mint_push(
                    MAILBOX,
                    audience=settings.gmail_push_audience,
                    service_account=settings.gmail_push_service_account,
                )
                for _ in range(args.requests)
            ]

        hub_rates, bare_rates, dup_rates = [], [], []
        for _ in range(3):
            batch = pushes()
            hub_rates.append(_rate(f"{hub.base_url}/webhooks/gmail", batch))
            dup_rates.append(_rate(f"{hub.base_url}/webhooks/gmail", batch))
            bare_rates.append(_rate(f"{bare.base_url}/webhooks/gmail", batch))
        hub.stop()
        close_runtime()
    bare.stop()
    fakes.stop()
    hub_median, dup_median, bare_median = (
        statistics.median(r) for r in (hub_rates, dup_rates, bare_rates)
    )
    out = sys.stdout
    out.write(f"requests per pass: {args.requests}, concurrency {CONCURRENCY}, median of 3\n")
    out.write(f"bare endpoint (ceiling):       {bare_median:8.0f} req/s\n")
    for label, rate in (("new pushes (verify+insert)", hub_median), ("duplicates", dup_median)):
        out.write(f"{label + ':':31s}{rate:8.0f} req/s  ({rate / bare_median:.2f}x bare)\n")


if __name__ == "__main__":
    main()
