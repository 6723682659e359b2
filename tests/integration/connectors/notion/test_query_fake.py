"""NotionFake's database query and block children endpoints, over HTTP, in Notion's shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.fakeserver import RunningServer
from connectors.notion.fake import SANDBOX_DATABASE_ID, SANDBOX_TOKEN, NotionFake
from tests.support.fakes import Switch

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "notion"
T0 = datetime(2024, 4, 25, 10, 31, 20, tzinfo=UTC)
OTHER_TOKEN = "ntn_other_integration"
PRIVATE_DATABASE = "0f0e0d0c-0b0a-4998-8776-655443322110"
HEADERS = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Notion-Version": "2022-06-28"}


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@dataclass
class Env:
    fake: NotionFake
    http: httpx.Client
    api: str
    now: list[datetime]

    def page(
        self, title: str, *, at: datetime = T0, paragraphs: tuple[str, ...] = (), **props: Any
    ) -> str:
        self.now[0] = at
        body: dict[str, Any] = {
            "parent": {"database_id": SANDBOX_DATABASE_ID},
            "properties": {"Name": {"title": [{"text": {"content": title}}]}, **props},
            "children": [
                {"type": "paragraph", "paragraph": {"rich_text": [{"text": {"content": p}}]}}
                for p in paragraphs
            ],
        }
        response = self.http.post(f"{self.api}/pages", json=body, headers=HEADERS)
        assert response.status_code == 200, response.text
        page_id: str = response.json()["id"]
        return page_id

    def query(self, body: dict[str, Any] | None = None, database: str = SANDBOX_DATABASE_ID) -> Any:
        return self.http.post(f"{self.api}/databases/{database}/query", json=body, headers=HEADERS)

    def ids(self, body: dict[str, Any]) -> list[str]:
        response = self.query(body)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["results"]]

    def children(self, block_id: str, **params: Any) -> httpx.Response:
        return self.http.get(
            f"{self.api}/blocks/{block_id}/children", params=params, headers=HEADERS
        )


@pytest.fixture
def env(fake_server: tuple[Switch, RunningServer]) -> Iterator[Env]:
    switch, server = fake_server
    now = [T0]
    fake = NotionFake(clock=lambda: now[0])
    fake.seed_sandbox()
    fake.add_integration(OTHER_TOKEN)
    fake.add_database(PRIVATE_DATABASE, "Private", {"Name": "title"}, {OTHER_TOKEN})
    switch.app = fake.asgi_app()
    with httpx.Client(timeout=5) as http:
        yield Env(fake, http, f"{server.base_url}/notion/v1", now)


def title_is(value: str, condition: str = "equals", key: str = "title") -> dict[str, Any]:
    return {"property": "Name", key: {condition: value}}


def created(condition: str, value: str) -> dict[str, Any]:
    return {"timestamp": "created_time", "created_time": {condition: value}}


def test_query_answers_notions_list_shape(env: Env) -> None:
    page_id = env.page("Pay invoice", Description={"rich_text": [{"text": {"content": "d"}}]})

    response = env.query({"filter": title_is("Pay invoice")})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "object",
        "results",
        "next_cursor",
        "has_more",
        "type",
        "page_or_database",
        "request_id",
    }
    assert (body["object"], body["type"], body["page_or_database"]) == (
        "list",
        "page_or_database",
        {},
    )
    assert (body["next_cursor"], body["has_more"]) == (None, False)
    (page,) = body["results"]
    retrieved = env.http.get(f"{env.api}/pages/{page_id}", headers=HEADERS).json()
    assert page == {k: v for k, v in retrieved.items() if k != "request_id"}
    assert env.fake.calls["databases.query"] == 1


def test_created_time_is_kept_to_the_minute(env: Env) -> None:
    page_id = env.page("t", at=T0.replace(second=59, microsecond=999))

    assert env.fake.pages[page_id]["created_time"] == "2024-04-25T10:31:00.000Z"


def test_an_empty_body_lists_every_page_newest_first(env: Env) -> None:
    old = env.page("a", at=T0)
    new = env.page("b", at=T0 + timedelta(minutes=5))

    response = env.http.post(
        f"{env.api}/databases/{SANDBOX_DATABASE_ID}/query", content=b"", headers=HEADERS
    )

    assert [p["id"] for p in response.json()["results"]] == [new, old]


def test_title_conditions(env: Env) -> None:
    pay = env.page("Pay invoice 42")
    call = env.page("Call Jordan")
    empty = env.page("")

    assert env.ids({"filter": title_is("Pay invoice 42")}) == [pay]
    assert env.ids({"filter": title_is("pay invoice 42")}) == []  # equals is exact
    assert env.ids({"filter": title_is("Pay invoice 42", key="rich_text")}) == [pay]
    assert env.ids({"filter": title_is("INVOICE", "contains")}) == [pay]
    assert set(env.ids({"filter": title_is("invoice", "does_not_contain")})) == {call, empty}
    assert env.ids({"filter": title_is("call", "starts_with")}) == [call]
    assert env.ids({"filter": title_is("42", "ends_with")}) == [pay]
    assert set(env.ids({"filter": title_is("Call Jordan", "does_not_equal")})) == {pay, empty}
    assert env.ids({"filter": {"property": "Name", "title": {"is_empty": True}}}) == [empty]


def test_rich_text_property_conditions(env: Env) -> None:
    with_text = env.page("a", Description={"rich_text": [{"text": {"content": "Urgent: pay"}}]})
    env.page("b")

    condition = {"property": "Description", "rich_text": {"contains": "urgent"}}
    assert env.ids({"filter": condition}) == [with_text]


def test_created_time_conditions(env: Env) -> None:
    early = env.page("t", at=T0 - timedelta(minutes=1))  # 10:30
    on_time = env.page("t", at=T0)  # 10:31
    late = env.page("t", at=T0 + timedelta(days=1))  # next day

    def ids(condition: str, value: str) -> set[str]:
        return set(env.ids({"filter": created(condition, value)}))

    assert ids("on_or_after", "2024-04-25T10:31:00.000Z") == {on_time, late}
    assert ids("on_or_after", "2024-04-25T12:31:00+02:00") == {on_time, late}
    assert ids("after", "2024-04-25T10:31:00Z") == {late}
    assert ids("before", "2024-04-25T10:31:00Z") == {early}
    assert ids("on_or_before", "2024-04-25T10:31:00Z") == {early, on_time}
    assert ids("equals", "2024-04-25") == {early, on_time}
    assert ids("after", "2024-04-25") == {late}
    assert ids("on_or_after", "2024-04-26") == {late}


def test_compound_filters(env: Env) -> None:
    early = env.page("Pay", at=T0 - timedelta(minutes=3))
    mine = env.page("Pay", at=T0)
    call = env.page("Call", at=T0)

    both = {"and": [title_is("Pay"), created("on_or_after", "2024-04-25T10:31:00.000Z")]}
    assert env.ids({"filter": both}) == [mine]
    either = {"or": [title_is("Call"), created("before", "2024-04-25T10:30:00.000Z")]}
    assert set(env.ids({"filter": either})) == {early, call}
    nested = {"and": [created("on_or_after", "2024-04-25"), {"or": [title_is("Call")]}]}
    assert env.ids({"filter": nested}) == [call]


def test_sorts(env: Env) -> None:
    b = env.page("b", at=T0)
    a = env.page("a", at=T0 + timedelta(minutes=1))
    c = env.page("c", at=T0)  # same minute as b, created after it

    newest = {"sorts": [{"timestamp": "created_time", "direction": "descending"}]}
    assert env.ids(newest) == [a, c, b]
    oldest = {"sorts": [{"timestamp": "created_time", "direction": "ascending"}]}
    assert env.ids(oldest) == [b, c, a]
    by_title = {"sorts": [{"property": "Name", "direction": "ascending"}]}
    assert env.ids(by_title) == [a, b, c]


def test_paging_with_start_cursor(env: Env) -> None:
    pages = [env.page(f"p{i}", at=T0 + timedelta(minutes=i)) for i in range(5)]
    sorts = [{"timestamp": "created_time", "direction": "ascending"}]

    seen: list[str] = []
    cursor: str | None = None
    while True:
        body: dict[str, Any] = {"sorts": sorts, "page_size": 2}
        if cursor:
            body["start_cursor"] = cursor
        answer = env.query(body).json()
        seen += [p["id"] for p in answer["results"]]
        assert answer["has_more"] is (answer["next_cursor"] is not None)
        cursor = answer["next_cursor"]
        if not cursor:
            break

    assert seen == pages
    assert env.fake.calls["databases.query"] == 3


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"filter": title_is("x") | {"rich_text": {"equals": "x"}}}, "exactly one filter"),
        ({"filter": {"property": "Nope", "title": {"equals": "x"}}}, "Could not find property"),
        ({"filter": {"property": "Name", "date": {"equals": "2024-01-01"}}}, "does not match"),
        ({"filter": title_is("x", "sounds_like")}, "not a text filter condition"),
        ({"filter": {"property": "Name", "title": {"equals": 4}}}, "should be a string"),
        ({"filter": {"property": "Name", "title": {}}}, "exactly one condition"),
        ({"filter": created("on_or_after", "yesterday")}, "valid ISO 8601"),
        ({"filter": {"timestamp": "deleted_time", "deleted_time": {}}}, "created_time"),
        ({"filter": {"and": title_is("x")}}, "body.filter.and should be an array"),
        ({"filter": {"and": [], "or": []}}, "body.filter should be"),
        ({"filter": {"and": [{"or": [{"and": []}]}]}}, "nests compound filters"),
        ({"filter": "x"}, "body.filter should be an object"),
        ({"sorts": [{"timestamp": "created_time"}]}, "direction"),
        ({"page_size": 101}, "body.page_size should be ≤ `100`"),
        ({"page_size": 0}, "body.page_size should be ≥ `1`"),
        ({"start_cursor": "nope"}, "start_cursor should be a valid uuid"),
        ({"start_cursor": "ffffffff-ffff-4fff-8fff-ffffffffffff"}, "start_cursor provided"),
    ],
)
def test_bad_queries_are_validation_errors(env: Env, body: dict[str, Any], fragment: str) -> None:
    env.page("x")

    response = env.query(body)

    assert response.status_code == 400
    error = response.json()
    assert set(error) == set(load("error_validation"))
    assert (error["object"], error["status"], error["code"]) == ("error", 400, "validation_error")
    assert fragment in error["message"]


@pytest.mark.parametrize("database", [PRIVATE_DATABASE, "ffffffff-ffff-4fff-8fff-ffffffffffff"])
def test_query_of_an_unshared_or_unknown_database_is_object_not_found(
    env: Env, database: str
) -> None:
    response = env.query({}, database=database)

    assert response.status_code == 404
    error = response.json()
    assert set(error) == set(load("error_404"))
    assert error["code"] == "object_not_found"
    assert "Could not find database with ID" in error["message"]


def test_query_needs_version_and_token(env: Env) -> None:
    url = f"{env.api}/databases/{SANDBOX_DATABASE_ID}/query"

    no_version = env.http.post(url, json={}, headers={"Authorization": HEADERS["Authorization"]})
    bad_token = env.http.post(
        url, json={}, headers={**HEADERS, "Authorization": "Bearer ntn_unknown"}
    )

    assert (no_version.status_code, no_version.json()["code"]) == (400, "missing_version")
    assert (bad_token.status_code, bad_token.json()["code"]) == (401, "unauthorized")


def test_query_of_a_bad_database_id_is_a_path_validation_error(env: Env) -> None:
    response = env.query({}, database="nope")

    assert response.status_code == 400
    assert response.json()["message"].startswith("path failed validation: path.database_id")


def test_block_children_are_the_page_body_in_notions_shape(env: Env) -> None:
    page_id = env.page("t", paragraphs=("one", "two"))

    response = env.children(page_id.replace("-", ""))

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("object", "type", "block", "next_cursor", "has_more")} == {
        "object": "list",
        "type": "block",
        "block": {},
        "next_cursor": None,
        "has_more": False,
    }
    first, second = body["results"]
    assert set(first) == {
        "object",
        "id",
        "parent",
        "created_time",
        "last_edited_time",
        "created_by",
        "last_edited_by",
        "has_children",
        "archived",
        "in_trash",
        "type",
        "paragraph",
    }
    assert first["parent"] == {"type": "page_id", "page_id": page_id}
    assert first["created_time"] == env.fake.pages[page_id]["created_time"]
    assert [b["paragraph"]["rich_text"][0]["plain_text"] for b in (first, second)] == [
        "one",
        "two",
    ]
    assert env.fake.calls["blocks.children.list"] == 1


def test_block_children_paging(env: Env) -> None:
    page_id = env.page("t", paragraphs=tuple(f"p{i}" for i in range(5)))

    seen: list[str] = []
    params: dict[str, Any] = {"page_size": 2}
    while True:
        body = env.children(page_id, **params).json()
        seen += [b["paragraph"]["rich_text"][0]["plain_text"] for b in body["results"]]
        if not body["has_more"]:
            break
        params = {"page_size": 2, "start_cursor": body["next_cursor"]}

    assert seen == [f"p{i}" for i in range(5)]


def test_a_child_block_has_no_children(env: Env) -> None:
    page_id = env.page("t", paragraphs=("one",))
    (block,) = env.children(page_id).json()["results"]

    assert env.children(block["id"]).json()["results"] == []


def test_a_page_without_body_has_no_children(env: Env) -> None:
    assert env.children(env.page("t")).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"page_size": 0}, "query.page_size should be ≥ `1`"),
        ({"page_size": "x"}, "query.page_size should be a number"),
        ({"start_cursor": "ffffffff-ffff-4fff-8fff-ffffffffffff"}, "start_cursor provided"),
    ],
)
def test_bad_children_requests_are_validation_errors(
    env: Env, params: dict[str, Any], fragment: str
) -> None:
    response = env.children(env.page("t", paragraphs=("one",)), **params)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert fragment in response.json()["message"]


def test_children_of_an_unknown_or_unshared_page_are_object_not_found(env: Env) -> None:
    page_id = env.page("t", paragraphs=("one",))
    env.fake.unshare(SANDBOX_DATABASE_ID, SANDBOX_TOKEN)
    try:
        hidden = env.children(page_id)
    finally:
        env.fake.share(SANDBOX_DATABASE_ID, SANDBOX_TOKEN)
    unknown = env.children("ffffffff-ffff-4fff-8fff-ffffffffffff")

    for response in (hidden, unknown):
        assert response.status_code == 404
        assert set(response.json()) == set(load("error_404"))
        assert response.json()["code"] == "object_not_found"
        assert "Could not find block with ID" in response.json()["message"]
    assert env.children("nope").status_code == 400


def test_reset_restores_the_clock() -> None:
    fake = NotionFake()
    fake.clock = lambda: datetime(2001, 1, 1, tzinfo=UTC)

    fake.reset()

    assert fake.clock().year > 2001
