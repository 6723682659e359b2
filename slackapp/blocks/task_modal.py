"""The "New task" modal: rendering it, reading a submission back (pure; no I/O).

Typed values arrive exactly as typed (Slack does not escape input), and prefilled
values come from a Slack message turned into plain text, so nothing here is mrkdwn:
labels are fixed plain_text and user text only ever sits in plain_text or input values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from connectors.slack.mrkdwn import safe_plain_text, truncate_plain
from hub.tasks.service import tool_name

CALLBACK_ID = "create_task_modal"
TITLE_LIMIT = 250
NOTES_LIMIT = 3000
# ClickUp's numbering, which the option values carry: 1 urgent ... 4 low.
PRIORITIES = (
    ("1", "Urgent", "urgent"),
    ("2", "High", "high"),
    ("3", "Normal", "normal"),
    ("4", "Low", "low"),
)


@dataclass(frozen=True)
class TaskForm:
    """What the person filled in; assignee is a Slack user id."""

    title: str
    notes: str
    due: date | None
    priority: str | None
    assignee: str | None
    destination: str | None


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(label),
        "element": element,
    }


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def task_modal(
    *,
    tools: Sequence[str],
    title: str = "",
    notes: str = "",
    metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The modal to open; tools are the connected task tools, the first preselected."""
    title_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "title_input",
        "max_length": TITLE_LIMIT,
    }
    if title.strip():
        title_input["initial_value"] = truncate_plain(title.strip(), TITLE_LIMIT)
    notes_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "description_input",
        "multiline": True,
        "max_length": NOTES_LIMIT,
    }
    if notes.strip():
        notes_input["initial_value"] = truncate_plain(notes.strip(), NOTES_LIMIT)
    tool_options = [_option(tool, tool_name(tool)) for tool in tools]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain("New task"),
        "submit": _plain("Create"),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(dict(metadata or {})),
        "blocks": [
            _input("title", "Title", title_input, optional=False),
            _input("description", "Description", notes_input, optional=True),
            _input("due", "Due", {"type": "datepicker", "action_id": "due_input"}, optional=True),
            _input(
                "priority",
                "Priority",
                {
                    "type": "static_select",
                    "action_id": "priority_input",
                    "options": [_option(value, text) for value, text, _ in PRIORITIES],
                },
                optional=True,
            ),
            _input(
                "assignee",
                "Assignee",
                {"type": "users_select", "action_id": "assignee_input"},
                optional=True,
            ),
            _input(
                "destination",
                "Create in",
                {
                    "type": "radio_buttons",
                    "action_id": "destination_input",
                    "options": tool_options,
                    "initial_option": tool_options[0],
                },
                optional=False,
            ),
        ],
    }


def no_task_tool_modal() -> dict[str, Any]:
    """Shown instead of the form while no task tool is connected (nothing to submit)."""
    return {
        "type": "modal",
        "title": _plain("New task"),
        "close": _plain("Close"),
        "blocks": [
            {
                "type": "section",
                "text": _plain(
                    "Connect ClickUp or Notion to the hub first: tasks are created there."
                ),
            }
        ],
    }


def task_queued_modal(title: str, tool: str) -> dict[str, Any]:
    """What the modal turns into once the task is queued."""
    name = tool_name(tool)
    return {
        "type": "modal",
        "title": _plain("New task"),
        "close": _plain("Done"),
        "blocks": [
            {
                "type": "section",
                "text": _plain(
                    safe_plain_text(f"Creating in {name}: {title}", 3000, single_line=False)
                ),
            }
        ],
    }


def read_task_form(values: Mapping[str, Any]) -> TaskForm | dict[str, str]:
    """The submitted form, or errors by block id (Slack shows them under the inputs)."""
    title = str(_value(values, "title", "title_input", "value") or "").strip()
    if not title:
        return {"title": "Give the task a title."}
    due_text = _value(values, "due", "due_input", "selected_date")
    try:
        due = date.fromisoformat(str(due_text)) if due_text else None
    except ValueError:
        return {"due": "Pick a date from the calendar."}
    priority_value = _value(values, "priority", "priority_input", "selected_option", "value")
    priorities = {value: name for value, _, name in PRIORITIES}
    return TaskForm(
        title=title[:TITLE_LIMIT],
        notes=str(_value(values, "description", "description_input", "value") or "").strip(),
        due=due,
        priority=priorities.get(str(priority_value)) if priority_value else None,
        assignee=_text_or_none(_value(values, "assignee", "assignee_input", "selected_user")),
        destination=_text_or_none(
            _value(values, "destination", "destination_input", "selected_option", "value")
        ),
    )


def read_metadata(private_metadata: str | None) -> dict[str, str]:
    """The modal's private_metadata as we wrote it; anything else reads as empty."""
    try:
        loaded = json.loads(private_metadata or "{}")
    except ValueError:
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(key): str(value) for key, value in loaded.items() if isinstance(value, str)}


def _value(values: Mapping[str, Any], *path: str) -> Any:
    node: Any = values
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _text_or_none(value: Any) -> str | None:
    return str(value) if value else None
