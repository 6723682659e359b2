"""Turn .eml bytes into Gmail format=full and Graph message JSON, as those APIs return them.

Used by the fakes and by tests that run all three parsers on the same message. Header
decoding here goes through the stdlib's policy.default parser on purpose: it is an
implementation independent of ours, so agreement between paths means something.
"""

from __future__ import annotations

import base64
import email
import hashlib
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from connectors.mail.charsets import decode_bytes
from connectors.mail.encoding import transfer_decode
from connectors.mail.headers import decode_words, repair_surrogates
from connectors.mail.html import html_to_text


def _id(data: bytes, prefix: str = "") -> str:
    return prefix + hashlib.sha256(data).hexdigest()[:16]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _leaf_bytes(part: Message) -> bytes:
    if part.get_content_type() in ("message/rfc822", "message/global"):
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        return first.as_bytes() if isinstance(first, Message) else b""
    raw = getattr(part, "_payload", "")
    data = raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else b""
    return transfer_decode(data, part.get("content-transfer-encoding"))[0]


def _is_attachment(part: Message) -> bool:
    if part.get_filename() or part.get_content_disposition() == "attachment":
        return True
    return not part.get_content_type().startswith("text/")


def _gmail_part(part: Message, part_id: str, attachment_data: bool) -> dict[str, Any]:
    node: dict[str, Any] = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        # Gmail hands out decoded filenames and Unicode header values, never raw bytes.
        "filename": decode_words(part.get_filename() or "") if _is_attachment(part) else "",
        "headers": [{"name": k, "value": repair_surrogates(str(v))} for k, v in part.raw_items()],
    }
    payload = part.get_payload()
    if part.is_multipart() and part.get_content_type().startswith("multipart/"):
        node["body"] = {"size": 0}
        children = payload if isinstance(payload, list) else []
        prefix = f"{part_id}." if part_id else ""
        node["parts"] = [
            _gmail_part(child, f"{prefix}{i}", attachment_data) for i, child in enumerate(children)
        ]
        return node
    data = _leaf_bytes(part)
    if _is_attachment(part) and not attachment_data:
        node["body"] = {"size": len(data), "attachmentId": _id(data, "ANGjdJ")}
    else:
        node["body"] = {"size": len(data), "data": _b64url(data)}
    return node


def _epoch_ms(message: Message) -> str | None:
    try:
        return str(int(parsedate_to_datetime(str(message.get("date", ""))).timestamp() * 1000))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def eml_to_gmail(
    data: bytes, *, labels: tuple[str, ...] = ("INBOX",), attachment_data: bool = False
) -> dict[str, Any]:
    """Gmail users.messages.get?format=full for the message (ids derived from its bytes).

    Attachments carry an attachmentId as Gmail's do, or their data with attachment_data.
    """
    message = email.message_from_bytes(data)
    message_id = _id(data)
    resource: dict[str, Any] = {
        "id": message_id,
        "threadId": message_id,
        "labelIds": list(labels),
        "snippet": "",
        "sizeEstimate": len(data),
        "historyId": "1",
        "payload": _gmail_part(message, "", attachment_data),
    }
    received = _epoch_ms(message)
    if received is not None:  # Gmail always knows one; without a Date we do not
        resource["internalDate"] = received
    return resource


def _header(message: Message, name: str) -> str:
    # A server hands out decoded Unicode; raw 8-bit bytes and mislabeled charsets are
    # repaired with our helpers, since policy.default would leave U+FFFD in their place.
    wanted = name.lower()
    values = [repair_surrogates(str(v)) for k, v in message.raw_items() if k.lower() == wanted]
    return ", ".join(values)


def _recipients(message: Message, name: str) -> list[dict[str, Any]]:
    pairs = getaddresses([_header(message, name)]) if _header(message, name) else []
    return [
        {"emailAddress": {"name": decode_words(display) or addr, "address": addr.lower()}}
        for display, addr in pairs
        if addr
    ]


def _body(message: EmailMessage, body_type: str) -> dict[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    if body_type == "html" and html is not None:
        return {"contentType": "html", "content": _text_of(html)}
    if plain is not None:
        return {"contentType": "text", "content": _text_of(plain)}
    if html is not None:
        return {"contentType": "text", "content": html_to_text(_text_of(html))}
    return {"contentType": "text", "content": ""}


def _text_of(part: Message) -> str:
    return decode_bytes(_leaf_bytes(part), part.get_content_charset())[0]


def _graph_attachments(message: Message) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for part in message.walk():
        if part.is_multipart() or not _is_attachment(part):
            continue
        data = _leaf_bytes(part)
        content_id = str(part.get("content-id", "")).strip().strip("<>") or None
        found.append(
            {
                "@odata.type": "#microsoft.graph.fileAttachment",
                "id": _id(data, "AAMkAtt"),
                "name": decode_words(part.get_filename() or "") or "unnamed",
                "contentType": part.get_content_type(),
                "size": len(data),
                "isInline": part.get_content_disposition() == "inline",
                "contentId": content_id,
                "contentBytes": base64.b64encode(data).decode("ascii"),
            }
        )
    return found


def _iso(message: EmailMessage) -> str | None:
    try:
        parsed = parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.isoformat().replace("+00:00", "Z")


def eml_to_graph(data: bytes, *, body_type: str = "html") -> dict[str, Any]:
    """Graph GET /me/messages/{id}?$expand=attachments with internetMessageHeaders selected.

    body_type "text" answers as Graph does under Prefer: outlook.body-content-type="text".
    """
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage trees
    raw = email.message_from_bytes(data)
    refs = str(message.get("references", "")).split() or [str(message.get("message-id", ""))]
    sent = _iso(message)
    senders = _recipients(raw, "from")
    return {
        "@odata.etag": f'W/"{_id(data)}"',
        "id": _id(data, "AAMkAD"),
        "conversationId": _id(refs[0].encode(), "AAQkAD"),
        "internetMessageId": str(message.get("message-id", "")).strip() or None,
        "subject": " ".join(decode_words(_header(raw, "subject")).split()),
        "sentDateTime": sent,
        "receivedDateTime": sent,
        "hasAttachments": bool(_graph_attachments(raw)),
        "from": senders[0] if senders else None,
        "sender": senders[0] if senders else None,
        "toRecipients": _recipients(raw, "to"),
        "ccRecipients": _recipients(raw, "cc"),
        "bccRecipients": [],
        "replyTo": _recipients(raw, "reply-to"),
        "categories": [],
        "body": _body(message, body_type),
        "internetMessageHeaders": [
            {"name": k, "value": str(v)}
            for k, v in message.raw_items()
            if k.lower() in {"in-reply-to", "references", "list-id", "list-unsubscribe"}
        ],
        "attachments": _graph_attachments(raw),
    }
