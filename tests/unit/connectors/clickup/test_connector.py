"""ClickUpConnector's requests and response handling over an in-memory transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
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


MARKER = "outbox-77"
REF = f"inbox-hub ref: {MARKER}"
SINCE = datetime(2024, 4, 25, 0, 0, tzinfo=UTC)  # 1_714_003_200_000 ms


def listed(task_id: str, text: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"id": task_id, "url": f"https://app.clickup.com/t/{task_id}", **fields} | (
        {} if text is None else {"description": text, "text_content": text}
    )


def pages(*bodies: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=bodies[int(request.url.params["page"])])

    return answer


def find(sink: ClickUpConnector, marker: str = MARKER, **kwargs: Any) -> RemoteTask | None:
    return sink.find_task(
        kwargs.pop("token", "pk_1"),
        target=kwargs.pop("target", "901"),
        task=TaskDraft(title="t", marker=marker),
        since=kwargs.pop("since", SINCE),
    )


def test_create_task_sends_the_marker_as_the_last_line() -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(200, json={"id": "1"}), seen)

    sink.create_task(
        "pk_1", target="901", task=TaskDraft(title="t", notes="n", link="https://h/1", marker="7")
    )

    body = json.loads(seen[0].content)
    assert body["markdown_content"] == "n\n\nSource: https://h/1\n\ninbox-hub ref: 7"


def test_create_task_refuses_a_bad_marker_without_a_call() -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(200, json={"id": "1"}), seen)

    with pytest.raises(ConnectorError, match="marker"):
        sink.create_task("pk_1", target="901", task=TaskDraft(title="t", marker="a b"))
    assert seen == []


def test_find_task_queries_get_tasks_from_a_minute_before_since() -> None:
    seen: list[httpx.Request] = []
    sink = connector(pages({"tasks": [listed("86a", f"x\n\n{REF}")], "last_page": True}), seen)

    result = find(sink, token="oauth-token")

    assert result == RemoteTask("86a", "https://app.clickup.com/t/86a")
    (request,) = seen
    assert request.method == "GET"
    assert request.url.path == "/api/v2/list/901/task"
    assert request.headers["authorization"] == "Bearer oauth-token"
    assert dict(request.url.params) == {
        "date_created_gt": str(1_714_003_200_000 - 60_000),
        "include_closed": "true",
        "subtasks": "true",
        "order_by": "created",
        "page": "0",
    }


def test_naive_since_is_utc() -> None:
    seen: list[httpx.Request] = []
    sink = connector(pages({"tasks": [], "last_page": True}), seen)

    find(sink, since=SINCE.replace(tzinfo=None))
    find(sink, since=SINCE.astimezone(timezone(timedelta(hours=2))))

    assert [r.url.params["date_created_gt"] for r in seen] == ["1714003140000"] * 2


def test_find_task_skips_other_markers_and_unmarked_tasks() -> None:
    tasks = [
        listed("1"),
        listed("2", "no marker here"),
        listed("3", "inbox-hub ref: outbox-7"),
        listed("4", "inbox-hub ref: outbox-777"),
        listed("5", f"{REF}\n\nSource: https://h/1"),  # quoted in notes
        listed("6", markdown_description=f"n\n\n{REF}"),
    ]
    sink = connector(pages({"tasks": tasks, "last_page": True}), [])

    assert find(sink) == RemoteTask("6", "https://app.clickup.com/t/6")
    assert find(sink, marker="outbox-7") == RemoteTask("3", "https://app.clickup.com/t/3")
    assert find(sink, marker="outbox-8") is None


def test_find_task_pages_until_last_page() -> None:
    seen: list[httpx.Request] = []
    filler = [listed(str(n), "x") for n in range(100)]
    sink = connector(
        pages(
            {"tasks": filler, "last_page": False},
            {"tasks": filler, "last_page": False},
            {"tasks": [*filler[:3], listed("86z", REF)], "last_page": True},
        ),
        seen,
    )

    assert find(sink) == RemoteTask("86z", "https://app.clickup.com/t/86z")
    assert [r.url.params["page"] for r in seen] == ["0", "1", "2"]


def test_find_task_stops_at_the_last_page() -> None:
    seen: list[httpx.Request] = []
    sink = connector(pages({"tasks": [listed("1", "x")] * 100, "last_page": True}), seen)

    assert find(sink) is None
    assert len(seen) == 1


def test_without_last_page_a_short_page_is_the_last() -> None:
    seen: list[httpx.Request] = []
    full = {"tasks": [listed("1", "x")] * 100}
    sink = connector(pages(full, {"tasks": [listed("1", "x")] * 99}), seen)

    assert find(sink) is None
    assert len(seen) == 2


def test_find_task_reads_at_most_five_pages() -> None:
    seen: list[httpx.Request] = []
    full = {"tasks": [listed("1", "x")] * 100, "last_page": False}
    sink = connector(pages(*[full] * 5, {"tasks": [listed("9", REF)], "last_page": True}), seen)

    assert find(sink) is None
    assert len(seen) == 5


@pytest.mark.parametrize("marker", ["", "   "])
def test_no_marker_is_none_without_a_call(marker: str) -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(500), seen)

    assert find(sink, marker=marker) is None
    assert find(sink, marker=marker, token="") is None
    assert seen == []


def test_find_task_checks_token_target_and_marker_without_a_call() -> None:
    seen: list[httpx.Request] = []
    sink = connector(lambda r: httpx.Response(500), seen)

    with pytest.raises(AuthExpired):
        find(sink, token=" ")
    with pytest.raises(ConnectorError, match="no list id"):
        find(sink, target="")
    with pytest.raises(ConnectorError, match="marker"):
        find(sink, marker="*x*")
    assert seen == []


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(429, json={"err": "Rate limit reached", "ECODE": "APP_002"}), RateLimited),
        (httpx.Response(401, json={"err": "Token invalid", "ECODE": "OAUTH_019"}), AuthExpired),
        (httpx.Response(401, json={"err": "x", "ECODE": "OAUTH_027"}), ClickUpError),
        (httpx.Response(404, json={"err": "List not found", "ECODE": "ITEM_013"}), ClickUpError),
        (httpx.Response(502, text="bad gateway"), ProviderUnavailable),
        (httpx.Response(200, text="not json"), ConnectorError),
        (httpx.Response(200, json={"last_page": True}), ConnectorError),
        (httpx.Response(200, json={"tasks": [{"name": "no id"}]}), ConnectorError),
    ],
)
def test_find_task_errors_map_like_create_task(
    response: httpx.Response, error: type[Exception]
) -> None:
    sink = connector(lambda r: response, [])

    with pytest.raises(error):
        find(sink)


def test_find_task_connection_failure_is_unavailable() -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("reset", request=request)

    with pytest.raises(ProviderUnavailable):
        find(connector(reset, []))
