"""Putting a parsed message's raw bytes and attachments into object storage.

Runs outside any transaction (S3 is a network call); the keys it returns are written
with the message rows afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from connectors.mail.types import AttachmentInfo, ParsedMessage
from hub.storage.store import ObjectStore, StoredObject, stream_of

RAW_CONTENT_TYPE = "message/rfc822"


@dataclass(frozen=True)
class MessageObjects:
    raw: StoredObject | None = None
    # Keys by position in ParsedMessage.attachments; None where the bytes were not at hand.
    attachments: tuple[StoredObject | None, ...] = field(default_factory=tuple)


def store_message_objects(
    store: ObjectStore, messages: Sequence[ParsedMessage]
) -> dict[str, MessageObjects]:
    """Content-addressed puts, so a redelivered message or a shared attachment is one object."""
    return {
        parsed.provider_id: MessageObjects(
            raw=store.put_bytes(parsed.raw, content_type=RAW_CONTENT_TYPE)
            if parsed.raw is not None
            else None,
            attachments=tuple(_put_attachment(store, a) for a in parsed.attachments),
        )
        for parsed in messages
    }


def _put_attachment(store: ObjectStore, attachment: AttachmentInfo) -> StoredObject | None:
    pieces = attachment.iter_bytes()
    if pieces is None:
        return None
    return store.put_stream(stream_of(pieces), content_type=attachment.content_type)
