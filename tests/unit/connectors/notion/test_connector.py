"""NotionConnector's requests and response handling over an in-memory transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.base import TaskSink
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.notion.connector import MAX_QUERY_PAGES, NotionConnector, parse_page
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


# ---- find_task -------------------------------------------------------------------------

SINCE = datetime(2024, 4, 25, 10, 31, 45, tzinfo=UTC)
MARKED = TaskDraft(title="Pay invoice", marker="outbox-7")


def page(page_id: str) -> dict[str, Any]:
    return {"object": "page", "id": page_id, "url": f"https://www.notion.so/{page_id}"}


def listing(results: list[dict[str, Any]], next_cursor: str | None = None) -> dict[str, Any]:
    return {
        "object": "list",
        "results": results,
        "next_cursor": next_cursor,
        "has_more": next_cursor is not None,
        "type": "page_or_database",
        "page_or_database": {},
    }


def paragraph(content: str) -> dict[str, Any]:
    item = {"type": "text", "text": {"content": content}, "plain_text": content}
    return {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [item]}}


def notion_api(
    queries: list[dict[str, Any]], blocks: dict[str, list[dict[str, Any]]]
) -> Callable[[httpx.Request], httpx.Response]:
    """Answers query pages in turn, and each page's children pages in turn."""
    answers = list(queries)

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/query"):
            return httpx.Response(200, json=answers.pop(0))
        page_id = request.url.path.split("/")[-2]
        return httpx.Response(200, json=blocks[page_id].pop(0))

    return handle


def test_create_task_appends_the_marker_paragraph() -> None:
    seen: list[httpx.Request] = []

    connector(ok, seen).create_task(
        "ntn_abc", target=DATABASE, task=TaskDraft(title="t", notes="n", marker="outbox-7")
    )

    children = json.loads(seen[0].content)["children"]
    assert [c["paragraph"]["rich_text"][0]["text"]["content"] for c in children] == [
        "n",
        "inbox-hub ref: outbox-7",
    ]


def test_find_task_queries_by_title_and_minute_then_reads_blocks() -> None:
    seen: list[httpx.Request] = []
    api = notion_api(
        [listing([page("p1")])], {"p1": [listing([paragraph("inbox-hub ref: outbox-7")])]}
    )
    sink = connector(api, seen, title_property="Task")

    found = sink.find_task("ntn_abc", target=f" {DATABASE} ", task=MARKED, since=SINCE)

    assert found == RemoteTask("p1", "https://www.notion.so/p1")
    query, children = seen
    assert (query.method, str(query.url)) == ("POST", f"{API}/databases/{DATABASE}/query")
    assert query.headers["authorization"] == "Bearer ntn_abc"
    assert query.headers["notion-version"] == "2022-06-28"
    assert json.loads(query.content) == {
        "filter": {
            "and": [
                {"property": "Task", "title": {"equals": "Pay invoice"}},
                {
                    "timestamp": "created_time",
                    "created_time": {"on_or_after": "2024-04-25T10:31:00.000Z"},
                },
            ]
        },
        "sorts": [{"timestamp": "created_time", "direction": "descending"}],
        "page_size": 10,
    }
    assert children.method == "GET"
    assert str(children.url) == f"{API}/blocks/p1/children?page_size=100"
    assert children.headers["notion-version"] == "2022-06-28"


def test_find_task_checks_candidates_newest_first_and_stops_at_the_match() -> None:
    seen: list[httpx.Request] = []
    api = notion_api(
        [listing([page("new"), page("mine"), page("old")])],
        {
            "new": [listing([paragraph("inbox-hub ref: outbox-8")])],
            "mine": [listing([paragraph("notes"), paragraph("inbox-hub ref: outbox-7")])],
            "old": [listing([paragraph("inbox-hub ref: outbox-7")])],
        },
    )

    found = connector(api, seen).find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)

    assert found is not None
    assert found.remote_id == "mine"
    assert [r.url.path for r in seen[1:]] == ["/v1/blocks/new/children", "/v1/blocks/mine/children"]


def test_find_task_is_exact_about_the_marker() -> None:
    api = notion_api(
        [listing([page("p1")])], {"p1": [listing([paragraph("inbox-hub ref: outbox-77")])]}
    )

    sink = connector(api, [])

    assert sink.find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE) is None


