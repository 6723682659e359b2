"""Buttons on hub messages: "Create task" and "Draft a reply" on a thread notice."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from slack_bolt import Ack, App, BoltContext, Respond

from connectors.slack.mrkdwn import safe_mrkdwn
from connectors.slack.notice import DRAFT_REPLY_ACTION, TASK_ACCEPT_ACTION
from hub.analysis.flows import ask_for_mailbox_draft
from hub.errors import HubError
from hub.tasks.service import accept_task
from hub.wiring import Runtime

log = structlog.get_logger(__name__)


def register(app: App, rt: Runtime) -> None:
    @app.action(TASK_ACCEPT_ACTION)
    def task_accept(ack: Ack, respond: Respond, body: dict[str, Any], context: BoltContext) -> None:
        """Queue the task in the organization's task tool; tell only the clicker."""
        ack()
        try:
            task_id = uuid.UUID(str(body["actions"][0]["value"]))
            with rt.sessions.begin() as session:
                task = accept_task(session, context["org_id"], task_id, None)
                title, tool = task.title, task.destination
        except (KeyError, IndexError, ValueError):
            respond(text="That button is not a task any more.", response_type="ephemeral")
            return
        except HubError as exc:
            respond(text=safe_mrkdwn(f"Not created: {exc}", 300), response_type="ephemeral")
            return
        log.info("slack.task_accepted", task_id=str(task_id), destination=tool)
        respond(
            text=safe_mrkdwn(f"Creating the task in {tool}: {title}", 500),
            response_type="ephemeral",
            replace_original=False,
        )

    @app.action(DRAFT_REPLY_ACTION)
    def draft_reply(ack: Ack, respond: Respond, body: dict[str, Any], context: BoltContext) -> None:
        """Queue an AI reply draft for the mailbox; the notice's thread hears when it is."""
        ack()
        try:
            thread_id = uuid.UUID(str(body["actions"][0]["value"]))
            channel = str((body.get("channel") or {}).get("id") or "")
            notice_ts = str((body.get("container") or {}).get("message_ts") or "")
            ask_for_mailbox_draft(
                thread_id, org_id=context["org_id"], answer_in=(channel, notice_ts), rt=rt
            )
        except (KeyError, IndexError, ValueError):
            respond(text="That button is not a thread any more.", response_type="ephemeral")
            return
        except HubError as exc:
            respond(text=safe_mrkdwn(f"No draft: {exc}", 300), response_type="ephemeral")
            return
        respond(
            text="Drafting a reply; it will wait in the mailbox's drafts.",
            response_type="ephemeral",
            replace_original=False,
        )
