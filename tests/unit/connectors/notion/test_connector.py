"""NotionConnector's requests and response handling over an in-memory transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.base import TaskSink
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.notion.connector import NotionConnector, parse_page
from connectors.notion.errors import NotionError
from connectors.types import Provider, RemoteTask, TaskDraft

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "notion"
API = "https://api.notion.com/v1"
DATABASE = "8e2c2b76-9e3b-4a1e-9e6f-5a1c7d3b2f10"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def connector(
    handler: Callable[[httpx.Request], httpx.Response],
    seen: list[httpx.Request],
    **options: Any,
) -> NotionConnector:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    http = httpx.Client(transport=httpx.MockTransport(record))
    return NotionConnector(http=http, api_url=API + "/", **options)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=load("create_page_response"))


def test_is_a_task_sink() -> None:
    sink = connector(ok, [])

    assert isinstance(sink, TaskSink)
    assert sink.provider is Provider.NOTION


def test_create_task_posts_the_page_and_parses_the_fixture() -> None:
    seen: list[httpx.Request] = []
    sink = connector(ok, seen, priority_property="Priority")
    draft = TaskDraft(
        title="Pay invoice",
        notes="Due soon",
        due=date(2024, 4, 30),
        link="https://hub.example.com/t/1",
        priority="urgent",
    )

    result = sink.create_task("ntn_abc", target=DATABASE, task=draft)

    assert result == RemoteTask(
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "https://www.notion.so/Login-fails-for-jane-example-com-1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5d",
    )
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == f"{API}/pages"
    assert request.headers["authorization"] == "Bearer ntn_abc"
    assert request.headers["notion-version"] == "2022-06-28"
    body = json.loads(request.content)
    assert body["parent"] == {"database_id": DATABASE}
    assert body["properties"] == {
        "Name": {"title": [{"type": "text", "text": {"content": "Pay invoice"}}]},
        "Due": {"date": {"start": "2024-04-30"}},
        "Source": {"url": "https://hub.example.com/t/1"},
        "Priority": {"select": {"name": "Urgent"}},
    }
    assert body["children"][0]["paragraph"]["rich_text"][0]["text"]["content"] == "Due soon"


def test_notion_version_is_configurable() -> None:
    seen: list[httpx.Request] = []
    sink = connector(ok, seen, notion_version="2025-09-03")

    sink.create_task("ntn_abc", target=DATABASE, task=TaskDraft(title="t"))

    assert seen[0].headers["notion-version"] == "2025-09-03"


def test_missing_token_is_auth_expired_without_a_call() -> None:
    seen: list[httpx.Request] = []

    with pytest.raises(AuthExpired):
        connector(ok, seen).create_task(" ", target=DATABASE, task=TaskDraft(title="t"))
    assert seen == []


def test_missing_database_is_rejected_without_a_call() -> None:
    seen: list[httpx.Request] = []

    with pytest.raises(ConnectorError, match="no database id"):
        connector(ok, seen).create_task("ntn_abc", target="", task=TaskDraft(title="t"))
    assert seen == []


def test_duplicate_property_names_are_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="notion"):
        connector(ok, [], due_property="Name")


def test_error_responses_are_mapped() -> None:
    meta = load("error_429.headers")
    sink = connector(
        lambda r: httpx.Response(429, json=load("error_429"), headers=meta["headers"]), []
    )

    with pytest.raises(RateLimited) as caught:
        sink.create_task("ntn_abc", target=DATABASE, task=TaskDraft(title="t"))
    assert caught.value.retry_after == 1.0


def test_404_is_a_notion_error() -> None:
    sink = connector(lambda r: httpx.Response(404, json=load("error_404")), [])

    with pytest.raises(NotionError, match="share the database with the integration"):
        sink.create_task("ntn_abc", target=DATABASE, task=TaskDraft(title="t"))


def test_connection_failure_is_unavailable() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ProviderUnavailable):
        connector(refused, []).create_task("ntn_abc", target=DATABASE, task=TaskDraft(title="t"))


def test_parse_page_builds_a_missing_url() -> None:
    result = parse_page(httpx.Response(200, json={"object": "page", "id": "1a2b-3c"}))

    assert result == RemoteTask("1a2b-3c", "https://www.notion.so/1a2b3c")


@pytest.mark.parametrize(
    "resp",
    [
        httpx.Response(200, text="<html>"),
        httpx.Response(200, json=["page"]),
        httpx.Response(200, json={"object": "page"}),
        httpx.Response(200, json={"object": "error", "id": "x"}),
    ],
)
def test_parse_page_rejects_unexpected_shapes(resp: httpx.Response) -> None:
    with pytest.raises(ConnectorError):
        parse_page(resp)
