"""Render a ThreadNotice, or the app's answer to a mention, as Block Kit (pure; no I/O)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from connectors.slack.mrkdwn import (
    CONTEXT_TEXT_LIMIT,
    FALLBACK_TEXT_LIMIT,
    HEADER_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
    safe_mrkdwn,
    safe_plain_text,
    truncate_mrkdwn,
)
from connectors.types import MentionAnswer, SlackMessage, ThreadNotice

# Per-field caps keep the context line readable; all sit well under the element limit.
_SENDER_LIMIT = 200
_LABEL_LIMIT = 60
_FALLBACK_SUMMARY_LIMIT = 300
# A URL longer than this or with characters that could end Slack's <url|label> syntax
# is dropped rather than escaped: a half-working link is worse than none.
_LINK_LIMIT = 2000
_LINK_FORBIDDEN = frozenset("<>| \t\r\n\"'")
# Buttons for at most this many proposed tasks; Slack allows 50 blocks a message.
MAX_TASK_BUTTONS = 5
TASK_ACCEPT_ACTION = "task_accept"
DRAFT_REPLY_ACTION = "draft_reply"
_TASK_TITLE_LIMIT = 300


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: no auto-linking of bare URLs or #channel names in untrusted text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _safe_link(link: str | None) -> str | None:
    if not link or len(link) > _LINK_LIMIT or any(ch in _LINK_FORBIDDEN for ch in link):
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in link):
        return None
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    # Inside <...> Slack wants & escaped as well.
    return link.replace("&", "&amp;")


def _task_block(task_id: str, title: str) -> dict[str, Any]:
    """A proposed task and the button that creates it in the organization's task tool."""
    text = _or(safe_mrkdwn(title, _TASK_TITLE_LIMIT), "(untitled task)")
    return {
        "type": "section",
        "text": _mrkdwn(f"*Task:* {text}"),
        "accessory": {
            "type": "button",
            "text": {"type": "plain_text", "text": "Create task"},
            "action_id": TASK_ACCEPT_ACTION,
            "value": task_id,
        },
    }


def _draft_block(thread_id: str) -> dict[str, Any]:
    """The button that drafts a reply with the AI and keeps it in the mailbox's drafts."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Draft a reply"},
                "action_id": DRAFT_REPLY_ACTION,
                "value": thread_id,
            }
        ],
    }


def _or(value: str, default: str) -> str:
    # Slack rejects empty (and whitespace-only) text objects.
    return value if value.strip() else default


def render_thread_notice(notice: ThreadNotice) -> SlackMessage:
    """Header (subject), section (summary), context (sender, category, priority, reply)."""
    subject = _or(safe_plain_text(notice.subject, HEADER_TEXT_LIMIT), "(no subject)")
    summary = _or(safe_mrkdwn(notice.summary, SECTION_TEXT_LIMIT), "_No summary._")
    sender = _or(safe_mrkdwn(notice.sender, _SENDER_LIMIT), "unknown sender")
    category = _or(safe_mrkdwn(notice.category, _LABEL_LIMIT), "uncategorized")
    priority = _or(safe_mrkdwn(notice.priority, _LABEL_LIMIT), "unknown")
    reply = "needs reply" if notice.needs_reply else "no reply needed"

    context_elements: list[dict[str, Any]] = [
        _mrkdwn(f"*From:* {sender}"),
        _mrkdwn(f"*Category:* {category} \u00b7 *Priority:* {priority} \u00b7 {reply}"),
    ]
    link = _safe_link(notice.link)
    if link is not None:
        # Our own label and a validated URL: the one place a link is allowed, so this
        # element is not verbatim (verbatim would still honor it, but be explicit).
        context_elements.append({"type": "mrkdwn", "text": f"<{link}|Open thread>"})

    blocks: tuple[dict[str, Any], ...] = (
        {
            "type": "header",
            "text": {"type": "plain_text", "text": subject, "emoji": True},
        },
        {"type": "section", "text": _mrkdwn(summary)},
        {
            "type": "context",
            "elements": [
                {**el, "text": truncate_mrkdwn(el["text"], CONTEXT_TEXT_LIMIT)}
                for el in context_elements
            ],
        },
    )

    blocks += tuple(
        _task_block(task_id, title) for task_id, title in notice.tasks[:MAX_TASK_BUTTONS]
    )
    if notice.draft_reply_for:
        blocks += (_draft_block(notice.draft_reply_for),)

    # Fallback text feeds notifications and screen readers; it is mrkdwn, so escaped.
    fallback = (
        f"{_or(safe_mrkdwn(notice.subject, HEADER_TEXT_LIMIT), '(no subject)')}"
        f" \u2014 from {sender}"
        f" ({priority}, {reply}): {safe_mrkdwn(notice.summary, _FALLBACK_SUMMARY_LIMIT)}"
    )
    return SlackMessage(text=truncate_mrkdwn(fallback, FALLBACK_TEXT_LIMIT), blocks=blocks)


def render_mention_answer(answer: MentionAnswer) -> SlackMessage:
    """The app's reply in a thread: a summary with its action items, or a task receipt."""
    if answer.note:
        text = safe_mrkdwn(answer.note, SECTION_TEXT_LIMIT)
    elif answer.created:
        title, due = answer.tasks[0] if answer.tasks else ("(untitled task)", "")
        label = safe_mrkdwn(title, _TASK_TITLE_LIMIT)
        text = f"Creating in {safe_mrkdwn(answer.created, _LABEL_LIMIT)}: *{label}*"
        text += f" (due {safe_mrkdwn(due, _LABEL_LIMIT)})" if due else ""
    else:
        text = _or(safe_mrkdwn(answer.summary, SECTION_TEXT_LIMIT), "_Nothing to summarize._")
    blocks: list[dict[str, Any]] = [{"type": "section", "text": _mrkdwn(_or(text, "Done."))}]
    if not answer.created and answer.tasks:
        items = [
            f"\u2022 {safe_mrkdwn(title, _TASK_TITLE_LIMIT)}"
            + (f" (due {safe_mrkdwn(due, _LABEL_LIMIT)})" if due else "")
            for title, due in answer.tasks[:MAX_TASK_BUTTONS]
        ]
        listing = truncate_mrkdwn("*Action items*\n" + "\n".join(items), SECTION_TEXT_LIMIT)
        blocks.append({"type": "section", "text": _mrkdwn(listing)})
    return SlackMessage(
        text=truncate_mrkdwn(_or(text, "Done."), FALLBACK_TEXT_LIMIT), blocks=tuple(blocks)
    )
