"""Summarize one Slack message with the AI summary step.

The message text is untrusted: it is turned into plain text for the AI step (which
fences it in the prompt) and whatever comes back is escaped by the renderer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ai import AIProvider, MessageInput, ThreadInput
from ai.steps import summary
from connectors.slack.plaintext import to_plain_text

MAX_INPUT_CHARS = 20_000


def _sent_at(ts: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def summarize_slack_message(provider: AIProvider, message: dict[str, Any]) -> str:
    """The summary text, or "" when the message has no text."""
    text = to_plain_text(str(message.get("text") or ""))[:MAX_INPUT_CHARS]
    if not text.strip():
        return ""
    thread = ThreadInput(
        subject="",
        messages=(
            MessageInput(
                author=str(message.get("user") or ""),
                sent_at=_sent_at(message.get("ts")),
                text=text,
            ),
        ),
    )
    return summary.run(provider, thread, previous=None).output.text
