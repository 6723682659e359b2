"""Shortcuts."""

from __future__ import annotations

from typing import Any

import structlog
from slack_bolt import Ack, App, Respond

from ai import AIError
from hub.wiring import Runtime
from slackapp.blocks.message_summary import failure_message, summary_message
from slackapp.summarize import summarize_slack_message

log = structlog.get_logger(__name__)


def register(app: App, rt: Runtime) -> None:
    @app.message_shortcut("summarize_message")
    def summarize_message(ack: Ack, respond: Respond, shortcut: dict[str, Any]) -> None:
        """Ack, summarize the message with the AI provider, answer only the invoker."""
        ack()
        message = shortcut.get("message") or {}
        try:
            summary = summarize_slack_message(rt.ai, message)
        except AIError as exc:
            log.warning("slack.shortcut.summary_failed", error=type(exc).__name__)
            respond(failure_message("Sorry, the message could not be summarized."))
            return
        respond(summary_message(summary))
