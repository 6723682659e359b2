"""RFC 822 / MIME bytes to a ParsedMessage, never raising on malformed input."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from connectors.mail.assemble import assemble_message
from connectors.mail.body import Part
from connectors.mail.encoding import decode_text
from connectors.mail.headers import HeaderMap, parse_message_id
from connectors.mail.types import ParsedMessage

_MAX_DEPTH = 32  # deeper nesting is hostile or broken; stop rather than recurse on


def _defect_names(message: Message) -> list[str]:
    return [type(defect).__name__ for defect in message.defects]


def _raw_header(message: Message, name: str) -> str | None:
    wanted = name.lower()
    return next((str(v) for k, v in message.raw_items() if k.lower() == wanted), None)


def _payload_bytes(message: Message) -> bytes:
    payload = message.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _to_part(message: Message, defects: list[str], depth: int = 0) -> Part:
    defects.extend(_defect_names(message))
    content_type = message.get_content_type().lower()
    filename = message.get_filename() or ""
    disposition = (message.get_content_disposition() or "").lower()
    content_id = parse_message_id(_raw_header(message, "content-id"))
    if content_type == "message/rfc822":
        # A forwarded message stays an attachment here; inlining it is a later concern.
        inner = message.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        size = len(first.as_bytes()) if isinstance(first, Message) else 0
        return Part(content_type, filename or "forwarded.eml", "attachment", content_id, size)
    if message.is_multipart():
        if depth >= _MAX_DEPTH:
            defects.append("MimeNestingTooDeep")
            return Part(content_type)
        payload = message.get_payload()
        children = (
            [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
        )
        return Part(
            content_type,
            children=tuple(_to_part(child, defects, depth + 1) for child in children),
        )
    data = _payload_bytes(message)
    text: str | None = None
    if content_type.startswith("text/"):
        text, defect = decode_text(data, message.get_content_charset())
        if defect:
            defects.append(defect)
    return Part(content_type, filename, disposition, content_id, len(data), text)


def parse_mime(data: bytes) -> ParsedMessage:
    """Parse a whole message; provider_id is the Message-ID (callers replace it)."""
    defects: list[str] = []
    try:
        message: EmailMessage = BytesParser(policy=policy.default).parsebytes(data)
        headers = HeaderMap((name, str(value)) for name, value in message.raw_items())
        root: Part | None = _to_part(message, defects)
    except Exception as exc:  # noqa: BLE001 - the stdlib parser has no closed error set
        defects.append(f"unparseable message: {type(exc).__name__}")
        headers, root = HeaderMap(()), None
    message_id = parse_message_id(headers.get("message-id"))
    return assemble_message(
        provider_id=message_id or "",
        provider_thread_id=None,
        headers=headers,
        root=root,
        defects=defects,
    )
