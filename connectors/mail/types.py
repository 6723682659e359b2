"""The canonical parsed message every source (MIME, Gmail JSON, Graph JSON) turns into."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    size: int  # decoded bytes
    content_id: str | None = None
    inline: bool = False
    sha256: str | None = None  # hex of the decoded bytes; None when they were not at hand
    # Gmail attachmentId / Graph attachment id, to fetch bytes the resource did not carry.
    provider_attachment_id: str | None = None
    # Decodes the bytes again on demand, in pieces, from the parsed source instead of
    # keeping a decoded copy next to the message; None when only metadata is known.
    loader: Callable[[], Iterator[bytes]] | None = field(default=None, compare=False, repr=False)

    def iter_bytes(self) -> Iterator[bytes] | None:
        """The decoded content in pieces (for streaming to storage), or None."""
        return self.loader() if self.loader is not None else None

    def read_bytes(self) -> bytes | None:
        """The decoded content, or None when the source held only metadata."""
        pieces = self.iter_bytes()
        return b"".join(pieces) if pieces is not None else None


@dataclass(frozen=True)
class ParsedMessage:
    """One message, whatever its source.

    provider_id / provider_thread_id: Gmail id / threadId, Graph id / conversationId,
    Slack "channel:ts" / "channel:thread_ts", or for bare MIME the Message-ID and None.
    """

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
    reply_to: tuple[Address, ...] = ()
    signature: str = ""  # the sign-off block set aside from visible_text, if any
    forwarded: str = ""  # a forwarded message with its From/Date/Subject block
    html: str = ""  # the HTML body, sanitized (no scripts, handlers or remote loads)
    language: str | None = None  # ISO 639-1 code of visible_text, None when unsure
    source: str = "mime"  # "mime", "gmail", "graph" or "slack"
    # The original RFC 822 bytes when the source had them (MIME, Gmail format=raw), kept
    # so the hub can store the message as received.
    raw: bytes | None = field(default=None, compare=False, repr=False)
