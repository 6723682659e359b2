"""Gmail API message resources (format=full, metadata, minimal or raw) to ParsedMessage."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from connectors.mail.assemble import assemble_message
from connectors.mail.body import Part
from connectors.mail.encoding import b64decode_lenient, decode_text
from connectors.mail.headers import HeaderMap, decode_words, parse_message_id
from connectors.mail.mime import parse_mime
from connectors.mail.types import ParsedMessage

_MAX_DEPTH = 32


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _header_pairs(part: Mapping[str, Any]) -> list[tuple[str, str]]:
    headers = part.get("headers")
    if not isinstance(headers, Sequence):
        return []
    return [
        (_str(h.get("name")), _str(h.get("value")))
        for h in headers
        if isinstance(h, Mapping) and _str(h.get("name"))
    ]


def _mime_view(pairs: list[tuple[str, str]]) -> Message:
    """A header-only stdlib message, to reuse its parameter parsing (RFC 2231 included)."""
    view = Message()
    for name, value in pairs:
        if name.lower() in {"content-type", "content-disposition"}:
            view[name] = value
    return view


def _internal_date(message: Mapping[str, Any]) -> datetime | None:
    try:
        millis = int(str(message.get("internalDate")))
    except ValueError:
        return None
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def _labels(message: Mapping[str, Any]) -> tuple[str, ...]:
    labels = message.get("labelIds")
    if not isinstance(labels, Sequence) or isinstance(labels, str):
        return ()
    return tuple(label for label in labels if isinstance(label, str))


def _to_part(part: Mapping[str, Any], defects: list[str], depth: int = 0) -> Part:
    pairs = _header_pairs(part)
    view = _mime_view(pairs)
    content_type = (_str(part.get("mimeType")) or view.get_content_type()).lower()
    filename = decode_words(_str(part.get("filename"))) or _param(view.get_filename)
    disposition = _param(view.get_content_disposition).lower()
    content_id = parse_message_id(HeaderMap(pairs).get("content-id"))
    body = _mapping(part.get("body"))
    size = body.get("size") if isinstance(body.get("size"), int) else 0
    children = part.get("parts")
    if content_type.startswith("multipart/") or isinstance(children, Sequence):
        if depth >= _MAX_DEPTH:
            defects.append("MimeNestingTooDeep")
            return Part(content_type)
        kids = children if isinstance(children, Sequence) else []
        parts = tuple(_to_part(_mapping(kid), defects, depth + 1) for kid in kids)
        return Part(content_type, children=parts)
    data = body.get("data")
    attachment_id = _str(body.get("attachmentId")) or None
    decoded: bytes | None = None
    if isinstance(data, str):
        try:
            decoded = b64decode_lenient(data)
        except ValueError:
            defects.append(f"part {_str(part.get('partId'))!r}: body data not base64")
    is_text = content_type.startswith("text/") and not filename and disposition != "attachment"
    if is_text and decoded is not None:
        text, defect = decode_text(decoded, _charset(view))
        if defect:
            defects.append(defect)
        return Part(content_type, filename, disposition, content_id, int(size or 0), text)
    if is_text and attachment_id:
        # Gmail moves very large text bodies behind an attachment id.
        defects.append(f"part {_str(part.get('partId'))!r}: text body not inline")
    if decoded is None:
        return Part(
            content_type,
            filename,
            disposition,
            content_id,
            int(size or 0),
            provider_attachment_id=attachment_id,
        )
    content = decoded
    return Part(
        content_type,
        filename,
        disposition,
        content_id,
        len(decoded),
        sha256=hashlib.sha256(decoded).hexdigest(),
        loader=lambda: iter((content,)),
        provider_attachment_id=attachment_id,
    )


def _param(accessor: Callable[[], str | None]) -> str:
    try:
        return decode_words(accessor() or "")
    except Exception:  # noqa: BLE001 - hostile parameters mean no value, not a crash
        return ""


def _charset(view: Message) -> str | None:
    try:
        return view.get_content_charset()
    except Exception:  # noqa: BLE001 - hostile parameters; detection takes over
        return None


def parse_gmail_raw(message: Mapping[str, Any], raw: bytes | None) -> ParsedMessage:
    """A format=raw resource whose "raw" member was already decoded (None: not base64)."""
    parsed = parse_mime(raw or b"")
    if raw is None:
        parsed = dataclasses.replace(parsed, defects=(*parsed.defects, "raw not base64"))
    return dataclasses.replace(
        parsed,
        provider_id=_str(message.get("id")),
        provider_thread_id=_str(message.get("threadId")) or None,
        labels=_labels(message),
        date=parsed.date or _internal_date(message),
        source="gmail",
    )


def _decoded_raw(raw: str) -> bytes | None:
    try:
        return b64decode_lenient(raw)
    except ValueError:
        return None


def parse_gmail(message: Mapping[str, Any]) -> ParsedMessage:
    """Parse a users.messages resource; minimal/metadata formats give empty bodies."""
    raw = message.get("raw")
    if isinstance(raw, str):
        return parse_gmail_raw(message, _decoded_raw(raw))
    defects: list[str] = []
    payload = message.get("payload")
    root = _to_part(payload, defects) if isinstance(payload, Mapping) else None
    return assemble_message(
        provider_id=_str(message.get("id")),
        provider_thread_id=_str(message.get("threadId")) or None,
        headers=HeaderMap(_header_pairs(_mapping(payload))),
        root=root,
        labels=_labels(message),
        fallback_date=_internal_date(message),
        defects=defects,
        source="gmail",
    )
