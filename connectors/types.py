"""Plain value objects that cross the connector boundary.

Connectors take these and return these; they know nothing of the database, the web
framework, Celery or settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


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


@dataclass(frozen=True)
class Notification:
    """One provider delivery, reduced to what the hub needs to record and process it.

    dedupe_key is unique per provider (a redelivery carries the same key);
    account_key is the provider's id of the account (a mailbox address for Gmail).
    """

    dedupe_key: str
    account_key: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    expires_at: datetime
    refresh_token: str | None = None


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
    """A push subscription at the provider (a Gmail watch, a Graph subscription)."""

    cursor: str
    expires_at: datetime
    external_id: str = ""


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
