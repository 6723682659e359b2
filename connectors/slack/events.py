"""Slack message events (Events API) read as chat changes to the hub's messages.

message.channels, message.im and their kin all arrive as `event.type == "message"`.
A person's post has no subtype (or thread_broadcast, file_share, me_message); edits
and deletions arrive as `message_changed` / `message_deleted` carrying the message
inside. Bot posts (bot_id, bot_message) and channel chatter (joins, topic changes)
are skipped. A message's id is "channel:ts" and its thread "channel:thread_ts": Slack's
ts is unique within a channel and a thread is named by its root's ts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.mail.language import detect_language
from connectors.mail.types import Address, ParsedMessage
from connectors.slack.plaintext import to_plain_text
from connectors.types import ChatChangeKind, ChatMention

POSTED_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})
SUBJECT_CHARS = 80
_LEADING_MENTIONS = re.compile(r"^(?:\s*<@[UW][A-Z0-9]+(?:\|[^<>]*)?>)+")


@dataclass(frozen=True)
class MessageEvent:
    """The parts of a message event the hub keeps; text is still in Slack's format."""

    kind: ChatChangeKind
    channel: str
    ts: str
    thread_ts: str
    user: str
    text: str

    @property
    def provider_id(self) -> str:
        return f"{self.channel}:{self.ts}"


def read_message_event(event: Mapping[str, Any]) -> MessageEvent | None:
    """The change a message event makes, or None for events the hub does not keep."""
    if event.get("type") != "message" or not event.get("channel"):
        return None
    channel = str(event["channel"])
    subtype = str(event.get("subtype") or "")
    if subtype == "message_changed":
        return _from_message(ChatChangeKind.EDITED, channel, event.get("message"))
    if subtype == "message_deleted":
        deleted = str(event.get("deleted_ts") or "")
        if not deleted:
            return None
        return MessageEvent(ChatChangeKind.DELETED, channel, deleted, deleted, "", "")
    if subtype not in POSTED_SUBTYPES:
        return None
    return _from_message(ChatChangeKind.POSTED, channel, event)


def _from_message(kind: ChatChangeKind, channel: str, message: Any) -> MessageEvent | None:
    if not isinstance(message, Mapping) or message.get("bot_id") or not message.get("ts"):
        return None
    if message.get("subtype") == "bot_message" or not message.get("user"):
        return None
    ts = str(message["ts"])
    return MessageEvent(
        kind=kind,
        channel=channel,
        ts=ts,
        thread_ts=str(message.get("thread_ts") or ts),
        user=str(message["user"]),
        text=str(message.get("text") or ""),
    )


def read_mention_event(event: Mapping[str, Any]) -> ChatMention | None:
    """An app_mention: the request is its text without the leading mentions of the app."""
    channel, ts = str(event.get("channel") or ""), str(event.get("ts") or "")
    if event.get("type") != "app_mention" or not channel or not ts:
        return None
    text = _LEADING_MENTIONS.sub("", str(event.get("text") or ""))
    return ChatMention(
        channel=channel,
        ts=ts,
        thread_ts=str(event.get("thread_ts") or ts),
        text=to_plain_text(text).strip(),
        asked_at=ts_datetime(ts),
    )


def parsed_message(
    event: MessageEvent, *, channel_name: str, people: Mapping[str, Address]
) -> ParsedMessage:
    """The message in the hub's shape; people maps user ids to names (and emails)."""
    names = {user: address.name for user, address in people.items() if address.name}
    text = to_plain_text(event.text, names).strip()
    return ParsedMessage(
        provider_id=event.provider_id,
        provider_thread_id=f"{event.channel}:{event.thread_ts}",
        message_id=None,
        in_reply_to=None,
        references=(),
        subject=_subject(channel_name, text),
        sender=people.get(event.user) or Address(name=event.user, email=""),
        to=(),
        cc=(),
        date=ts_datetime(event.ts),
        text=text,
        visible_text=text,
        quoted_text="",
        labels=(f"slack:{event.channel}",),
        language=detect_language(text),
        source="slack",
    )


def _subject(channel_name: str, text: str) -> str:
    """Chat has no subjects: the channel and the message's first line stand in."""
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first_line) > SUBJECT_CHARS:
        first_line = first_line[: SUBJECT_CHARS - 1].rstrip() + "\u2026"
    return f"#{channel_name}: {first_line}" if first_line else f"#{channel_name}"


def ts_datetime(ts: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError, OSError):
        return None
