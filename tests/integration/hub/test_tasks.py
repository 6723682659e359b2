"""Tasks on PostgreSQL, end to end: proposed by analysis, accepted over REST, created in
ClickUp or Notion (their fakes over HTTP) by the outbox, exactly once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from connectors.notion import fake as notion_fake
from connectors.sandbox import MAILBOX, Sandbox
from connectors.types import Provider
from db.enums import TaskStatus
from db.models import Account, Organization, Outbox, Task, Thread
from hub.analysis.flows import analyze_thread
from hub.app import create_app
from hub.connections.flows import sync_account
from hub.errors import RetryLater
from hub.outbox.flows import deliver
from hub.outbox.service import SLACK_THREAD_NOTICE, TASK_CREATE
from hub.queue import JobName
from hub.sandbox import demo_token
from hub.users.tokens import Principal, issue_access_token
from hub.wiring import Runtime
from tests.support.recording import RecordingPublisher
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration

REQUEST = "Hi Alex, please send the signed vendor contract by Friday. Thanks, Kim"


@dataclass
class World:
    client: TestClient
    rt: Runtime
    fakes: Sandbox
    jobs: RecordingPublisher
    headers: dict[str, str]
    org_id: uuid.UUID

    def proposed(self) -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/tasks?status=proposed", headers=self.headers)
        assert response.status_code == 200
        return list(response.json())

    def deliver_queued(self) -> None:
        for job, kwargs in list(self.jobs.sent):
            if job == JobName.DELIVER:
                self.jobs.sent.remove((job, kwargs))
                deliver(uuid.UUID(kwargs["outbox_id"]), rt=self.rt)


@pytest.fixture
def world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    with sandbox_runtime(postgres_url, tmp_path) as box:
        rt, demo = box.rt, box.demo
        box.fakes.gmail.deliver(MAILBOX, "Kim <kim@example.net>", "Vendor contract", REQUEST)
        sync_account(demo.gmail_account.id, rt=rt)
        for job, kwargs in box.jobs.sent:
            if job == JobName.ANALYZE_THREAD:
                analyze_thread(uuid.UUID(kwargs["thread_id"]), rt=rt)
        headers = {"Authorization": f"Bearer {demo_token(rt.settings, demo.principal)}"}
        with TestClient(create_app(rt=rt)) as client:
            yield World(client, rt, box.fakes, box.jobs, headers, demo.principal.org_id)


def _contract_task(world: World) -> dict[str, Any]:
    tasks = [t for t in world.proposed() if "contract" in t["title"].lower()]
    assert len(tasks) == 1, world.proposed()
    return tasks[0]


def test_the_slack_notice_offers_each_proposed_task(world: World) -> None:
    task = _contract_task(world)
    with world.rt.sessions() as session:
        notices = session.scalars(select(Outbox).where(Outbox.kind == SLACK_THREAD_NOTICE)).all()
    (notice,) = [n for n in notices if n.payload["thread_id"] == task["thread_id"]]
    assert [task["id"], task["title"]] in notice.payload["notice"]["tasks"]
    world.deliver_queued()
    buttons = [
        block["accessory"]
        for message in world.fakes.slack.messages
        for block in message["blocks"]
        if block.get("accessory")
    ]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("task_accept", task["id"])]


def test_accepting_creates_the_task_in_clickup_once(world: World) -> None:
    task = _contract_task(world)
    accepted = world.client.post(
        f"/api/v1/tasks/{task['id']}/accept", json={}, headers=world.headers
    )
    assert accepted.status_code == 202
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["destination"] == "clickup"
    again = world.client.post(f"/api/v1/tasks/{task['id']}/accept", json={}, headers=world.headers)
    assert again.status_code == 409
    world.deliver_queued()
    created = list(world.fakes.clickup.tasks.values())
    assert [c["name"] for c in created] == [task["title"]]
    assert "Vendor contract" in created[0]["markdown_description"] + created[0]["description"]
    listed = world.client.get("/api/v1/tasks?status=created", headers=world.headers).json()
    assert listed[0]["remote_id"] == created[0]["id"]
    assert listed[0]["remote_url"] == created[0]["url"]
    world.deliver_queued()  # nothing left: no second task
    assert len(world.fakes.clickup.tasks) == 1


def test_a_rate_limited_create_is_retried_then_succeeds(world: World) -> None:
    task = _contract_task(world)
    world.deliver_queued()  # the Slack notices
    world.client.post(f"/api/v1/tasks/{task['id']}/accept", json={}, headers=world.headers)
    world.fakes.clickup.fail_next("/clickup/api/v2/list", 429, retry_after=1)
    (outbox_id,) = [k["outbox_id"] for j, k in world.jobs.sent if j == JobName.DELIVER]
    with pytest.raises(RetryLater) as retry:
        deliver(uuid.UUID(outbox_id), rt=world.rt)
    assert retry.value.after == pytest.approx(1, abs=0.5)
    with world.rt.sessions() as session:
        assert session.get(Task, uuid.UUID(task["id"])).status == TaskStatus.ACCEPTED  # type: ignore[union-attr]
        row = session.get(Outbox, uuid.UUID(outbox_id))
        assert row is not None
        row_due = row.next_attempt_at
    with world.rt.sessions.begin() as session:
        session.get(Outbox, uuid.UUID(outbox_id)).next_attempt_at = row_due.replace(year=2000)  # type: ignore[union-attr]
    deliver(uuid.UUID(outbox_id), rt=world.rt)
    assert len(world.fakes.clickup.tasks) == 1


def test_a_refused_task_fails_and_can_go_to_another_tool(world: World) -> None:
    task = _contract_task(world)
    with world.rt.sessions.begin() as session:
        clickup = session.scalars(select(Account).where(Account.provider == "clickup")).one()
        clickup.default_target = "no-such-list"
        session.add(
            Account(
                org_id=world.org_id,
                provider=str(Provider.NOTION),
                external_id="sandbox-notion-bot",
                access_token=notion_fake.SANDBOX_TOKEN,
                default_target=notion_fake.SANDBOX_DATABASE_ID,
            )
        )
    undecided = world.client.post(
        f"/api/v1/tasks/{task['id']}/accept", json={}, headers=world.headers
    )
    assert undecided.status_code == 409
    assert "destination" in undecided.json()["detail"]
    path = f"/api/v1/tasks/{task['id']}/accept"
    world.client.post(path, json={"destination": "clickup"}, headers=world.headers)
    world.deliver_queued()
    with world.rt.sessions() as session:
        assert session.get(Task, uuid.UUID(task["id"])).status == TaskStatus.FAILED  # type: ignore[union-attr]
    retried = world.client.post(path, json={"destination": "notion"}, headers=world.headers)
    assert retried.status_code == 202
    world.deliver_queued()
    pages = world.fakes.notion.pages_in(notion_fake.SANDBOX_DATABASE_ID)
    assert [world.fakes.notion.title_of(page["id"]) for page in pages] == [task["title"]]
    assert not world.fakes.clickup.tasks


def test_tasks_of_another_organization_are_invisible(world: World) -> None:
    task = _contract_task(world)
    stranger = issue_access_token(
        Principal(user_id=uuid.uuid4(), org_id=uuid.uuid4()),
        secret=world.rt.settings.secret_key,
        ttl=timedelta(minutes=5),
    )
    headers = {"Authorization": f"Bearer {stranger}"}
    assert world.client.get("/api/v1/tasks", headers=headers).json() == []
    refused = world.client.post(f"/api/v1/tasks/{task['id']}/accept", json={}, headers=headers)
    assert refused.status_code == 404
    assert refused.json()["error"] == "not_found"


def test_dismissed_tasks_leave_the_proposals(world: World) -> None:
    task = _contract_task(world)
    dismissed = world.client.post(f"/api/v1/tasks/{task['id']}/dismiss", headers=world.headers)
    assert dismissed.json()["status"] == "dismissed"
    assert task["id"] not in [t["id"] for t in world.proposed()]
    with world.rt.sessions() as session:
        assert not session.scalars(select(Outbox).where(Outbox.kind == TASK_CREATE)).all()


def test_a_written_task_is_created_with_its_notes_priority_and_link(world: World) -> None:
    written = world.client.post(
        "/api/v1/tasks",
        json={
            "title": "Renew the TLS cert for api.example.com",
            "notes": "It expires on the 30th <!channel> & *now*",
            "due": "2026-12-04",
            "priority": "high",
            "assignee": "Priya Shah",
            "link": "https://acme.slack.com/archives/C0GENERAL/p1795885099000001",
        },
        headers=world.headers,
    )
    assert written.status_code == 202, written.text
    body = written.json()
    assert (body["status"], body["destination"], body["thread_id"]) == ("accepted", "clickup", None)
    world.deliver_queued()
    (created,) = world.fakes.clickup.tasks.values()
    assert created["name"] == "Renew the TLS cert for api.example.com"
    description = created["markdown_description"] + created["description"]
    assert "It expires on the 30th <!channel> & *now*" in description
    assert "Assignee: Priya Shah" in description
    assert "https://acme.slack.com/archives/C0GENERAL/p1795885099000001" in description
    assert created["priority"]["priority"] == "high"
    assert created["due_date"] is not None
    (listed,) = world.client.get("/api/v1/tasks?status=created", headers=world.headers).json()
    assert listed["id"] == body["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x", "priority": "asap"}, "priority"),
        ({"title": "x", "due": "next friday"}, "due"),
        ({"title": "x", "link": "javascript:alert(1)"}, "link"),
        ({"title": "x", "destination": "trello"}, "destination"),
    ],
)
def test_a_bad_written_task_is_refused_with_the_field_named(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = world.client.post("/api/v1/tasks", json=body, headers=world.headers)
    assert response.status_code == 422
    assert field in response.text
    with world.rt.sessions() as session:
        assert session.scalars(select(Outbox).where(Outbox.kind == TASK_CREATE)).all() == []


def test_a_written_task_links_only_a_thread_of_its_own_organization(world: World) -> None:
    mine = _contract_task(world)["thread_id"]
    with world.rt.sessions.begin() as session:
        other = Organization(id=uuid.uuid4(), name="Other")
        session.add(other)
        session.flush()
        account = Account(
            id=uuid.uuid4(), org_id=other.id, provider="gmail", external_id="eve@example.net"
        )
        session.add(account)
        session.flush()
        theirs = Thread(
            id=uuid.uuid4(), org_id=other.id, account_id=account.id, provider_thread_id="t-eve"
        )
        session.add(theirs)
    linked = [
        world.client.post(
            "/api/v1/tasks", json={"title": "Follow up", "thread_id": thread}, headers=world.headers
        ).json()["thread_id"]
        for thread in (mine, str(theirs.id), str(uuid.uuid4()))
    ]
    assert linked == [mine, None, None]
