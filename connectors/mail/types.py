"""The canonical parsed message every source (MIME, Gmail JSON, Graph JSON) turns into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Address:
    name: str
    email: str  # lower-cased addr-spec; "" when the header held no usable address


@dataclass(frozen=True)
class AttachmentInfo:
    filename: str
    content_type: str
    size: int
    content_id: str | None = None
    inline: bool = False


@dataclass(frozen=True)
class ParsedMessage:
    provider_id: str
    provider_thread_id: str | None
    message_id: str | None  # RFC 5322 Message-ID without angle brackets
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: datetime | None  # timezone-aware UTC
    text: str  # the whole body as plain text
    visible_text: str  # only the new content: quoted history and signature set aside
    quoted_text: str
    labels: tuple[str, ...] = ()
    auto_signals: tuple[
        str, ...
    ] = ()  # e.g. "list-unsubscribe", "auto-submitted", "precedence:bulk"
    attachments: tuple[AttachmentInfo, ...] = ()
    defects: tuple[str, ...] = field(default_factory=tuple)
