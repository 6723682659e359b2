"""Writing a task from Slack: the "New task" modal opened by /task, the global shortcut
and the message shortcut, and its submission queued into ClickUp or Notion.

Every entry has a trigger_id that is valid for about three seconds, so opening reads
the connected tools in one short transaction and calls views.open at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import structlog
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from connectors.slack.plaintext import message_link, to_plain_text
from connectors.types import Provider
from hub.errors import HubError
from hub.tasks.service import NewTask, task_tools, write_task
from hub.threads.service import chat_thread_id
from hub.wiring import Runtime
from slackapp.blocks.task_modal import (
    TaskForm,
    no_task_tool_modal,
    read_metadata,
    task_modal,
    task_queued_modal,
)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Prefill:
    """What the modal starts with, and what it carries to the submission."""

    title: str = ""
    notes: str = ""
    metadata: Mapping[str, str] | None = None


def prefill_from_message(shortcut: Mapping[str, Any]) -> Prefill:
    """A message shortcut's message: its first line as title, all of it as description."""
    message = shortcut.get("message") or {}
    text = to_plain_text(str(message.get("text") or "")).strip()
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    channel = str((shortcut.get("channel") or {}).get("id") or "")
    ts = str(message.get("ts") or shortcut.get("message_ts") or "")
    thread_ts = str(message.get("thread_ts") or ts)
    domain = str((shortcut.get("team") or {}).get("domain") or "")
    metadata = {"channel_id": channel, "thread_ts": thread_ts}
    if domain and channel and ts:
        metadata["link"] = message_link(domain, channel, ts, thread_ts)
    return Prefill(title=first_line, notes=text, metadata=metadata)


def open_task_form(
    rt: Runtime, client: WebClient, org_id: uuid.UUID, trigger_id: str, prefill: Prefill
) -> None:
    with rt.sessions.begin() as session:
        tools = task_tools(session, org_id)
    view = (
        task_modal(tools=tools, title=prefill.title, notes=prefill.notes, metadata=prefill.metadata)
        if tools
        else no_task_tool_modal()
    )
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("slack.task_form.open_failed", error=str(exc.response.get("error")))


def submit_task_form(
    rt: Runtime,
    client: WebClient,
    org_id: uuid.UUID,
    form: TaskForm,
    private_metadata: str | None,
) -> dict[str, Any]:
    """Queue the task; the answer to ack (the modal's next view, or its errors)."""
    metadata = read_metadata(private_metadata)
    new = NewTask(
        title=form.title,
        notes=form.notes,
        due=form.due,
        priority=form.priority,
        assignee=_person_name(client, form.assignee),
        link=metadata.get("link"),
    )
    destination = Provider(form.destination) if form.destination in ("clickup", "notion") else None
    try:
        with rt.sessions.begin() as session:
            channel, thread_ts = metadata.get("channel_id"), metadata.get("thread_ts")
            if channel and thread_ts:
                thread_id = chat_thread_id(session, org_id, f"{channel}:{thread_ts}")
                new = replace(new, thread_id=thread_id)
            task = write_task(session, org_id, new, destination)
            title, tool = task.title, str(task.destination)
    except HubError as exc:
        return {"response_action": "errors", "errors": {"destination": str(exc)[:150]}}
    log.info("slack.task_written", destination=tool)
    return {"response_action": "update", "view": task_queued_modal(title, tool)}


def _person_name(client: WebClient, user: str | None) -> str | None:
    """users.info's name for the assignee; the bare id when Slack does not say."""
    if not user:
        return None
    try:
        profile = client.users_info(user=user).get("user") or {}
    except (SlackApiError, SlackClientError, OSError):
        return user
    return str(profile.get("real_name") or profile.get("name") or user)
