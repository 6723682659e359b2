"""ClickUp and Notion fakes mounted in one server with the other fakes, as in the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Match

from connectors.clickup.connector import ClickUpConnector
from connectors.clickup.fake import SANDBOX_LIST_ID, ClickUpFake
from connectors.clickup.fake import SANDBOX_TOKEN as CLICKUP_TOKEN
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.gmail.fake import GmailFake
from connectors.notion.connector import NotionConnector
from connectors.notion.fake import SANDBOX_DATABASE_ID, NotionFake
from connectors.notion.fake import SANDBOX_TOKEN as NOTION_TOKEN
from connectors.slack.fake import SlackFake
from connectors.types import TaskDraft

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fakes() -> tuple[ClickUpFake, NotionFake]:
    clickup, notion = ClickUpFake(), NotionFake()
    clickup.seed_sandbox()
    notion.seed_sandbox()
    return clickup, notion


@pytest.fixture(scope="module")
def other_routes() -> list[BaseRoute]:
    """The Gmail and Slack fakes' routes, as the sandbox mounts them."""
    slack = SlackFake()
    slack.add_workspace("T0SANDBOX", "xoxb-sandbox", ["C0INBOX"])
    return [*GmailFake().routes(), *slack.routes()]


@pytest.fixture(scope="module")
def server(
    fakes: tuple[ClickUpFake, NotionFake], other_routes: list[BaseRoute]
) -> Iterator[RunningServer]:
    clickup, notion = fakes
    app = Starlette(routes=[*other_routes, *clickup.routes(), *notion.routes()])
    with serve_in_thread(app) as running:
        yield running


OURS = [
    ("POST", "/clickup/api/v2/list/901/task"),
    ("GET", "/clickup/api/v2/list/901/task"),
    ("GET", "/clickup/api/v2/task/86abc123"),
    ("GET", "/clickup/api/v2/team"),
    ("POST", "/notion/v1/pages"),
    ("GET", "/notion/v1/pages/1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5d"),
    ("GET", "/notion/v1/databases/8e2c2b76-9e3b-4a1e-9e6f-5a1c7d3b2f10"),
    ("GET", "/_fake/clickup/tasks"),
    ("GET", "/_fake/notion/pages"),
]
THEIRS = [
    ("POST", "/token"),
    ("GET", "/oauth2/v3/certs"),
    ("GET", "/gmail/v1/users/me/history"),
    ("POST", "/api/chat.postMessage"),
    ("POST", "/v1/chat/completions"),
    ("POST", "/v1/responses"),
    ("GET", "/v1.0/me/messages"),
    ("POST", "/v1.0/subscriptions"),
]


def _matches(routes: list[BaseRoute], method: str, path: str) -> bool:
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    return any(route.matches(scope)[0] is not Match.NONE for route in routes)


def test_paths_do_not_collide(
    fakes: tuple[ClickUpFake, NotionFake], other_routes: list[BaseRoute]
) -> None:
    clickup, notion = fakes
    ours = [*clickup.routes(), *notion.routes()]
    theirs = other_routes

    for method, path in OURS:
        assert _matches(ours, method, path), path
        assert not _matches(theirs, method, path), path
    for method, path in THEIRS:
        assert not _matches(ours, method, path), path


def test_both_sinks_work_on_the_shared_server(
    server: RunningServer, fakes: tuple[ClickUpFake, NotionFake]
) -> None:
    clickup_fake, notion_fake = fakes
    draft = TaskDraft(title="Shared server", notes="n")
    with httpx.Client(timeout=5) as http:
        clickup = ClickUpConnector(http=http, api_url=f"{server.base_url}/clickup/api/v2")
        notion = NotionConnector(http=http, api_url=f"{server.base_url}/notion/v1")
        task = clickup.create_task(CLICKUP_TOKEN, target=SANDBOX_LIST_ID, task=draft)
        page = notion.create_task(NOTION_TOKEN, target=SANDBOX_DATABASE_ID, task=draft)
        slack_auth = http.post(
            f"{server.base_url}/api/auth.test", headers={"Authorization": "Bearer xoxb-sandbox"}
        ).json()

    assert clickup_fake.tasks[task.remote_id]["name"] == "Shared server"
    assert notion_fake.title_of(page.remote_id) == "Shared server"
    assert slack_auth["ok"] is True
