"""The "New task" modal: /task, the create_task shortcuts and the modal's submission."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from hub.wiring import Runtime
from slackapp.blocks.task_modal import CALLBACK_ID, read_task_form
from slackapp.new_task import Prefill, open_task_form, prefill_from_message, submit_task_form


def register(app: App, rt: Runtime) -> None:
    @app.command("/task")
    def task_command(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """`/task Renew the TLS cert`: the modal, its title filled with the text."""
        ack()
        prefill = Prefill(title=str(body.get("text") or ""))
        open_task_form(rt, client, context["org_id"], str(body["trigger_id"]), prefill)

    @app.shortcut({"type": "shortcut", "callback_id": "create_task"})
    def task_shortcut(
        ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        open_task_form(rt, client, context["org_id"], str(shortcut["trigger_id"]), Prefill())

    @app.message_shortcut("create_task_from_message")
    def task_from_message(
        ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """The modal filled from the message, which the task will link back to."""
        ack()
        prefill = prefill_from_message(shortcut)
        open_task_form(rt, client, context["org_id"], str(shortcut["trigger_id"]), prefill)

    @app.view(CALLBACK_ID)
    def task_submitted(
        ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Errors go back under their inputs; a queued task turns the modal into a receipt."""
        form = read_task_form((view.get("state") or {}).get("values") or {})
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        answer = submit_task_form(rt, client, context["org_id"], form, view.get("private_metadata"))
        ack(**answer)
