"""RFC 822 / MIME bytes to a ParsedMessage, never raising on malformed input.

`structure` splits the entities and leaves bodies as slices of the input; everything
left raw (encoded words, 8-bit headers, charsets, transfer encodings) is decoded by
our own lenient helpers, and every repair is recorded as a defect.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from email.message import Message

from connectors.mail.assemble import assemble_message
from connectors.mail.body import Part
from connectors.mail.encoding import decode_text, iter_base64, transfer_decode
from connectors.mail.headers import HeaderMap, decode_words, parse_message_id, repair_surrogates
from connectors.mail.structure import Entity, read_entity, split_parts
from connectors.mail.tnef import expand_tnef, is_tnef
from connectors.mail.types import ParsedMessage

_MAX_DEPTH = 32  # deeper nesting is hostile or broken; stop rather than recurse on
_EMBEDDED = ("message/rfc822", "message/global")
_REPORT_BLOCKS = ("message/delivery-status", "message/disposition-notification")


def _header(message: Message, name: str) -> str | None:
    wanted = name.lower()
    return next((str(v) for k, v in message.raw_items() if k.lower() == wanted), None)


def _safe(call: object, default: str = "") -> str:
    """Run a stdlib accessor that may trip over hostile parameters."""
    try:
        value = call() if callable(call) else call
    except Exception:  # noqa: BLE001 - parameter parsing has no closed error set
        return default
    return value if isinstance(value, str) else default


def _filename(message: Message) -> str:
    # get_filename applies RFC 2231; RFC 2047 words in a filename are common but
    # non-standard, and 8-bit bytes come through as surrogates.
    raw = _safe(message.get_filename)
    return " ".join(decode_words(repair_surrogates(raw)).split()) if raw else ""


def _decoded_chunks(entity: Entity, defects: list[str]) -> Iterator[bytes]:
    """The body without its transfer encoding; base64 in pieces read from the input."""
    encoding = _header(entity.headers, "content-transfer-encoding")
    if (encoding or "").strip().lower() == "base64":
        yield from iter_base64(entity.source, entity.body_start, entity.end, defects)
        return
    data, defect = transfer_decode(bytes(entity.body), encoding)
    if defect:
        defects.append(defect)
    yield data


def _decoded(entity: Entity, defects: list[str]) -> bytes:
    return b"".join(_decoded_chunks(entity, defects))


def _embedded_message(entity: Entity, defects: list[str]) -> Entity:
    encoding = (_header(entity.headers, "content-transfer-encoding") or "").strip().lower()
    if encoding in ("", "7bit", "8bit", "binary"):
        return read_entity(entity.source, entity.body_start, entity.end)
    # Encoded message/rfc822 is invalid but sent; parse the decoded bytes.
    return read_entity(_decoded(entity, defects))


def _embedded_part(entity: Entity, defects: list[str], depth: int, listed: bool) -> Part:
    message = entity.headers
    filename = _filename(message)
    disposition = _safe(message.get_content_disposition).lower()
    content_id = parse_message_id(_header(message, "content-id"))
    inner = _embedded_message(entity, defects)
    subject = " ".join(
        decode_words(repair_surrogates(_header(inner.headers, "subject") or "")).split()
    )
    name = filename or f"{subject[:80] or 'forwarded message'}.eml"
    # Only an attachment the user sees needs its hash; hashing every nested level
    # would cost depth x size on forwards of forwards.
    size = inner.end - inner.start
    return Part(
        entity.headers.get_content_type(),
        name,
        disposition or "attachment",
        content_id,
        size,
        sha256=hashlib.sha256(inner.raw()).hexdigest() if listed else None,
        loader=lambda: iter((inner.raw(),)),
        embedded=_to_part(inner, defects, depth + 1, listed=False),
    )


def _leaf_part(entity: Entity, content_type: str, defects: list[str]) -> Part:
    message = entity.headers
    filename = _filename(message)
    disposition = _safe(message.get_content_disposition).lower()
    content_id = parse_message_id(_header(message, "content-id"))
    if is_tnef(content_type, filename):
        return expand_tnef(_decoded(entity, defects), defects)
    if content_type.startswith("text/") and disposition != "attachment" and not filename:
        data = _decoded(entity, defects)
        text, defect = decode_text(data, _safe(message.get_content_charset) or None)
        if defect:
            defects.append(defect)
        return Part(content_type, filename, disposition, content_id, len(data), text)
    # Attachments are hashed piece by piece and decoded again only when asked for, so
    # a large one is never held decoded next to the message.
    digest, size = hashlib.sha256(), 0
    for chunk in _decoded_chunks(entity, defects):
        digest.update(chunk)
        size += len(chunk)
    return Part(
        content_type,
        filename,
        disposition,
        content_id,
        size,
        sha256=digest.hexdigest(),
        loader=lambda: _decoded_chunks(entity, []),
    )


def _to_part(entity: Entity, defects: list[str], depth: int = 0, listed: bool = True) -> Part:
    defects.extend(entity.defects)
    content_type = _safe(entity.headers.get_content_type, "text/plain").lower()
    if depth >= _MAX_DEPTH:
        defects.append("MimeNestingTooDeep")
        return Part(content_type)
    if content_type in _EMBEDDED:
        part = _embedded_part(entity, defects, depth, listed)
    elif content_type in _REPORT_BLOCKS:
        part = Part(content_type)
    elif content_type.startswith("multipart/"):
        children = split_parts(entity, _safe(entity.headers.get_boundary) or None, defects)
        if children is None:
            # No usable boundary: the body is all we have, so read it as text.
            defects.append("multipart without parts read as text")
            part = _leaf_part(entity, "text/plain", defects)
        else:
            parts = tuple(_to_part(child, defects, depth + 1, listed) for child in children)
            part = Part(content_type, children=parts)
    else:
        part = _leaf_part(entity, content_type, defects)
    return part


def parse_mime(data: bytes) -> ParsedMessage:
    """Parse a whole message; provider_id is the Message-ID (callers replace it)."""
    defects: list[str] = []
    try:
        entity = read_entity(data)
        headers = HeaderMap((name, str(value)) for name, value in entity.headers.raw_items())
        root: Part | None = _to_part(entity, defects)
    except Exception as exc:  # noqa: BLE001 - a last guard: never raise on input
        defects.append(f"unparseable message: {type(exc).__name__}")
        headers, root = HeaderMap(()), None
    if not data or data.isspace():  # strip() would copy a large message
        defects.append("empty message")
    message_id = parse_message_id(headers.get("message-id"))
    parsed = assemble_message(
        provider_id=message_id or "",
        provider_thread_id=None,
        headers=headers,
        root=root,
        defects=defects,
    )
    return dataclasses.replace(parsed, raw=data)
