"""Signed Slack requests through the FastAPI routes into the Bolt app, on PostgreSQL.

The Web API is SlackFake on a real socket (where the sandbox settings point); the
response_url of commands and shortcuts points at a small recorder served beside it.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import parse_qsl, urlencode

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from connectors.sandbox import SLACK_CHANNEL, SLACK_TEAM_ID
from connectors.slack.signing import sign_slack_request
from db.enums import TaskStatus
from db.models import Outbox, Task, Thread
from hub.outbox.service import TASK_CREATE
from hub.queue import JobName
from slackapp.routes import build_router
from tests.integration.slackapp.harness import FIXTURES, FORM, USER, Harness

pytestmark = pytest.mark.integration


def _command_body(harness: Harness, *, team_id: str = SLACK_TEAM_ID) -> bytes:
    fields = dict(parse_qsl((FIXTURES / "slash_command.txt").read_text(), keep_blank_values=True))
    fields.update(
        team_id=team_id,
        command="/inbox",
        text="",
        response_url=harness.hook_url("inbox"),
    )
    return urlencode(fields).encode()


def _event_body(name: str) -> bytes:
    payload = json.loads((FIXTURES / name).read_text())
    if "team_id" in payload:
        payload["team_id"] = SLACK_TEAM_ID
        payload["authorizations"][0]["team_id"] = SLACK_TEAM_ID
    return json.dumps(payload).encode()


def _shortcut_body(harness: Harness) -> bytes:
    payload = json.loads((FIXTURES / "message_shortcut.json").read_text())
    payload["callback_id"] = "summarize_message"
    payload["team"]["id"] = SLACK_TEAM_ID
    payload["user"]["team_id"] = SLACK_TEAM_ID
    payload["response_url"] = harness.hook_url("shortcut")
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_inbox_command_responds_with_escaped_recent_threads(harness: Harness) -> None:
    response = harness.post("/slack/commands", _command_body(harness), FORM)

    assert response.status_code == 200
    assert len(harness.hooks.posted) == 1
    posted = harness.hooks.posted[0]
    assert posted["path"] == "/hooks/inbox"
    message = posted["body"]
    assert message["response_type"] == "ephemeral"
    raw = json.dumps(message)
    assert "&lt;!channel&gt; Invoice overdue" in raw
    assert "@\u2060here" in json.dumps(message, ensure_ascii=False)
    assert "Lunch on Friday?" in raw
    assert "<!channel>" not in raw
    assert "<@U0BOSS>" not in raw
    assert "*Priority:* urgent" in raw
    # The bot's identity was looked up once, with the workspace's stored token.
    assert harness.fake.calls["auth.test"] == 1
    harness.post("/slack/commands", _command_body(harness), FORM)
    assert harness.fake.calls["auth.test"] == 1


@pytest.mark.parametrize("case", ["unsigned", "stale", "bad_signature"])
def test_unverified_requests_get_401_json_and_run_nothing(harness: Harness, case: str) -> None:
    body = _command_body(harness)
    if case == "unsigned":
        response = harness.post("/slack/commands", body, FORM, signed=False)
    elif case == "stale":
        response = harness.post("/slack/commands", body, FORM, timestamp=int(time.time()) - 600)
    else:
        headers = {"Content-Type": FORM, **sign_slack_request("not-the-secret", body)}
        response = harness.client.post("/slack/commands", content=body, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.json()["detail"]
    assert harness.hooks.posted == []
    assert sum(harness.fake.calls.values()) == 0


def test_unsigned_event_is_refused(harness: Harness) -> None:
    body = _event_body("event_app_home_opened.json")
    response = harness.post("/slack/events", body, "application/json", signed=False)
    assert response.status_code == 401
    assert harness.fake.views == []


def test_app_home_opened_publishes_home_tab(harness: Harness) -> None:
    body = _event_body("event_app_home_opened.json")
    response = harness.post("/slack/events", body, "application/json")

    assert response.status_code == 200
    assert len(harness.fake.views) == 1
    published = harness.fake.views[0]
    assert published["method"] == "views.publish"
    assert published["user_id"] == USER
    assert published["view"]["type"] == "home"
    raw = json.dumps(published["view"]["blocks"])
    assert "&lt;!channel&gt; Invoice overdue" in raw
    assert "Lunch on Friday?" in raw


def test_unknown_workspace_gets_no_data(harness: Harness) -> None:
    payload = json.loads(_event_body("event_app_home_opened.json"))
    payload["team_id"] = "T0STRANGER"
    payload["authorizations"][0]["team_id"] = "T0STRANGER"
    response = harness.post("/slack/events", json.dumps(payload).encode(), "application/json")
    assert response.status_code == 200
    assert harness.fake.views == []

    response = harness.post("/slack/commands", _command_body(harness, team_id="T0STRANGER"), FORM)
    assert response.status_code == 200
    assert len(harness.hooks.posted) == 1
    assert "Invoice" not in json.dumps(harness.hooks.posted[0]["body"])
    assert harness.fake.calls["auth.test"] == 0


def test_url_verification_echoes_challenge(harness: Harness) -> None:
    payload = json.loads((FIXTURES / "url_verification.json").read_text())
    body = json.dumps(payload, separators=(",", ":")).encode()
    response = harness.post("/slack/events", body, "application/json")

    assert response.status_code == 200
    assert response.json() == {"challenge": payload["challenge"]}


def test_summarize_message_shortcut_responds_ephemerally(harness: Harness) -> None:
    response = harness.post("/slack/interactions", _shortcut_body(harness), FORM)

    assert response.status_code == 200
    assert len(harness.hooks.posted) == 1
    posted = harness.hooks.posted[0]
    assert posted["path"] == "/hooks/shortcut"
    message = posted["body"]
    assert message["response_type"] == "ephemeral"
    assert message["replace_original"] is False
    summary = message["blocks"][0]["text"]
    assert summary["verbatim"] is True
    assert "login fails" in summary["text"]
    # The message's own broadcast and markup do not come back live.
    raw = json.dumps(message)
    assert "<!channel>" not in raw
    assert "<mailto:" not in raw


def test_unhandled_shortcut_is_not_found(harness: Harness) -> None:
    payload = json.loads((FIXTURES / "message_shortcut.json").read_text())
    payload["callback_id"] = "no_such_shortcut"
    payload["team"]["id"] = SLACK_TEAM_ID
    payload["response_url"] = harness.hook_url("other")
    body = urlencode({"payload": json.dumps(payload)}).encode()
    response = harness.post("/slack/interactions", body, FORM)
    assert response.status_code == 404
    assert harness.hooks.posted == []


def test_router_can_take_the_runtime_from_app_state(harness: Harness) -> None:
    """create_app() builds its runtime in the lifespan, after including routers."""
    api = FastAPI()
    api.include_router(build_router())
    api.state.runtime = harness.rt
    body = _command_body(harness)
    headers = {"Content-Type": FORM, **sign_slack_request(harness.secret, body)}
    with TestClient(api) as client:
        response = client.post("/slack/commands", content=body, headers=headers)
        refused = client.post("/slack/commands", content=body, headers={"Content-Type": FORM})

    assert response.status_code == 200
    assert len(harness.hooks.posted) == 1
    assert refused.status_code == 401


def _button_body(harness: Harness, value: str, action_id: str = "task_accept") -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": SLACK_TEAM_ID, "domain": "sandbox"},
        "user": {"id": USER, "team_id": SLACK_TEAM_ID},
        "api_app_id": "A0HUB",
        "trigger_id": "1.2.3",
        "response_url": harness.hook_url("task"),
        "channel": {"id": SLACK_CHANNEL},
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "task",
                "value": value,
                "action_ts": "1700000001.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _proposed_task(harness: Harness, title: str) -> uuid.UUID:
    with harness.rt.sessions.begin() as session:
        thread = session.scalars(select(Thread)).first()
        assert thread is not None
        task = Task(id=uuid.uuid4(), org_id=thread.org_id, thread_id=thread.id, title=title)
        session.add(task)
        return task.id


def test_create_task_button_queues_the_task_and_answers_the_clicker(harness: Harness) -> None:
    task_id = _proposed_task(harness, "Pay <!channel> invoice *now*")
    body = _button_body(harness, str(task_id))
    response = harness.post("/slack/interactions", body, FORM)
    assert response.status_code == 200
    with harness.rt.sessions() as session:
        task = session.get(Task, task_id)
        assert task is not None
        assert task.status == TaskStatus.ACCEPTED
        assert task.destination == "clickup"
        queued = session.scalars(select(Outbox).where(Outbox.kind == TASK_CREATE)).all()
    assert [row.payload["task_id"] for row in queued] == [str(task_id)]
    answer = harness.hooks.posted[-1]["body"]
    assert answer["response_type"] == "ephemeral"
    assert "&lt;!channel&gt;" in answer["text"]
    assert "<!channel>" not in answer["text"]

    harness.post("/slack/interactions", _button_body(harness, str(task_id)), FORM)
    assert "already accepted" in harness.hooks.posted[-1]["body"]["text"]
    with harness.rt.sessions() as session:
        assert len(session.scalars(select(Outbox).where(Outbox.kind == TASK_CREATE)).all()) == 1


def test_a_button_for_an_unknown_task_says_so(harness: Harness) -> None:
    harness.post("/slack/interactions", _button_body(harness, str(uuid.uuid4())), FORM)
    assert "task not found" in harness.hooks.posted[-1]["body"]["text"]


def test_the_draft_button_queues_the_draft_and_tells_the_clicker(harness: Harness) -> None:
    with harness.rt.sessions() as session:
        thread_id = session.scalars(select(Thread.id)).first()
    response = harness.post(
        "/slack/interactions", _button_body(harness, str(thread_id), "draft_reply"), FORM
    )
    assert response.status_code == 200
    assert harness.jobs.sent == [
        (
            JobName.DRAFT_INTO_MAILBOX,
            {
                "thread_id": str(thread_id),
                "org_id": str(_org_id(harness)),
                "channel": SLACK_CHANNEL,
                "thread_ts": "1700000000.000100",
            },
        )
    ]
    assert "Drafting a reply" in harness.hooks.posted[-1]["body"]["text"]

    harness.post(
        "/slack/interactions", _button_body(harness, str(uuid.uuid4()), "draft_reply"), FORM
    )
    assert "No draft: thread" in harness.hooks.posted[-1]["body"]["text"]
    assert len(harness.jobs.sent) == 1


def _org_id(harness: Harness) -> uuid.UUID:
    with harness.rt.sessions() as session:
        thread = session.scalars(select(Thread)).first()
        assert thread is not None
        return thread.org_id
