"""NotionConnector.find_task against NotionFake over HTTP: recognizing a create whose
outcome was unknown (the page carries the draft's marker), and the fake's fault for it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from connectors.errors import AuthExpired, ProviderUnavailable, RateLimited
from connectors.fakeserver import RunningServer
from connectors.notion.connector import NotionConnector
from connectors.notion.errors import NotionError
from connectors.notion.fake import SANDBOX_DATABASE_ID, SANDBOX_TOKEN, NotionFake
from connectors.types import RemoteTask, TaskDraft
from tests.support.fakes import Switch

pytestmark = pytest.mark.integration

T0 = datetime(2024, 4, 25, 10, 31, 20, tzinfo=UTC)
TITLE = "Pay invoice 42"
CREATES = "/notion/v1/pages"


class Clock:
    """A settable clock for the fake: the time pages are created at."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Env:
    fake: NotionFake
    clock: Clock
    server: RunningServer
    http: httpx.Client
    notion: NotionConnector

    @property
    def api(self) -> str:
        return f"{self.server.base_url}/notion/v1"

    def create(self, marker: str = "", title: str = TITLE, notes: str = "") -> RemoteTask:
        draft = TaskDraft(title=title, notes=notes, marker=marker)
        return self.notion.create_task(SANDBOX_TOKEN, target=SANDBOX_DATABASE_ID, task=draft)

    def find(
        self, marker: str, since: datetime = T0, title: str = TITLE, **options: str
    ) -> RemoteTask | None:
        return self.notion.find_task(
            options.get("token", SANDBOX_TOKEN),
            target=options.get("target", SANDBOX_DATABASE_ID),
            task=TaskDraft(title=title, marker=marker),
            since=since,
        )


@pytest.fixture
def env(fake_server: tuple[Switch, RunningServer]) -> Iterator[Env]:
    switch, server = fake_server
    clock = Clock(T0)
    fake = NotionFake(clock=clock)
    fake.seed_sandbox()
    switch.app = fake.asgi_app()
    with httpx.Client(timeout=5) as http:
        api = f"{server.base_url}/notion/v1"
        yield Env(fake, clock, server, http, NotionConnector(http=http, api_url=api))


def test_created_page_carries_the_marker_paragraph(env: Env) -> None:
    result = env.create("outbox-1", notes="Jordan asks for payment.")

    assert env.fake.paragraphs_of(result.remote_id) == [
        "Jordan asks for payment.",
        "inbox-hub ref: outbox-1",
    ]
    listed = env.http.get(
        f"{env.api}/blocks/{result.remote_id}/children",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}", "Notion-Version": "2022-06-28"},
    ).json()
    last = listed["results"][-1]
    assert last["type"] == "paragraph"
    assert last["paragraph"]["rich_text"][0]["plain_text"] == "inbox-hub ref: outbox-1"
    assert last["parent"] == {"type": "page_id", "page_id": result.remote_id}


def test_without_a_marker_the_body_has_no_marker_paragraph(env: Env) -> None:
    result = env.create(notes="hello")

    assert env.fake.paragraphs_of(result.remote_id) == ["hello"]


def test_find_task_returns_the_created_page(env: Env) -> None:
    created = env.create("outbox-1")

    found = env.find("outbox-1", since=T0 - timedelta(seconds=5))

    assert found == created
    assert env.fake.calls["databases.query"] == 1
    assert env.fake.calls["blocks.children.list"] == 1


def test_find_task_ignores_a_same_titled_page_with_another_marker(env: Env) -> None:
    mine = env.create("outbox-1")
    env.clock.at = T0 + timedelta(minutes=2)
    env.create("outbox-2")  # newer, same title: checked first, passed over
    env.create("outbox-11")  # "inbox-hub ref: outbox-11" must not match outbox-1

    assert env.find("outbox-1") == mine
    assert env.fake.calls["blocks.children.list"] == 3
    assert env.find("outbox-3") is None


def test_find_task_ignores_a_page_created_before_since(env: Env) -> None:
    env.clock.at = T0 - timedelta(minutes=2)
    env.create("outbox-1")  # even with the same marker: too old to be this attempt's
    env.clock.at = T0

    assert env.find("outbox-1", since=T0) is None
    assert env.fake.calls["blocks.children.list"] == 0


def test_since_is_floored_to_notions_minute(env: Env) -> None:
    env.clock.at = T0.replace(second=5)
    created = env.create("outbox-1")

    # Created 15 s before since, in the same minute: Notion's created_time says 10:31:00.
    assert env.fake.pages[created.remote_id]["created_time"] == "2024-04-25T10:31:00.000Z"
    assert env.find("outbox-1", since=T0.replace(second=20)) == created


