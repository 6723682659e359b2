"""The Slack request harness: the Bolt routes on PostgreSQL, the Web API fake on a real
socket (where the sandbox settings point) and a recorder for response_url posts."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.sandbox import SLACK_BOT_TOKEN, SLACK_CHANNEL, SLACK_TEAM_ID
from connectors.slack.fake import SlackFake
from connectors.slack.signing import sign_slack_request
from db.migrate import upgrade
from db.models import Thread
from hub.config import Settings
from hub.sandbox import seed_demo
from hub.wiring import Runtime, close_runtime, init_runtime
from slackapp.routes import build_router
from tests.support.recording import RecordingPublisher

FORM = "application/x-www-form-urlencoded"
FIXTURES = Path(__file__).parent / "fixtures"
USER = "U0USER001"
HOSTILE_SUBJECT = "<!channel> Invoice overdue: pay <https://evil.example|here>"
HOSTILE_SUMMARY = "Vendor asks @here to wire money & reply to <@U0BOSS> today."


@dataclass
class ResponseUrls:
    """Records the JSON POSTed to response_url (what respond() sends)."""

    posted: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def record(self, request: Request) -> Response:
        body = await request.json()
        with self.lock:
            self.posted.append({"path": request.url.path, "body": body})
        return Response("ok")

    async def listing(self, request: Request) -> Response:
        with self.lock:
            return JSONResponse(list(self.posted))


@dataclass
class Harness:
    rt: Runtime
    client: TestClient
    fake: SlackFake
    hooks: ResponseUrls
    server: RunningServer
    secret: str
    jobs: RecordingPublisher

    def hook_url(self, name: str) -> str:
        return f"{self.server.base_url}/hooks/{name}"

    def post(
        self,
        path: str,
        body: bytes,
        content_type: str,
        *,
        signed: bool = True,
        timestamp: int | None = None,
    ) -> Any:
        headers = {"Content-Type": content_type}
        if signed:
            headers.update(sign_slack_request(self.secret, body, timestamp))
        return self.client.post(path, content=body, headers=headers)


@pytest.fixture
def harness(postgres_url: str) -> Iterator[Harness]:
    fake = SlackFake()
    fake.add_workspace(SLACK_TEAM_ID, SLACK_BOT_TOKEN, [SLACK_CHANNEL, "D0DM00001"])
    hooks = ResponseUrls()
    routes = [
        *fake.routes(),
        Route("/hooks/{name}", hooks.record, methods=["POST"]),
        Route("/hooks", hooks.listing, methods=["GET"]),
    ]
    server = serve_in_thread(Starlette(routes=routes))
    settings = Settings(
        database_url=postgres_url,
        redis_url="",
        sandbox=True,
        sandbox_fakes_port=server.port,
        log_level="WARNING",
    )
    upgrade(postgres_url)
    # Jobs are recorded, not run: a delivery racing the test would change task states.
    jobs = RecordingPublisher()
    rt = init_runtime(settings, publisher=jobs)
    try:
        with rt.sessions.begin() as session:
            demo = seed_demo(session)
            now = datetime.now(UTC)
            for index, (subject, summary) in enumerate(
                [(HOSTILE_SUBJECT, HOSTILE_SUMMARY), ("Lunch on Friday?", None)]
            ):
                session.add(
                    Thread(
                        id=uuid.uuid4(),
                        org_id=demo.principal.org_id,
                        account_id=demo.gmail_account.id,
                        provider_thread_id=f"thread-{index}",
                        subject=subject,
                        summary=summary,
                        category="to_respond" if summary else None,
                        priority="urgent" if summary else None,
                        message_count=index + 1,
                        last_message_at=now - timedelta(minutes=index),
                    )
                )
        api = FastAPI()
        api.include_router(build_router(rt))
        with TestClient(api) as client:
            yield Harness(rt, client, fake, hooks, server, settings.slack_signing_secret, jobs)
    finally:
        close_runtime()
        server.stop()
