"""ClickUpConnector's requests and response handling over an in-memory transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.base import TaskSink
from connectors.clickup.connector import ClickUpConnector, authorization, parse_task, task_url
from connectors.clickup.errors import ClickUpError
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.types import Provider, RemoteTask, TaskDraft

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "clickup"
API = "https://api.clickup.com/api/v2"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def connector(
    handler: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request]
) -> ClickUpConnector:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    http = httpx.Client(transport=httpx.MockTransport(record))
    return ClickUpConnector(http=http, api_url=API + "/", clock=lambda: 1_714_000_800.0)


def test_is_a_task_sink() -> None:
    sink = connector(lambda r: httpx.Response(200), [])

    assert isinstance(sink, TaskSink)
    assert sink.provider is Provider.CLICKUP


def test_personal_token_goes_bare_and_oauth_as_bearer() -> None:
    assert authorization("pk_183_ABC") == "pk_183_ABC"
    assert authorization("12345678_oauthtoken") == "Bearer 12345678_oauthtoken"


def test_list_id_is_one_quoted_path_segment() -> None:
    assert task_url(API + "/", "901") == f"{API}/list/901/task"
    assert task_url(API, "901/../team?x=1#") == f"{API}/list/901%2F..%2Fteam%3Fx%3D1%23/task"


def test_create_task_posts_the_body_and_parses_the_fixture() -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(200, json=load("create_task_response")), seen)
    draft = TaskDraft(title="Pay invoice", notes="Due soon", due=date(2024, 4, 30), priority="low")

    result = sink.create_task("pk_183_ABC", target="901100000001", task=draft)

    assert result == RemoteTask("86abc123", "https://app.clickup.com/t/86abc123")
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == f"{API}/list/901100000001/task"
    assert request.headers["authorization"] == "pk_183_ABC"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "name": "Pay invoice",
        "markdown_content": "Due soon",
        "due_date": 1_714_435_200_000,
        "due_date_time": False,
        "priority": 4,
    }


def test_oauth_token_is_sent_as_bearer() -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(200, json={"id": "1", "url": "u"}), seen)

    sink.create_task("oauth-token", target="901", task=TaskDraft(title="t"))

    assert seen[0].headers["authorization"] == "Bearer oauth-token"


@pytest.mark.parametrize("token", ["", "   "])
def test_missing_token_is_auth_expired_without_a_call(token: str) -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(200), seen)

    with pytest.raises(AuthExpired):
        sink.create_task(token, target="901", task=TaskDraft(title="t"))
    assert seen == []


def test_missing_list_id_is_rejected_without_a_call() -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(200), seen)

    with pytest.raises(ConnectorError, match="no list id"):
        sink.create_task("pk_1", target=" ", task=TaskDraft(title="t"))
    assert seen == []


def test_error_responses_are_mapped() -> None:
    sink = connector(
        lambda r: httpx.Response(
            429, json=load("error_429"), headers={"X-RateLimit-Reset": "1714000830"}
        ),
        [],
    )

    with pytest.raises(RateLimited) as caught:
        sink.create_task("pk_1", target="901", task=TaskDraft(title="t"))
    assert caught.value.retry_after == 30.0


def test_404_is_a_clickup_error() -> None:
    sink = connector(
        lambda r: httpx.Response(404, json={"err": "List not found", "ECODE": "ITEM_013"}), []
    )

    with pytest.raises(ClickUpError, match=r"\(404 ITEM_013\)"):
        sink.create_task("pk_1", target="404", task=TaskDraft(title="t"))


def test_timeout_is_unavailable() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    sink = connector(slow, [])

    with pytest.raises(ProviderUnavailable):
        sink.create_task("pk_1", target="901", task=TaskDraft(title="t"))


def test_parse_task_accepts_numeric_ids_and_builds_a_missing_url() -> None:
    result = parse_task(httpx.Response(200, json={"id": 12345}))

    assert result == RemoteTask("12345", "https://app.clickup.com/t/12345")


@pytest.mark.parametrize(
    "resp",
    [
        httpx.Response(200, text="not json"),
        httpx.Response(200, json=[1, 2]),
        httpx.Response(200, json={"name": "no id"}),
        httpx.Response(200, json={"id": ""}),
    ],
)
def test_parse_task_rejects_unexpected_shapes(resp: httpx.Response) -> None:
    with pytest.raises(ConnectorError):
        parse_task(resp)
