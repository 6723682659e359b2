"""Markers, find_task and the lost-answer fault: the real ClickUpConnector against
ClickUpFake over HTTP."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from connectors.clickup.connector import ClickUpConnector
from connectors.clickup.errors import ClickUpError
from connectors.clickup.fake import SANDBOX_LIST_ID, SANDBOX_TOKEN, ClickUpFake
from connectors.clickup.payloads import MAX_MARKDOWN
from connectors.errors import AuthExpired, ProviderUnavailable
from connectors.fakeserver import RunningServer
from connectors.types import RemoteTask, TaskDraft
from tests.integration.connectors.clickup.world import OTHER_LIST, OTHER_TOKEN

pytestmark = pytest.mark.integration

LINK = "https://hub.example.com/threads/42"
MARKER = "outbox-4711"
REF = f"inbox-hub ref: {MARKER}"
T0 = datetime(2024, 4, 25, 9, 0, tzinfo=UTC)
AUTH = {"Authorization": SANDBOX_TOKEN}


class Clock:
    """Unix seconds for the fake: now, then step seconds later on every read."""

    def __init__(self, start: datetime, step: float = 0.0) -> None:
        self.now = start.timestamp()
        self.step = step

    def __call__(self) -> float:
        now = self.now
        self.now += self.step
        return now

    def set(self, moment: datetime) -> None:
        self.now = moment.timestamp()


@pytest.fixture
def clock(fake: ClickUpFake, api: str) -> Clock:
    clock = Clock(T0)
    fake.clock = clock
    return clock


def draft(marker: str = MARKER, **fields: Any) -> TaskDraft:
    return TaskDraft(**{"title": "Pay invoice", "marker": marker, **fields})


def create(
    clickup: ClickUpConnector,
    task: TaskDraft,
    target: str = SANDBOX_LIST_ID,
    token: str = SANDBOX_TOKEN,
) -> RemoteTask:
    return clickup.create_task(token, target=target, task=task)


def find(
    clickup: ClickUpConnector, marker: str = MARKER, since: datetime = T0, **kwargs: Any
) -> RemoteTask | None:
    return clickup.find_task(
        kwargs.get("token", SANDBOX_TOKEN),
        target=kwargs.get("target", SANDBOX_LIST_ID),
        task=draft(marker),
        since=since,
    )


# ---- the marker line ---------------------------------------------------------------


def test_marker_is_the_last_line_of_the_stored_description(
    clickup: ClickUpConnector, fake: ClickUpFake
) -> None:
    result = create(clickup, draft(notes="Jordan asks for payment.", link=LINK))

    stored = fake.tasks[result.remote_id]
    for key in ("description", "text_content", "markdown_description"):
        assert stored[key] == f"Jordan asks for payment.\n\nSource: {LINK}\n\n{REF}"


def test_marker_survives_a_long_note_being_cut(
    clickup: ClickUpConnector, fake: ClickUpFake
) -> None:
    result = create(clickup, draft(notes="n" * 50_000, link=LINK))

    description = fake.tasks[result.remote_id]["description"]
    assert len(description) == MAX_MARKDOWN
    assert description.endswith(f"n\u2026\n\nSource: {LINK}\n\n{REF}")
    assert find(clickup) == result


# ---- find_task ---------------------------------------------------------------------


def test_find_task_finds_the_created_task(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    since = datetime.now(UTC)
    create(clickup, draft(marker="outbox-1"))
    created = create(clickup, draft(notes="n"))
    create(clickup, draft(marker="outbox-2"))

    assert find(clickup, since=since) == created
    assert created.url == f"https://app.clickup.com/t/{created.remote_id}"
    assert fake.calls["get_tasks"] == 1
    (query,) = fake.task_queries
    assert query["list_id"] == SANDBOX_LIST_ID
    assert query["query"] == {
        "date_created_gt": str(int(since.timestamp() * 1000) - 60_000),
        "include_closed": "true",
        "subtasks": "true",
        "order_by": "created",
        "page": "0",
    }


def test_find_task_ignores_unmarked_tasks_other_markers_and_older_tasks(
    clickup: ClickUpConnector, fake: ClickUpFake, clock: Clock
) -> None:
    older = create(clickup, draft())  # T0: before the search window
    assert find(clickup, since=T0) == older
    since = T0 + timedelta(minutes=5)
    clock.set(since)
    create(clickup, draft(marker=""))
    create(clickup, draft(marker="outbox-47"))
    create(clickup, draft(marker="outbox-47110"))
    create(clickup, draft(marker="", notes=f"Quoting: {REF}\n\nthanks"))

    assert find(clickup, since=since) is None

    clock.set(since + timedelta(seconds=1))
    created = create(clickup, draft())

    assert find(clickup, since=since) == created != older


def test_find_task_allows_a_minute_of_clock_slack(clickup: ClickUpConnector, clock: Clock) -> None:
    clock.set(T0 - timedelta(seconds=59))
    created = create(clickup, draft())

    assert find(clickup, since=T0) == created
    assert find(clickup, since=T0 + timedelta(seconds=2)) is None


def test_find_task_pages_past_100_tasks(
    clickup: ClickUpConnector, fake: ClickUpFake, clock: Clock
) -> None:
    clock.step = 1.0
    created = create(clickup, draft())
    for n in range(120):
        create(clickup, draft(marker=f"filler-{n}"))

    assert find(clickup) == created
    assert [q["query"]["page"] for q in fake.task_queries] == ["0", "1"]


def test_find_task_finds_a_closed_task(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    since = datetime.now(UTC)
    created = create(clickup, draft())
    fake.close_task(created.remote_id)

    assert find(clickup, since=since) == created


def test_find_task_without_a_match_is_none(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    since = datetime.now(UTC)
    create(clickup, draft(marker="outbox-1"))

    assert find(clickup, since=since) is None
    assert fake.calls["get_tasks"] == 1


def test_find_task_without_a_marker_makes_no_call(
    clickup: ClickUpConnector, fake: ClickUpFake
) -> None:
    create(clickup, draft(marker=""))

    assert find(clickup, marker="") is None
    assert fake.calls["get_tasks"] == 0


def test_find_task_errors(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    with pytest.raises(AuthExpired, match="OAUTH_019"):
        find(clickup, token="pk_unknown")
    with pytest.raises(ClickUpError, match="ITEM_013"):
        find(clickup, target="999999")
    with pytest.raises(ClickUpError, match="OAUTH_027"):
        find(clickup, target=OTHER_LIST)
    fake.fail_next(f"/clickup/api/v2/list/{SANDBOX_LIST_ID}/task", 503)
    with pytest.raises(ProviderUnavailable):
        find(clickup)


# ---- the lost answer ---------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 504])
def test_create_that_went_through_but_lost_its_answer(
    clickup: ClickUpConnector, fake: ClickUpFake, status: int
) -> None:
    since = datetime.now(UTC)
    fake.fail_next("/clickup/api/v2/list/", status, after_processing=True)

    with pytest.raises(ProviderUnavailable, match=str(status)):
        create(clickup, draft())

    (stored,) = fake.tasks.values()
    found = find(clickup, since=since)
    assert found == RemoteTask(stored["id"], stored["url"])
    assert fake.calls == {"create_task": 1, "get_tasks": 1}


def test_create_that_timed_out_after_going_through(api: str, fake: ClickUpFake) -> None:
    since = datetime.now(UTC)
    fake.fail_next("/clickup/api/v2/list/", 504, delay=0.5, after_processing=True)
    started = time.monotonic()

    with httpx.Client(timeout=0.1) as impatient:
        clickup = ClickUpConnector(http=impatient, api_url=api)
        with pytest.raises(ProviderUnavailable, match="Timeout"):
            create(clickup, draft())
        assert time.monotonic() - started < 0.5
        (stored,) = fake.tasks.values()  # stored before the stall

    with httpx.Client(timeout=5) as http:
        found = find(ClickUpConnector(http=http, api_url=api), since=since)
    assert found == RemoteTask(stored["id"], stored["url"])


def test_a_plain_fault_creates_nothing(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    since = datetime.now(UTC)
    fake.fail_next("/clickup/api/v2/list/", 502)

    with pytest.raises(ProviderUnavailable):
        create(clickup, draft())

    assert fake.tasks == {}
    assert find(clickup, since=since) is None


def test_after_processing_fault_over_the_http_control(
    api: str, server: RunningServer, http: httpx.Client, fake: ClickUpFake
) -> None:
    control = f"{server.base_url}/_fake/clickup/fail"
    http.post(
        control,
        json={"path_prefix": "/clickup/api/v2/list/", "status": 502, "after_processing": True},
    )

    response = http.post(f"{api}/list/{SANDBOX_LIST_ID}/task", json={"name": "n"}, headers=AUTH)

    assert response.status_code == 502
    assert response.json() == {"err": "Bad gateway", "ECODE": "APP_001"}
    stored = http.get(f"{server.base_url}/_fake/clickup/tasks").json()["tasks"]
    assert [t["name"] for t in stored] == ["n"]
    calls = http.get(f"{server.base_url}/_fake/clickup/calls").json()
    assert calls == {"calls": {"create_task": 1}}


# ---- the fake's Get Tasks ----------------------------------------------------------


def get_tasks(http: httpx.Client, api: str, list_id: str = SANDBOX_LIST_ID, **params: Any) -> Any:
    response = http.get(f"{api}/list/{list_id}/task", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def test_get_tasks_shape_and_markdown_flag(
    clickup: ClickUpConnector, api: str, http: httpx.Client, fake: ClickUpFake
) -> None:
    created = create(clickup, draft(notes="**n**"))

    plain = get_tasks(http, api)
    with_markdown = get_tasks(http, api, include_markdown_description="true")

    assert plain["last_page"] is True
    (task,) = plain["tasks"]
    assert "markdown_description" not in task
    assert task["id"] == created.remote_id
    assert task["description"] == task["text_content"] == f"**n**\n\n{REF}"
    assert with_markdown["tasks"][0] == fake.tasks[created.remote_id]
    assert fake.calls["get_tasks"] == 2


def test_get_tasks_filters_orders_and_pages(
    clickup: ClickUpConnector, api: str, http: httpx.Client, fake: ClickUpFake, clock: Clock
) -> None:
    clock.step = 1.0
    ids = [create(clickup, draft(marker=f"m{n}")).remote_id for n in range(205)]
    fake.close_task(ids[0])
    create(clickup, draft(), target=OTHER_LIST, token=OTHER_TOKEN)  # never listed here
    t0_ms = int(T0.timestamp() * 1000)

    pages = [get_tasks(http, api, page=n, include_closed="true") for n in range(3)]
    assert [len(p["tasks"]) for p in pages] == [100, 100, 5]
    assert [p["last_page"] for p in pages] == [False, False, True]
    assert [t["id"] for p in pages for t in p["tasks"]] == ids[::-1]  # newest first
    oldest_first = get_tasks(http, api, reverse="true", order_by="created")["tasks"]
    assert [t["id"] for t in oldest_first] == ids[1:101]  # closed excluded by default
    window = get_tasks(http, api, date_created_gt=t0_ms + 2000, date_created_lt=t0_ms + 5000)
    assert [t["id"] for t in window["tasks"]] == [ids[4], ids[3]]
    assert get_tasks(http, api, page=3)["tasks"] == []


def test_get_tasks_errors(api: str, http: httpx.Client) -> None:
    url = f"{api}/list/{SANDBOX_LIST_ID}/task"

    missing = http.get(url)
    unknown = http.get(f"{api}/list/999999/task", headers=AUTH)
    elsewhere = http.get(f"{api}/list/{OTHER_LIST}/task", headers=AUTH)
    bad_page = http.get(url, params={"page": "x"}, headers=AUTH)
    bad_flag = http.get(url, params={"include_closed": "maybe"}, headers=AUTH)

    assert (missing.status_code, missing.json()["ECODE"]) == (401, "OAUTH_017")
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"err": "List not found", "ECODE": "ITEM_013"},
    )
    assert (elsewhere.status_code, elsewhere.json()["ECODE"]) == (401, "OAUTH_027")
    assert (bad_page.status_code, bad_flag.status_code) == (400, 400)
