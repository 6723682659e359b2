"""How the Gmail fake stores messages and renders them in Gmail's JSON formats.

Messages are kept as real RFC 822 bytes; format=full, metadata, minimal and raw are
all derived from those bytes, so the formats stay consistent with one another.
"""

from __future__ import annotations

import base64
import email
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

FORMATS = frozenset({"full", "metadata", "minimal", "raw"})
_SNIPPET_LENGTH = 200


def b64url(data: bytes) -> str:
    """Gmail's body encoding: url-safe alphabet, padding kept."""
    return base64.urlsafe_b64encode(data).decode("ascii")


@dataclass
class StoredMessage:
    id: str
    thread_id: str
    raw: bytes
    label_ids: list[str]
    history_id: int
    internal_date_ms: int
    rfc_message_id: str = ""
    references: tuple[str, ...] = field(default_factory=tuple)

    def parsed(self) -> Message:
        return email.message_from_bytes(self.raw)


def attachment_id(message_id: str, part_id: str) -> str:
    # Long and opaque like Google's, but decodable by the fake itself.
    token = base64.urlsafe_b64encode(f"{message_id}:{part_id}".encode()).decode().rstrip("=")
    return f"ANGjdJ{token}"


def _walk(part: Message, part_id: str) -> Iterator[tuple[str, Message]]:
    yield part_id, part
    if part.is_multipart():
        children = part.get_payload()
        if isinstance(children, list):
            for index, child in enumerate(children):
                if isinstance(child, Message):
                    child_id = f"{part_id}.{index}" if part_id else str(index)
                    yield from _walk(child, child_id)


def attachment_data(message: StoredMessage, token: str) -> bytes | None:
    for part_id, part in _walk(message.parsed(), ""):
        if attachment_id(message.id, part_id) == token:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return None


def _headers(part: Message) -> list[dict[str, str]]:
    # Gmail drops the CRLF of folded headers but keeps the continuation whitespace.
    return [
        {"name": name, "value": str(value).replace("\r\n", "").replace("\n", "")}
        for name, value in part.items()
    ]


def _part(message_id: str, part: Message, part_id: str) -> dict[str, Any]:
    filename = part.get_filename() or ""
    rendered: dict[str, Any] = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": filename,
        "headers": _headers(part),
    }
    children = part.get_payload() if part.is_multipart() else None
    if isinstance(children, list):
        rendered["body"] = {"size": 0}
        rendered["parts"] = [
            _part(message_id, child, f"{part_id}.{i}" if part_id else str(i))
            for i, child in enumerate(children)
            if isinstance(child, Message)
        ]
        return rendered
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    if filename:
        rendered["body"] = {"attachmentId": attachment_id(message_id, part_id), "size": len(data)}
    else:
        rendered["body"] = {"size": len(data), "data": b64url(data)}
    return rendered


def _snippet(parsed: Message) -> str:
    for _, part in _walk(parsed, ""):
        if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            text = payload.decode(part.get_content_charset() or "utf-8", "replace")
            if part.get_content_type() == "text/html":
                text = html.unescape(re.sub(r"<[^>]+>", " ", text))
            text = " ".join(text.split())[:_SNIPPET_LENGTH]
            # Gmail escapes snippets as HTML and spells the apostrophe &#39;.
            return html.escape(text).replace("&#x27;", "&#39;")
    return ""


def render_message(
    message: StoredMessage, fmt: str, metadata_headers: Iterable[str] = ()
) -> dict[str, Any]:
    parsed = message.parsed()
    rendered: dict[str, Any] = {
        "id": message.id,
        "threadId": message.thread_id,
        "labelIds": list(message.label_ids),
        "snippet": _snippet(parsed),
        "sizeEstimate": len(message.raw),
        "historyId": str(message.history_id),
        "internalDate": str(message.internal_date_ms),
    }
    if fmt == "raw":
        rendered["raw"] = b64url(message.raw)
    elif fmt == "full":
        rendered["payload"] = _part(message.id, parsed, "")
    elif fmt == "metadata":
        wanted = {name.lower() for name in metadata_headers}
        headers = [h for h in _headers(parsed) if not wanted or h["name"].lower() in wanted]
        rendered["payload"] = {
            "partId": "",
            "mimeType": parsed.get_content_type(),
            "filename": "",
            "headers": headers,
            "body": {"size": 0},
        }
    return rendered


HISTORY_TYPES = {"messageAdded": "messagesAdded", "labelAdded": "labelsAdded"}


@dataclass
class HistoryEntry:
    id: int
    kind: str  # "messagesAdded" or "labelsAdded"
    message_id: str
    thread_id: str
    label_ids: tuple[str, ...]  # the message's labels right after the change
    changed_labels: tuple[str, ...] = ()


def history_record(entry: HistoryEntry) -> dict[str, Any]:
    ref = {"id": entry.message_id, "threadId": entry.thread_id}
    message = ref | {"labelIds": list(entry.label_ids)}
    record: dict[str, Any] = {"id": str(entry.id), "messages": [ref]}
    if entry.kind == "labelsAdded":
        record["labelsAdded"] = [{"message": message, "labelIds": list(entry.changed_labels)}]
    else:
        record["messagesAdded"] = [{"message": message}]
    return record


def raw_header_pairs(raw: bytes) -> list[tuple[str, str]]:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].decode("utf-8", "replace")
    pairs: list[tuple[str, str]] = []
    for line in head.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
        elif ":" in line:
            name, _, value = line.partition(":")
            pairs.append((name, value.strip()))
    return pairs
