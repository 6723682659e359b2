"""The "New task" modal over signed requests: /task, the shortcuts and the submission,
with views.open going to the Slack fake and the task queued for ClickUp on PostgreSQL."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import select, update

from connectors.sandbox import SLACK_TEAM_ID
from db.enums import AccountStatus, TaskStatus
from db.models import Account, Outbox, Task
from hub.outbox.service import TASK_CREATE
from tests.integration.slackapp.harness import FIXTURES, FORM, Harness

pytestmark = pytest.mark.integration


def _interaction(payload: dict[str, Any]) -> bytes:
    """The fixture moved into the sandbox workspace (every place a team id sits)."""
    payload["team"] = {**(payload.get("team") or {}), "id": SLACK_TEAM_ID}
    payload["user"]["team_id"] = SLACK_TEAM_ID
    if "view" in payload:
        payload["view"].update(team_id=SLACK_TEAM_ID, app_installed_team_id=SLACK_TEAM_ID)
    return urlencode({"payload": json.dumps(payload)}).encode()


def _task_command(text: str) -> bytes:
    fields = dict(parse_qsl((FIXTURES / "slash_command.txt").read_text(), keep_blank_values=True))
    fields.update(team_id=SLACK_TEAM_ID, command="/task", text=text)
    return urlencode(fields).encode()


def _opened(harness: Harness) -> dict[str, Any]:
    (opened,) = [v for v in harness.fake.views if v["method"] == "views.open"]
    view: dict[str, Any] = opened["view"]
    return view


def _initial(view: dict[str, Any], block_id: str) -> Any:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return block["element"].get("initial_value")


def _submission(values: dict[str, Any] | None = None, metadata: str = "{}") -> bytes:
    payload = json.loads((FIXTURES / "view_submission.json").read_text())
    payload["view"]["private_metadata"] = metadata
    if values is not None:
        payload["view"]["state"]["values"] = values
    return _interaction(payload)


def _queued(harness: Harness) -> list[Outbox]:
    with harness.rt.sessions() as session:
        return list(session.scalars(select(Outbox).where(Outbox.kind == TASK_CREATE)))


def test_the_task_command_opens_the_modal_with_its_text_as_title(harness: Harness) -> None:
    response = harness.post(
        "/slack/commands", _task_command("Renew TLS cert by Friday @here"), FORM
    )
    assert response.status_code == 200
    view = _opened(harness)
    assert view["callback_id"] == "create_task_modal"
    assert _initial(view, "title") == "Renew TLS cert by Friday @here"
    (destination,) = [b for b in view["blocks"] if b["block_id"] == "destination"]
    assert [o["value"] for o in destination["element"]["options"]] == ["clickup"]


def test_the_global_shortcut_opens_an_empty_modal(harness: Harness) -> None:
    payload = json.loads((FIXTURES / "global_shortcut.json").read_text())
    response = harness.post("/slack/interactions", _interaction(payload), FORM)
    assert response.status_code == 200
    assert _initial(_opened(harness), "title") is None


def test_the_message_shortcut_fills_the_modal_from_the_message(harness: Harness) -> None:
    payload = json.loads((FIXTURES / "message_shortcut.json").read_text())
    response = harness.post("/slack/interactions", _interaction(payload), FORM)
    assert response.status_code == 200
    view = _opened(harness)
    message_text = payload["message"]["text"]
    assert _initial(view, "description").startswith(message_text.split("&", 1)[0].strip()[:20])
    assert "&amp;" not in _initial(view, "description")
    metadata = json.loads(view["private_metadata"])
    assert metadata["channel_id"] == "C0CHAN001"
    assert metadata["link"] == "https://acme-test.slack.com/archives/C0CHAN001/p1714000350000500"


def test_a_submission_queues_the_task_with_its_raw_text_and_link(harness: Harness) -> None:
    harness.fake.add_user(SLACK_TEAM_ID, "U0USER001", name="priya", real_name="Priya Shah")
    link = "https://acme-test.slack.com/archives/C0CHAN001/p1714000350000500"
    metadata = json.dumps(
        {"channel_id": "C0CHAN001", "thread_ts": "1714000350.000500", "link": link}
    )
    response = harness.post("/slack/interactions", _submission(metadata=metadata), FORM)

    assert response.status_code == 200
    answer = response.json()
    assert answer["response_action"] == "update"
    receipt = json.dumps(answer["view"])
    assert "Creating in ClickUp: Login fails for jane@example.com" in receipt
    (row,) = _queued(harness)
    draft = row.payload["draft"]
    assert draft["title"] == "Login fails for jane@example.com"
    # Typed text goes to ClickUp as typed: it is not Slack markup there.
    assert "<!channel> click <https://evil.example/login|here> & reset *now*" in draft["notes"]
    assert "Assignee: Priya Shah" in draft["notes"]  # users.info named U0USER001
    assert (draft["due"], draft["priority"], draft["link"]) == ("2024-04-30", "high", link)
    with harness.rt.sessions() as session:
        (task,) = session.scalars(select(Task).where(Task.thread_id.is_(None))).all()
    assert (task.status, task.destination) == (TaskStatus.ACCEPTED, "clickup")


def test_a_submission_without_a_title_is_answered_with_the_error(harness: Harness) -> None:
    values = json.loads((FIXTURES / "view_submission.json").read_text())["view"]["state"]["values"]
    values["title"]["title_input"]["value"] = "   "
    response = harness.post("/slack/interactions", _submission(values), FORM)
    assert response.status_code == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {"title": "Give the task a title."},
    }
    assert _queued(harness) == []


def test_without_a_task_tool_the_modal_says_what_to_connect(harness: Harness) -> None:
    with harness.rt.sessions.begin() as session:
        session.execute(
            update(Account)
            .where(Account.provider == "clickup")
            .values(status=AccountStatus.DISABLED)
        )
    harness.post("/slack/commands", _task_command("x"), FORM)
    view = _opened(harness)
    assert view.get("submit") is None  # nothing to submit
    assert "Connect ClickUp or Notion" in json.dumps(view)

    response = harness.post("/slack/interactions", _submission(), FORM)
    assert response.json()["response_action"] == "errors"
    assert "no connected task tool" in response.json()["errors"]["destination"]
    assert _queued(harness) == []