def test_find_task_follows_query_and_block_cursors() -> None:
    seen: list[httpx.Request] = []
    api = notion_api(
        [listing([page("a")], next_cursor="b"), listing([page("b")])],
        {
            "a": [listing([paragraph("x")])],
            "b": [
                listing([paragraph("y")], next_cursor="blk2"),
                listing([paragraph("inbox-hub ref: outbox-7")]),
            ],
        },
    )

    found = connector(api, seen).find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)

    assert found is not None
    assert found.remote_id == "b"
    queries = [json.loads(r.content) for r in seen if r.method == "POST"]
    assert "start_cursor" not in queries[0]
    assert queries[1]["start_cursor"] == "b"
    assert seen[-1].url.params["start_cursor"] == "blk2"


def test_find_task_gives_up_after_the_query_page_limit() -> None:
    seen: list[httpx.Request] = []

    def endless(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/query"):
            return httpx.Response(200, json=listing([], next_cursor="more"))
        raise AssertionError("no candidates to read")

    assert (
        connector(endless, seen).find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)
        is None
    )
    assert len(seen) == MAX_QUERY_PAGES


def test_find_task_without_candidates_is_none() -> None:
    seen: list[httpx.Request] = []

    found = connector(notion_api([listing([])], {}), seen).find_task(
        "ntn_abc", target=DATABASE, task=MARKED, since=SINCE
    )

    assert found is None
    assert len(seen) == 1


@pytest.mark.parametrize("marker", ["", "   "])
def test_find_task_without_a_marker_makes_no_call(marker: str) -> None:
    seen: list[httpx.Request] = []

    found = connector(ok, seen).find_task(
        "ntn_abc", target=DATABASE, task=TaskDraft(title="t", marker=marker), since=SINCE
    )

    assert found is None
    assert seen == []


def test_find_task_checks_token_and_database_without_a_call() -> None:
    seen: list[httpx.Request] = []
    sink = connector(ok, seen)

    with pytest.raises(AuthExpired):
        sink.find_task(" ", target=DATABASE, task=MARKED, since=SINCE)
    with pytest.raises(ConnectorError, match="no database id"):
        sink.find_task("ntn_abc", target=" ", task=MARKED, since=SINCE)
    assert seen == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthExpired),
        (404, NotionError),
        (429, RateLimited),
        (400, NotionError),
        (500, ProviderUnavailable),
        (503, ProviderUnavailable),
    ],
)
def test_find_task_query_errors_map_like_create(status: int, error: type[Exception]) -> None:
    body = {"object": "error", "status": status, "code": "x", "message": "m"}
    sink = connector(lambda r: httpx.Response(status, json=body), [])

    with pytest.raises(error):
        sink.find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)


def test_find_task_block_errors_map_like_create() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/query"):
            return httpx.Response(200, json=listing([page("p1")]))
        return httpx.Response(502, json={"object": "error", "status": 502, "code": "bad_gateway"})

    with pytest.raises(ProviderUnavailable):
        connector(handle, []).find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)


def test_find_task_passes_over_a_candidate_deleted_meanwhile() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/query"):
            return httpx.Response(200, json=listing([page("gone"), page("p1")]))
        if "/gone/" in request.url.path:
            return httpx.Response(404, json=load("error_404"))
        return httpx.Response(200, json=listing([paragraph("inbox-hub ref: outbox-7")]))

    found = connector(handle, []).find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)

    assert found is not None
    assert found.remote_id == "p1"


def test_find_task_transport_failure_is_unavailable() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(ProviderUnavailable):
        connector(refused, []).find_task("ntn_abc", target=DATABASE, task=MARKED, since=SINCE)


@pytest.mark.parametrize(
    "resp",
    [
        httpx.Response(200, text="<html>"),
        httpx.Response(200, json={"object": "page", "id": "p"}),
        httpx.Response(200, json={"object": "list", "results": "nope"}),
        httpx.Response(200, json={"object": "list", "results": [{"object": "page"}]}),
    ],
)
def test_find_task_rejects_unexpected_list_shapes(resp: httpx.Response) -> None:
    with pytest.raises(ConnectorError):
        connector(lambda r: resp, []).find_task(
            "ntn_abc", target=DATABASE, task=MARKED, since=SINCE
        )
