"""The real NotionConnector against NotionFake over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import AuthExpired, ProviderUnavailable, RateLimited
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.notion.connector import NotionConnector
from connectors.notion.errors import NotionError
from connectors.notion.fake import (
    SANDBOX_DATABASE_ID,
    SANDBOX_TOKEN,
    NotionFake,
)
from connectors.types import RemoteTask, TaskDraft

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "notion"
HOSTILE = "<!channel> *bold* [x](javascript:alert(1))"
LINK = "https://hub.example.com/threads/42"
PRIVATE_DATABASE = "0f0e0d0c-0b0a-4998-8776-655443322110"
OTHER_TOKEN = "ntn_other_integration"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def fake() -> NotionFake:
    fake = NotionFake()
    fake.seed_sandbox()
    fake.add_integration(OTHER_TOKEN)
    fake.add_database(PRIVATE_DATABASE, "Private", {"Name": "title"}, {OTHER_TOKEN})
    return fake


@pytest.fixture(scope="module")
def server(fake: NotionFake) -> Iterator[RunningServer]:
    with serve_in_thread(fake.asgi_app()) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture
def api(fake: NotionFake, server: RunningServer) -> str:
    fake.reset()
    return f"{server.base_url}/notion/v1"


@pytest.fixture
def notion(api: str, http: httpx.Client) -> NotionConnector:
    return NotionConnector(http=http, api_url=api, priority_property="Priority")


def headers(token: str = SANDBOX_TOKEN, version: str | None = "2022-06-28") -> dict[str, str]:
    result = {"Authorization": f"Bearer {token}"}
    if version:
        result["Notion-Version"] = version
    return result


def create(notion: NotionConnector, **fields: Any) -> RemoteTask:
    token = fields.pop("token", SANDBOX_TOKEN)
    target = fields.pop("target", SANDBOX_DATABASE_ID)
    return notion.create_task(token, target=target, task=TaskDraft(**{"title": "t", **fields}))


def test_create_task_stores_properties_and_paragraphs(
    notion: NotionConnector, fake: NotionFake
) -> None:
    result = create(
        notion,
        title="Pay invoice 42",
        notes="Jordan asks for payment.\n\nBy Friday, please.",
        due=date(2024, 4, 30),
        link=LINK,
        priority="high",
    )

    page = fake.pages[result.remote_id]
    props = page["properties"]
    assert result.url == page["url"]
    assert result.url is not None
    assert result.url.startswith("https://www.notion.so/Pay-invoice-42-")
    assert fake.title_of(result.remote_id) == "Pay invoice 42"
    assert props["Due"]["date"] == {"start": "2024-04-30", "end": None, "time_zone": None}
    assert props["Source"]["url"] == LINK
    assert props["Priority"]["select"]["name"] == "High"
    assert props["Description"]["rich_text"] == []
    assert fake.paragraphs_of(result.remote_id) == [
        "Jordan asks for payment.",
        "By Friday, please.",
    ]
    assert page["parent"] == {"type": "database_id", "database_id": SANDBOX_DATABASE_ID}
    assert fake.requests[0]["notion_version"] == "2022-06-28"


def test_minimal_task(notion: NotionConnector, fake: NotionFake) -> None:
    result = create(notion, title="Call Jordan")

    props = fake.pages[result.remote_id]["properties"]
    assert (props["Due"]["date"], props["Source"]["url"], props["Priority"]["select"]) == (
        None,
        None,
        None,
    )
    assert fake.paragraphs_of(result.remote_id) == []


def test_hostile_title_is_stored_verbatim(notion: NotionConnector, fake: NotionFake) -> None:
    result = create(notion, title=HOSTILE, notes=HOSTILE)

    assert fake.title_of(result.remote_id) == HOSTILE
    assert fake.paragraphs_of(result.remote_id) == [HOSTILE]
    (item,) = fake.pages[result.remote_id]["properties"]["Name"]["title"]
    assert item["href"] is None
    assert not any(v for k, v in item["annotations"].items() if k != "color")


def test_long_notes_and_title_pass_notions_limits(
    notion: NotionConnector, fake: NotionFake
) -> None:
    notes = "\n\n".join(["\U0001f600" * 2500, *(f"p{i}" for i in range(200))])

    result = create(notion, title="x" * 3000, notes=notes)

    paragraphs = fake.paragraphs_of(result.remote_id)
    assert len(paragraphs) == 100
    assert paragraphs[0] == "\U0001f600" * 2500
    assert len(fake.children[result.remote_id][0]["paragraph"]["rich_text"]) == 3
    assert len(fake.title_of(result.remote_id)) == 2000


def test_page_object_has_the_fixture_shape(api: str, http: httpx.Client) -> None:
    request = load("create_page_request")
    request["parent"]["database_id"] = SANDBOX_DATABASE_ID
    request["properties"] = {
        "Name": request["properties"]["Name"],
        "Due": request["properties"]["Due"],
        "Priority": request["properties"]["Priority"],
        "Description": request["properties"]["Description"],
    }

    response = http.post(f"{api}/pages", json=request, headers=headers())

    assert response.status_code == 200
    page = response.json()
    expected = load("create_page_response")
    assert set(expected) <= set(page)
    for name in ("Name", "Due", "Description"):
        assert (
            page["properties"][name][page["properties"][name]["type"]]
            == (expected["properties"][name][expected["properties"][name]["type"]])
        )
    assert set(page["properties"]["Priority"]["select"]) == {"id", "name", "color"}
    assert page["properties"]["Name"]["id"] == "title"
    retrieved = http.get(f"{api}/pages/{page['id'].replace('-', '')}", headers=headers())
    assert retrieved.json()["properties"] == page["properties"]


def test_database_retrieve_lists_the_schema(api: str, http: httpx.Client) -> None:
    database = http.get(f"{api}/databases/{SANDBOX_DATABASE_ID}", headers=headers()).json()

    assert {n: p["type"] for n, p in database["properties"].items()} == {
        "Name": "title",
        "Due": "date",
        "Source": "url",
        "Priority": "select",
        "Description": "rich_text",
    }


def test_missing_version_is_400(api: str, http: httpx.Client) -> None:
    response = http.post(f"{api}/pages", json={}, headers=headers(version=None))

    assert response.status_code == 400
    assert response.json()["code"] == "missing_version"


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda b: b["properties"].pop("Name"), "body.properties.Name should be defined"),
        (
            lambda b: b["properties"].update(Nope={"url": "https://x"}),
            "Nope is not a property that exists.",
        ),
        (
            lambda b: b["properties"].update(Due={"url": "https://x"}),
            "Due is expected to be date.",
        ),
        (
            lambda b: b["properties"]["Name"]["title"][0]["text"].update(content="x" * 2001),
            "content.length should be ≤ `2000`, instead was `2001`",
        ),
        (
            lambda b: b.update(children=[b["children"][0]] * 101),
            "body.children.length should be ≤ `100`",
        ),
        (
            lambda b: b["properties"].update(Due={"date": {"start": "30/04/2024"}}),
            "valid ISO 8601 date",
        ),
        (lambda b: b["parent"].update(database_id="nope"), "should be a valid uuid"),
    ],
)
def test_invalid_bodies_are_validation_errors(
    api: str, http: httpx.Client, fake: NotionFake, mutate: Any, fragment: str
) -> None:
    body: dict[str, Any] = {
        "parent": {"database_id": SANDBOX_DATABASE_ID},
        "properties": {"Name": {"title": [{"type": "text", "text": {"content": "t"}}]}},
        "children": [
            {"paragraph": {"rich_text": [{"text": {"content": "p"}}]}, "type": "paragraph"}
        ],
    }
    mutate(body)

    response = http.post(f"{api}/pages", json=body, headers=headers())

    assert response.status_code == 400
    error = response.json()
    assert set(error) == set(load("error_validation"))
    assert error["code"] == "validation_error"
    assert fragment in error["message"]
    assert fake.pages == {}


def test_unknown_token_is_auth_expired(notion: NotionConnector) -> None:
    with pytest.raises(AuthExpired):
        create(notion, token="ntn_unknown")


def test_revoked_token_is_auth_expired(notion: NotionConnector, fake: NotionFake) -> None:
    fake.add_integration("ntn_revoked")
    fake.share(SANDBOX_DATABASE_ID, "ntn_revoked")
    fake.revoke("ntn_revoked")

    with pytest.raises(AuthExpired):
        create(notion, token="ntn_revoked")


@pytest.mark.parametrize("target", [PRIVATE_DATABASE, "ffffffff-ffff-4fff-8fff-ffffffffffff"])
def test_database_not_shared_or_unknown(
    notion: NotionConnector, fake: NotionFake, target: str
) -> None:
    with pytest.raises(NotionError, match="share the database with the integration") as caught:
        create(notion, target=target)

    assert caught.value.code == "object_not_found"
    assert fake.pages == {}


def test_sharing_the_database_makes_it_work(api: str, http: httpx.Client, fake: NotionFake) -> None:
    notion = NotionConnector(http=http, api_url=api)
    with pytest.raises(NotionError):
        create(notion, token=OTHER_TOKEN)

    fake.share(SANDBOX_DATABASE_ID, OTHER_TOKEN)
    try:
        assert create(notion, token=OTHER_TOKEN).remote_id in fake.pages
    finally:
        fake.unshare(SANDBOX_DATABASE_ID, OTHER_TOKEN)


def test_misconfigured_property_is_a_validation_error(api: str, http: httpx.Client) -> None:
    notion = NotionConnector(http=http, api_url=api, due_property="Deadline")

    with pytest.raises(NotionError, match="Deadline is not a property that exists") as caught:
        create(notion, due=date(2024, 5, 1))

    assert caught.value.code == "validation_error"


def test_property_of_the_wrong_type_is_a_validation_error(api: str, http: httpx.Client) -> None:
    notion = NotionConnector(http=http, api_url=api, link_property="Description")

    with pytest.raises(NotionError, match="Description is expected to be rich_text"):
        create(notion, link=LINK)


def test_429_with_retry_after(notion: NotionConnector, fake: NotionFake) -> None:
    fake.fail_next("/notion/v1/pages", 429, retry_after=2)

    with pytest.raises(RateLimited) as caught:
        create(notion)

    assert caught.value.retry_after == 2.0
    assert fake.pages == {}
    create(notion)
    assert len(fake.pages) == 1


def test_429_always_carries_retry_after(notion: NotionConnector, fake: NotionFake) -> None:
    fake.fail_next("/notion/v1/pages", 429)

    with pytest.raises(RateLimited) as caught:
        create(notion)

    assert caught.value.retry_after == 1.0


@pytest.mark.parametrize("status", [409, 500, 503, 529])
def test_transient_errors_are_unavailable(
    notion: NotionConnector, fake: NotionFake, status: int
) -> None:
    fake.fail_next("/notion/v1/pages", status)

    with pytest.raises(ProviderUnavailable):
        create(notion)
    assert fake.calls["pages.create"] == 1


def test_timeout_is_unavailable(api: str, fake: NotionFake) -> None:
    fake.fail_next("/notion/v1/pages", 503, delay=0.3)
    started = time.monotonic()

    with httpx.Client(timeout=0.05) as impatient, pytest.raises(ProviderUnavailable):
        create(NotionConnector(http=impatient, api_url=api))

    assert time.monotonic() - started < 0.3


def test_http_controls(api: str, server: RunningServer, http: httpx.Client) -> None:
    base = f"{server.base_url}/_fake/notion"
    notion = NotionConnector(http=http, api_url=api)
    result = create(notion, notes="hello")
    http.post(f"{base}/fail", json={"path_prefix": "/notion/v1/pages", "status": 503})

    pages = http.get(f"{base}/pages").json()["pages"]
    assert [p["id"] for p in pages] == [result.remote_id]
    assert pages[0]["children"][0]["paragraph"]["rich_text"][0]["plain_text"] == "hello"
    with pytest.raises(ProviderUnavailable):
        create(notion)
    assert http.get(f"{base}/calls").json() == {"calls": {"pages.create": 2}}
