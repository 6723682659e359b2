"""Recent threads as Block Kit: the /inbox reply and the App Home tab share it.

Everything that came from email (subject, summary) and everything stored from an AI
step (category, priority) is untrusted: it goes through connectors.slack.mrkdwn and
into mrkdwn objects with verbatim on, so it cannot ping, link or spoof. Only our own
constructs (the header, the date token, the "and N more" line) are unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connectors.slack.mrkdwn import (
    HEADER_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
    safe_mrkdwn,
    safe_plain_text,
)

Block = dict[str, Any]

MESSAGE_BLOCK_LIMIT = 50
HOME_BLOCK_LIMIT = 100
BLOCKS_PER_THREAD = 2  # a section (subject + summary) and a context line

_SUBJECT_LIMIT = 250
_LABEL_LIMIT = 40
# Subject, two asterisks and a newline leave this much of the section for the summary.
_SUMMARY_LIMIT = SECTION_TEXT_LIMIT - _SUBJECT_LIMIT - 3


@dataclass(frozen=True)
class ThreadRow:
    subject: str
    category: str | None
    priority: str | None
    summary: str | None
    last_message_at: datetime | None = None
    message_count: int = 0


def _mrkdwn(text: str, *, verbatim: bool = True) -> Block:
    return {"type": "mrkdwn", "text": text, "verbatim": verbatim}


def _label(value: str | None, default: str) -> str:
    text = safe_mrkdwn(value or "", _LABEL_LIMIT).strip()
    return text or default


def _date_token(when: datetime) -> str:
    # Our own construct: Slack renders it in the reader's time zone.
    ts = int(when.timestamp())
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{ts}^{{date_short_pretty}} {{time}}|{fallback}>"


def thread_blocks(row: ThreadRow) -> list[Block]:
    """One thread: bold subject and summary, then category, priority, size and date."""
    subject = safe_mrkdwn(row.subject, _SUBJECT_LIMIT).strip() or "(no subject)"
    summary = safe_mrkdwn(row.summary or "", _SUMMARY_LIMIT).strip() or "_No summary yet._"
    details = (
        f"*Category:* {_label(row.category, 'not triaged')} \u00b7 "
        f"*Priority:* {_label(row.priority, 'unknown')} \u00b7 "
        f"{row.message_count} message{'' if row.message_count == 1 else 's'}"
    )
    elements = [_mrkdwn(details)]
    if row.last_message_at is not None:
        elements.append(_mrkdwn(_date_token(row.last_message_at), verbatim=False))
    return [
        {"type": "section", "text": _mrkdwn(f"*{subject}*\n{summary}")},
        {"type": "context", "elements": elements},
    ]


def thread_list_blocks(
    rows: list[ThreadRow], *, max_blocks: int = MESSAGE_BLOCK_LIMIT, title: str = "Recent threads"
) -> list[Block]:
    """A header, as many threads as fit in max_blocks, and a note for the rest."""
    if max_blocks < 2 + BLOCKS_PER_THREAD:
        raise ValueError("max_blocks too small for a thread list")
    header: Block = {
        "type": "header",
        "text": {"type": "plain_text", "text": safe_plain_text(title, HEADER_TEXT_LIMIT)},
    }
    if not rows:
        return [header, {"type": "section", "text": _mrkdwn("No threads yet.")}]
    room = (max_blocks - 1) // BLOCKS_PER_THREAD
    if len(rows) > room:
        # Keep one block free for the "and N more" note.
        room = (max_blocks - 2) // BLOCKS_PER_THREAD
    blocks = [header]
    for row in rows[:room]:
        blocks.extend(thread_blocks(row))
    hidden = len(rows) - room
    if hidden > 0:
        note = f"\u2026and {hidden} more thread{'' if hidden == 1 else 's'}."
        blocks.append({"type": "context", "elements": [_mrkdwn(note)]})
    return blocks


def inbox_message(rows: list[ThreadRow]) -> dict[str, Any]:
    """Keyword arguments for respond(): an ephemeral message with fallback text."""
    count = len(rows)
    text = f"{count} recent thread{'' if count == 1 else 's'}" if rows else "No threads yet."
    return {
        "text": text,
        "blocks": thread_list_blocks(rows, max_blocks=MESSAGE_BLOCK_LIMIT),
        "response_type": "ephemeral",
        "unfurl_links": False,
        "unfurl_media": False,
    }


def home_view(rows: list[ThreadRow]) -> dict[str, Any]:
    """The App Home tab (views.publish): same list, the home view's larger block limit."""
    return {
        "type": "home",
        "blocks": thread_list_blocks(rows, max_blocks=HOME_BLOCK_LIMIT, title="Your inbox"),
    }
