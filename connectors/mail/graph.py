"""Microsoft Graph message resources to ParsedMessage.

MIME from /messages/{id}/$value is the most faithful source (it keeps In-Reply-To,
References and every part), so it wins when given; the JSON resource supplies the
Graph ids and categories, and stands in alone otherwise. Graph's server-side
uniqueBody (the new content only) is a second opinion on the quote split.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from connectors.mail.assemble import assemble_message
from connectors.mail.body import Part
from connectors.mail.headers import HeaderMap
from connectors.mail.html import html_to_text
from connectors.mail.mime import parse_mime
from connectors.mail.types import ParsedMessage

_SPACE = re.compile(r"\s+")
_HTML_HINT = re.compile(r"<(?:html|body|div|p|br|table|span)\b", re.IGNORECASE)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, Sequence) and not isinstance(value, str) else ()


def _when(value: Any) -> datetime | None:
    text = _str(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _address(recipient: Any) -> str:
    email_address = _mapping(_mapping(recipient).get("emailAddress"))
    name, addr = _str(email_address.get("name")), _str(email_address.get("address"))
    if not addr and not name:
        return ""
    # Graph repeats the address as the name when none is known. Names and addresses
    # are already decoded (and may be UTF-8, RFC 6532): quote, never encode.
    if not name or name == addr:
        return f"<{addr}>" if addr else ""
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{addr}>'


def _addresses(values: Any) -> str:
    return ", ".join(found for value in _list(values) if (found := _address(value)))


def _headers(message: Mapping[str, Any]) -> HeaderMap:
    """internetMessageHeaders when selected, then the JSON fields in header form."""
    pairs = [
        (_str(h.get("name")), _str(h.get("value")))
        for h in map(_mapping, _list(message.get("internetMessageHeaders")))
        if _str(h.get("name"))
    ]
    synthesized = {
        "subject": _str(message.get("subject")),
        "from": _address(message.get("from")) or _address(message.get("sender")),
        "to": _addresses(message.get("toRecipients")),
        "cc": _addresses(message.get("ccRecipients")),
        "reply-to": _addresses(message.get("replyTo")),
        "message-id": _str(message.get("internetMessageId")),
    }
    sent = _when(message.get("sentDateTime")) or _when(message.get("receivedDateTime"))
    if sent is not None:
        synthesized["date"] = format_datetime(sent)
    # JSON fields are already decoded and win over raw header values.
    pairs = [(n, v) for n, v in pairs if n.lower() not in synthesized or not synthesized[n.lower()]]
    pairs += [(name, value) for name, value in synthesized.items() if value]
    return HeaderMap(pairs)


def _attachment_part(attachment: Mapping[str, Any], defects: list[str]) -> Part:
    kind = _str(attachment.get("@odata.type"))
    name = _str(attachment.get("name")) or "unnamed"
    content_type = (_str(attachment.get("contentType")) or "application/octet-stream").lower()
    inline = attachment.get("isInline") is True
    content_id = _str(attachment.get("contentId")).strip("<>") or None
    size = attachment.get("size") if isinstance(attachment.get("size"), int) else 0
    if kind.endswith("itemAttachment"):
        content_type = "message/rfc822"
        name = name if name.lower().endswith(".eml") else f"{name}.eml"
    data_text = attachment.get("contentBytes")
    data: bytes | None = None
    if isinstance(data_text, str):
        try:
            data = base64.b64decode(data_text, validate=False)
        except (binascii.Error, ValueError):
            defects.append(f"attachment {name[:40]!r}: contentBytes not base64")
    disposition = "inline" if inline else "attachment"
    attachment_id = _str(attachment.get("id")) or None
    if data is None:
        return Part(content_type, name, disposition, content_id, int(size or 0),
                    provider_attachment_id=attachment_id)  # fmt: skip
    content = data
    return Part(
        content_type,
        name,
        disposition,
        content_id,
        len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        loader=lambda: iter((content,)),
        provider_attachment_id=attachment_id,
    )


def _body_part(message: Mapping[str, Any]) -> Part | None:
    body = _mapping(message.get("body"))
    content = _str(body.get("content"))
    if not content:
        return None
    kind = "text/html" if _str(body.get("contentType")).lower() == "html" else "text/plain"
    return Part(kind, text=content)


def _normalized(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _with_unique_body(parsed: ParsedMessage, unique_body: str) -> ParsedMessage:
    """Take Graph's uniqueBody when our split found no quote but the server did.

    Our own split is kept when it already set something aside: it also separates
    signatures, which uniqueBody keeps.
    """
    unique = html_to_text(unique_body) if _HTML_HINT.search(unique_body) else unique_body.strip()
    if not unique or parsed.quoted_text or parsed.forwarded:
        return parsed
    whole, new = _normalized(parsed.text), _normalized(unique)
    if len(new) >= len(whole) or not whole.startswith(new):
        return parsed
    lines = parsed.text.split("\n")
    covered = ""
    for index, line in enumerate(lines):
        covered = _normalized(f"{covered} {line}")
        if len(covered) >= len(new):
            quoted = "\n".join(lines[index + 1 :]).strip()
            return dataclasses.replace(parsed, visible_text=unique, quoted_text=quoted)
    return parsed


def parse_graph(
    message_json: Mapping[str, Any], *, mime: bytes | None = None, unique_body: str | None = None
) -> ParsedMessage:
    """Parse a Graph message resource, from its MIME when given, else from its JSON."""
    message = _mapping(message_json)
    provider_id = _str(message.get("id"))
    thread_id = _str(message.get("conversationId")) or None
    labels = tuple(c for c in _list(message.get("categories")) if isinstance(c, str))
    received = _when(message.get("receivedDateTime"))
    if mime is not None:
        parsed = parse_mime(mime)
        parsed = dataclasses.replace(
            parsed,
            provider_id=provider_id or parsed.provider_id,
            provider_thread_id=thread_id,
            labels=labels,
            date=parsed.date or received,
            source="graph",
        )
    else:
        defects: list[str] = []
        if "@removed" in message:
            defects.append("removed message stub")
        body = _body_part(message)
        files = [_attachment_part(_mapping(a), defects) for a in _list(message.get("attachments"))]
        children = tuple(part for part in (body, *files) if part is not None)
        parsed = assemble_message(
            provider_id=provider_id,
            provider_thread_id=thread_id,
            headers=_headers(message),
            root=Part("multipart/mixed", children=children),
            labels=labels,
            fallback_date=received,
            defects=defects,
            source="graph",
        )
    unique = unique_body
    if unique is None:
        unique = _str(_mapping(message.get("uniqueBody")).get("content")) or None
    return _with_unique_body(parsed, unique) if unique else parsed
