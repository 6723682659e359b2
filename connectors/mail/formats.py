"""Recognize a saved message (.eml, Gmail JSON, Graph JSON), parse it, and render it.

Backs `manage.py parse`; kept here so the command stays a thin shell over it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from connectors.mail.gmail import parse_gmail
from connectors.mail.graph import parse_graph
from connectors.mail.mime import parse_mime
from connectors.mail.types import Address, ParsedMessage

_GRAPH_KEYS = ("internetMessageId", "conversationId", "toRecipients", "bodyPreview")


def detect_format(data: bytes) -> str:
    """ "gmail", "graph" or "mime": JSON objects by their keys, anything else is MIME."""
    if data.lstrip()[:1] != b"{":
        return "mime"
    try:
        document = json.loads(data)
    except ValueError:
        return "mime"
    if not isinstance(document, Mapping):
        return "mime"
    if "payload" in document or ("raw" in document and "threadId" in document):
        return "gmail"
    if any(key in document for key in _GRAPH_KEYS) or "@odata.etag" in document:
        return "graph"
    return "mime"


def parse_any(data: bytes) -> ParsedMessage:
    """Parse bytes of any supported format; never raises (bad input becomes defects)."""
    kind = detect_format(data)
    if kind == "mime":
        return parse_mime(data)
    document = json.loads(data)
    try:
        return parse_gmail(document) if kind == "gmail" else parse_graph(document)
    except Exception as exc:  # noqa: BLE001 - last line of defence: keep the input, not a crash
        failed = parse_mime(b"")
        return dataclasses.replace(failed, source=kind, defects=(f"unparseable {kind}: {exc!r}",))


def _address(address: Address | None) -> dict[str, str] | None:
    return None if address is None else {"name": address.name, "email": address.email}


def to_json_dict(parsed: ParsedMessage) -> dict[str, Any]:
    """Every field as JSON-ready values; attachments as metadata only."""
    return {
        "source": parsed.source,
        "provider_id": parsed.provider_id,
        "provider_thread_id": parsed.provider_thread_id,
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": list(parsed.references),
        "subject": parsed.subject,
        "from": _address(parsed.sender),
        "reply_to": [_address(a) for a in parsed.reply_to],
        "to": [_address(a) for a in parsed.to],
        "cc": [_address(a) for a in parsed.cc],
        "date": parsed.date.isoformat() if parsed.date else None,
        "language": parsed.language,
        "text": parsed.text,
        "visible_text": parsed.visible_text,
        "quoted_text": parsed.quoted_text,
        "signature": parsed.signature,
        "forwarded": parsed.forwarded,
        "html": parsed.html,
        "labels": list(parsed.labels),
        "auto_signals": list(parsed.auto_signals),
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "content_id": a.content_id,
                "inline": a.inline,
                "sha256": a.sha256,
            }
            for a in parsed.attachments
        ],
        "defects": list(parsed.defects),
    }


def _who(address: Address | None) -> str:
    if address is None:
        return "-"
    return f"{address.name} <{address.email}>" if address.name else address.email or "-"


def summary(name: str, parsed: ParsedMessage) -> str:
    """A few lines for a human: headers, the new text, attachments and defects."""
    lines = [
        f"== {name} ({parsed.source})",
        f"subject:   {parsed.subject}",
        f"from:      {_who(parsed.sender)}",
        f"to:        {', '.join(_who(a) for a in parsed.to) or '-'}",
        f"date:      {parsed.date.isoformat() if parsed.date else '-'}",
        f"language:  {parsed.language or '-'}",
    ]
    if parsed.auto_signals:
        lines.append(f"signals:   {', '.join(parsed.auto_signals)}")
    for attachment in parsed.attachments:
        lines.append(
            f"attached:  {attachment.filename} ({attachment.content_type}, {attachment.size} B)"
        )
    if parsed.defects:
        lines.append(f"defects:   {'; '.join(parsed.defects)}")
    visible = parsed.visible_text.strip()
    lines.append("visible:")
    lines.extend(f"  {line}" for line in (visible[:1500] or "(empty)").split("\n"))
    if parsed.quoted_text:
        lines.append(f"quoted:    {len(parsed.quoted_text)} characters set aside")
    return "\n".join(lines)