def test_find_task_none_when_absent(env: Env) -> None:
    assert env.find("outbox-1") is None
    env.create("outbox-1", title="Another task")
    env.create("outbox-1", title=TITLE.upper())

    assert env.find("outbox-1") is None
    assert env.fake.calls["blocks.children.list"] == 0  # the title filter left nothing


def test_find_task_without_a_marker_makes_no_call(env: Env) -> None:
    env.create("outbox-1")
    env.fake.calls.clear()

    assert env.find("") is None
    assert sum(env.fake.calls.values()) == 0


def test_find_task_matches_the_title_as_written(env: Env) -> None:
    long_title = "Re:\r\n  " + "\U0001f600" * 1500
    created = env.create("outbox-1", title=long_title)

    assert env.find("outbox-1", title=long_title) == created


def test_find_task_pages_through_many_same_titled_pages(env: Env) -> None:
    mine = env.create("outbox-1")
    env.clock.at = T0 + timedelta(minutes=1)
    for n in range(2, 14):
        env.create(f"outbox-{n}")

    assert env.find("outbox-1") == mine
    assert env.fake.calls["databases.query"] == 2
    assert env.fake.calls["blocks.children.list"] == 13


@pytest.mark.parametrize("status", [500, 502, 504])
def test_answer_lost_after_the_create_then_find_task_recovers_the_page(
    env: Env, status: int
) -> None:
    env.fake.fail_next(CREATES, status, after_processing=True)

    with pytest.raises(ProviderUnavailable):
        env.create("outbox-1", notes="n")

    (page_id,) = env.fake.pages
    assert env.fake.calls["pages.create"] == 1
    assert env.fake.paragraphs_of(page_id)[-1] == "inbox-hub ref: outbox-1"
    found = env.find("outbox-1")
    assert found == RemoteTask(page_id, env.fake.pages[page_id]["url"])


def test_timeout_after_the_create_then_find_task_recovers_the_page(env: Env) -> None:
    env.fake.fail_next(CREATES, 504, delay=0.5, after_processing=True)
    started = time.monotonic()

    with (
        httpx.Client(timeout=0.1) as slow_http,
        pytest.raises(ProviderUnavailable, match="ReadTimeout"),
    ):
        NotionConnector(http=slow_http, api_url=env.api).create_task(
            SANDBOX_TOKEN, target=SANDBOX_DATABASE_ID, task=TaskDraft(TITLE, marker="outbox-1")
        )

    assert time.monotonic() - started < 0.5
    (page_id,) = env.fake.pages  # stored before the answer was held back
    found = env.find("outbox-1")
    assert found is not None
    assert (found.remote_id, found.url) == (page_id, env.fake.pages[page_id]["url"])


def test_after_processing_over_the_http_control(env: Env) -> None:
    control = f"{env.server.base_url}/_fake/notion/fail"
    env.http.post(
        control, json={"path_prefix": CREATES, "status": 502, "after_processing": True}
    ).raise_for_status()

    with pytest.raises(ProviderUnavailable):
        env.create("outbox-1")

    (page_id,) = env.fake.pages
    assert env.find("outbox-1") == RemoteTask(page_id, env.fake.pages[page_id]["url"])
    assert len(env.create("outbox-2").remote_id) == 36  # used up: the next create answers


def test_a_plain_fault_creates_nothing(env: Env) -> None:
    env.fake.fail_next(CREATES, 502)

    with pytest.raises(ProviderUnavailable):
        env.create("outbox-1")

    assert env.fake.pages == {}
    assert env.find("outbox-1") is None


def test_plain_faults_are_taken_before_after_processing_ones(env: Env) -> None:
    env.fake.fail_next(CREATES, 502, after_processing=True)
    env.fake.fail_next(CREATES, 503)

    with pytest.raises(ProviderUnavailable):
        env.create("outbox-1")
    assert env.fake.pages == {}
    with pytest.raises(ProviderUnavailable):
        env.create("outbox-1")
    assert len(env.fake.pages) == 1


def test_find_task_errors(env: Env) -> None:
    with pytest.raises(NotionError, match="share the database") as caught:
        env.find("outbox-1", target="ffffffff-ffff-4fff-8fff-ffffffffffff")
    assert caught.value.code == "object_not_found"
    with pytest.raises(AuthExpired):
        env.find("outbox-1", token="ntn_unknown")
    env.fake.fail_next("/notion/v1/databases", 429, retry_after=3)
    with pytest.raises(RateLimited) as limited:
        env.find("outbox-1")
    assert limited.value.retry_after == 3.0
    env.create("outbox-1")
    env.fake.fail_next("/notion/v1/blocks", 503)
    with pytest.raises(ProviderUnavailable):
        env.find("outbox-1")
