"""The ephemeral reply of the "summarize_message" shortcut (pure; no I/O).

The summary is extracted from a Slack message, so it is as untrusted as the message:
escaped, bounded, verbatim.
"""

from __future__ import annotations

from typing import Any

from connectors.slack.mrkdwn import SECTION_TEXT_LIMIT, safe_mrkdwn

_FALLBACK_LIMIT = 300


def summary_message(summary: str) -> dict[str, Any]:
    """Keyword arguments for respond(): the summary and a note on where it came from."""
    body = safe_mrkdwn(summary, SECTION_TEXT_LIMIT - 20).strip()
    if not body:
        return failure_message("There is no text in this message to summarize.")
    return {
        "text": safe_mrkdwn(summary, _FALLBACK_LIMIT),
        "response_type": "ephemeral",
        "unfurl_links": False,
        "unfurl_media": False,
        "replace_original": False,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": body, "verbatim": True}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Summary of the message, only for you."}],
            },
        ],
    }


def failure_message(reason: str) -> dict[str, Any]:
    """An ephemeral apology; reason is our own text."""
    return {"text": reason, "response_type": "ephemeral", "replace_original": False}
