"""Slash commands."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond

from hub.wiring import Runtime
from slackapp.blocks.thread_list import inbox_message
from slackapp.inbox import recent_threads


def register(app: App, rt: Runtime) -> None:
    @app.command("/inbox")
    def inbox(ack: Ack, respond: Respond, context: BoltContext) -> None:
        """Ack at once, then send the organization's recent threads to the invoker only."""
        ack()
        respond(inbox_message(recent_threads(rt, context["org_id"])))
