"""Plain value objects that cross the connector boundary.

Connectors take these and return these; they know nothing of the database, the web
framework, Celery or settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from connectors.mail.types import Address, ParsedMessage


class Provider(StrEnum):
    GMAIL = "gmail"
    OUTLOOK = "outlook"
    SLACK = "slack"
    CLICKUP = "clickup"
    NOTION = "notion"


@dataclass(frozen=True)
class WebhookRequest:
    """An inbound HTTP request as a connector sees it (header names lower-cased)."""

    method: str
    path: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


class NotificationKind(StrEnum):
    """What a notification asks of the hub: a sync of the account, or to take its message."""

    CHANGES = "changes"  # new mail: sync from the stored cursor
    WATCH_EXPIRING = "watch_expiring"  # renew the subscription first (Graph reauthorization)
    WATCH_REMOVED = "watch_removed"  # create a new subscription first
    MISSED = "missed"  # the provider dropped notifications: sync (the cursor covers the gap)
    MESSAGE = "message"  # the delivery carries the message itself (Slack): no sync
    MENTION = "mention"  # someone asked the app about a conversation (Slack app_mention)


@dataclass(frozen=True)
class Notification:
    """One provider delivery, reduced to what the hub needs to record and process it.

    dedupe_key is unique per provider (a redelivery carries the same key);
    account_key is the provider's id of the account (a mailbox address for Gmail).
    Where the provider proves a delivery only by echoing a secret we gave it (Graph's
    clientState), subscription_id names the subscription and secret is the echo: the
    hub checks it against the stored one and finds the account through the subscription.
    """

    dedupe_key: str
    account_key: str
    payload: Mapping[str, Any]
    kind: NotificationKind = NotificationKind.CHANGES
    subscription_id: str | None = None
    secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    expires_at: datetime
    refresh_token: str | None = None


@dataclass(frozen=True)
class ConnectedAccount:
    """An account a user just connected: whose it is, its tokens, where output goes.

    default_target is where the provider's install put the hub's output, when it asked
    (the Slack channel picked for notices); None otherwise.
    """

    external_id: str  # the mailbox address, or the Slack team id
    grant: TokenGrant = field(repr=False)
    default_target: str | None = None


@dataclass(frozen=True)
class Credentials:
    access_token: str | None
    refresh_token: str | None
    expires_at: datetime | None


@dataclass(frozen=True)
class MessageRef:
    message_id: str
    thread_id: str


@dataclass(frozen=True)
class ChangeBatch:
    """Messages added since a cursor, and the cursor to store once they are applied."""

    added: tuple[MessageRef, ...]
    cursor: str


@dataclass(frozen=True)
class Watch:
    """A push subscription at the provider (a Gmail watch, a Graph subscription).

    cursor is where changes start when the provider says so at watch time (Gmail's
    historyId), else "". secret is what the provider echoes on every notification
    (Graph's clientState); the hub stores it encrypted.
    """

    cursor: str
    expires_at: datetime
    external_id: str = ""
    secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SlackMessage:
    """A rendered Slack message: fallback text plus Block Kit blocks."""

    text: str
    blocks: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ThreadNotice:
    """What a Slack notice about a thread shows. All strings are untrusted email text."""

    subject: str
    sender: str
    summary: str
    category: str
    priority: str
    needs_reply: bool
    link: str | None = None
    # Tasks proposed from the thread, as (task id, title), each offered with a button.
    tasks: Sequence[tuple[str, str]] = ()
    # The hub's thread id when a reply can be drafted into the mailbox (a button).
    draft_reply_for: str = ""


@dataclass(frozen=True)
class TaskDraft:
    """A task to create in a task tool. title and notes derive from untrusted email text."""

    title: str
    notes: str = ""
    due: date | None = None
    link: str | None = None  # back to the thread in the hub
    priority: str | None = None  # "urgent", "high", "normal" or "low"
    # Unique per request (the hub's outbox row id): stored with the task so that, after
    # a failure whose outcome is unknown, TaskSink.find_task can tell it was created.
    marker: str = ""


@dataclass(frozen=True)
class RemoteTask:
    """Where a task was created: the tool's id for it and a link a person can open."""

    remote_id: str
    url: str | None = None


class ChatChangeKind(StrEnum):
    POSTED = "posted"
    EDITED = "edited"
    DELETED = "deleted"


@dataclass(frozen=True)
class ChatChange:
    """What one chat event did to one message; message is None for a deletion.

    provider_id identifies the message within its account (Slack: "channel:ts").
    """

    kind: ChatChangeKind
    provider_id: str
    message: ParsedMessage | None = None


@dataclass(frozen=True)
class MentionAnswer:
    """The app's answer in a chat thread. All text derives from untrusted messages.

    tasks are (title, due date as ISO text or ""); created names the tool a task
    asked for is being created in ("" when the answer is a summary).
    """

    summary: str = ""
    tasks: Sequence[tuple[str, str]] = ()
    created: str = ""
    note: str = ""  # a plain explanation instead (e.g. no task tool is connected)


@dataclass(frozen=True)
class ChatMention:
    """Someone addressing the app in chat: where, and what they asked (plain text)."""

    channel: str
    ts: str  # the asking message's id within the channel
    thread_ts: str  # the thread to answer in
    text: str  # the request, the app's mention removed
    asked_at: datetime | None = None


@dataclass(frozen=True)
class MailDraft:
    """A reply to keep in the mailbox's drafts, in the thread of the message it answers.

    answers: the provider's id of that message (Gmail id, Graph id); thread_id: Gmail
    threadId or Graph conversationId; rfc_message_id and references: that message's
    Message-ID and References, for the reply's In-Reply-To / References headers.
    body is plain text the owner approved; nothing sends it.
    """

    answers: str
    thread_id: str | None
    rfc_message_id: str | None
    references: tuple[str, ...]
    subject: str  # the thread's subject; the sink adds "Re: " when it is missing
    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    body: str = ""
