"""RFC 822 / MIME bytes to a ParsedMessage, never raising on malformed input.

The stdlib compat32 parser splits the structure (it is 7-9x faster than
policy.default and never raises on bad input); everything it leaves raw (encoded
words, 8-bit headers, charsets, transfer encodings) is decoded by our own lenient
helpers, and every repair is recorded as a defect.
"""

from __future__ import annotations

import binascii
import dataclasses
import email
import hashlib
from email.feedparser import BytesFeedParser
from email.message import Message

from connectors.mail.assemble import assemble_message
from connectors.mail.body import Part
from connectors.mail.encoding import decode_text, transfer_decode
from connectors.mail.headers import HeaderMap, decode_words, parse_message_id, repair_surrogates
from connectors.mail.tnef import expand_tnef, is_tnef
from connectors.mail.types import ParsedMessage

_CHUNK = 1 << 16  # feeding in chunks keeps the parser from splitting the whole input at once
_MAX_DEPTH = 32  # deeper nesting is hostile or broken; stop rather than recurse on
_EMBEDDED = ("message/rfc822", "message/global")
_REPORT_BLOCKS = ("message/delivery-status", "message/disposition-notification")


def _defect_names(message: Message) -> list[str]:
    return [type(defect).__name__ for defect in message.defects]


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


def _raw_payload(message: Message) -> bytes:
    # get_payload() re-decodes 8-bit bodies with the declared charset and "replace",
    # destroying the bytes we need for our own charset rules: read the stored value.
    payload = getattr(message, "_payload", None)
    if not isinstance(payload, str):
        return b""
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:  # a message built from str, not bytes
        return payload.encode("utf-8", "surrogateescape")


def _decoded(message: Message) -> tuple[bytes, str | None]:
    encoding = _header(message, "content-transfer-encoding")
    payload = getattr(message, "_payload", None)
    if (
        isinstance(payload, str)
        and (encoding or "").strip().lower() == "base64"
        and payload.isascii()
    ):
        # binascii reads an ASCII str in place: no encoded bytes copy of a large part.
        try:
            return binascii.a2b_base64(payload), None
        except (binascii.Error, ValueError):
            pass
    return transfer_decode(_raw_payload(message), encoding)


def _loader(message: Message) -> bytes:
    return _decoded(message)[0]


def _to_bytes(message: Message) -> bytes:
    """Re-serialize a parsed tree with its original header folding and bodies.

    The stdlib generator refolds every header through email.header, which costs more
    than parsing; compat32 keeps raw values and payloads, so joining them is enough.
    """
    out = [f"{name}: {value}\r\n" for name, value in message.raw_items()]
    out.append("\r\n")
    payload = getattr(message, "_payload", None)
    head = "".join(out).encode("utf-8", "surrogateescape")
    if isinstance(payload, str):
        return head + payload.encode("utf-8", "surrogateescape")
    if not isinstance(payload, list):
        return head
    boundary = _safe(message.get_boundary, "boundary")
    chunks = [head]
    if message.preamble:
        chunks.append(message.preamble.encode("utf-8", "surrogateescape") + b"\r\n")
    for child in payload:
        if isinstance(child, Message):
            chunks.append(f"--{boundary}\r\n".encode("utf-8", "surrogateescape"))
            chunks.append(_to_bytes(child) + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode("utf-8", "surrogateescape"))
    if message.epilogue:
        chunks.append(message.epilogue.encode("utf-8", "surrogateescape"))
    return b"".join(chunks)


def _embedded_part(message: Message, defects: list[str], depth: int, listed: bool) -> Part:
    filename = _filename(message)
    disposition = _safe(message.get_content_disposition).lower()
    content_id = parse_message_id(_header(message, "content-id"))
    payload = message.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, Message):
        # Encoded (base64) message/rfc822 is invalid but sent; parse the decoded bytes.
        data, defect = _decoded(message)
        if defect:
            defects.append(defect)
        inner = email.message_from_bytes(data)
    data = b""
    # Only an attachment the user sees needs its bytes; serializing every nested level
    # would cost depth x size on forwards of forwards.
    if listed:
        data = _to_bytes(inner)
    subject = " ".join(decode_words(repair_surrogates(_header(inner, "subject") or "")).split())
    name = filename or f"{subject[:80] or 'forwarded message'}.eml"
    return Part(
        message.get_content_type(),
        name,
        disposition or "attachment",
        content_id,
        len(data),
        sha256=hashlib.sha256(data).hexdigest() if listed else None,
        loader=lambda: _to_bytes(inner),
        embedded=_to_part(inner, defects, depth + 1, listed=False),
    )


def _to_part(message: Message, defects: list[str], depth: int = 0, listed: bool = True) -> Part:
    defects.extend(_defect_names(message))
    content_type = _safe(message.get_content_type, "text/plain").lower()
    if depth >= _MAX_DEPTH:
        defects.append("MimeNestingTooDeep")
        return Part(content_type)
    if content_type in _EMBEDDED:
        return _embedded_part(message, defects, depth, listed)
    if content_type in _REPORT_BLOCKS:
        return Part(content_type)
    payload = message.get_payload()
    if isinstance(payload, list):
        children = tuple(
            _to_part(child, defects, depth + 1, listed)
            for child in payload
            if isinstance(child, Message)
        )
        return Part(content_type, children=children)
    if content_type.startswith("multipart/"):
        # No boundary found: the body is all we have, so read it as text.
        defects.append("multipart without parts read as text")
        content_type = "text/plain"
    filename = _filename(message)
    disposition = _safe(message.get_content_disposition).lower()
    content_id = parse_message_id(_header(message, "content-id"))
    data, defect = _decoded(message)
    if defect:
        defects.append(defect)
    if is_tnef(content_type, filename):
        return expand_tnef(data, defects)
    if content_type.startswith("text/") and disposition != "attachment" and not filename:
        text, defect = decode_text(data, _safe(message.get_content_charset) or None)
        if defect:
            defects.append(defect)
        return Part(content_type, filename, disposition, content_id, len(data), text)
    return Part(
        content_type,
        filename,
        disposition,
        content_id,
        len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        loader=lambda: _loader(message),
    )


def parse_mime(data: bytes) -> ParsedMessage:
    """Parse a whole message; provider_id is the Message-ID (callers replace it)."""
    defects: list[str] = []
    try:
        feeder = BytesFeedParser()
        view = memoryview(data)
        for start in range(0, len(data), _CHUNK):
            feeder.feed(bytes(view[start : start + _CHUNK]))
        message = feeder.close()
        headers = HeaderMap((name, str(value)) for name, value in message.raw_items())
        root: Part | None = _to_part(message, defects)
    except Exception as exc:  # noqa: BLE001 - the stdlib parser has no closed error set
        defects.append(f"unparseable message: {type(exc).__name__}")
        headers, root = HeaderMap(()), None
    if not data.strip():
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
