"""Build a ParsedMessage from decoded headers and a part tree, whatever the source."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from connectors.mail.body import Body, Part, extract_body
from connectors.mail.headers import (
    HeaderMap,
    decode_words,
    parse_addresses,
    parse_date,
    parse_message_id,
    parse_references,
)
from connectors.mail.html import sanitize_html
from connectors.mail.language import detect_language
from connectors.mail.quotes import ReplySplit, split_html, split_text
from connectors.mail.signals import auto_signals
from connectors.mail.types import ParsedMessage


def split_body(body: Body) -> ReplySplit:
    """Quote and signature separation on the richest form of the chosen body."""
    if body.text_from_html is not None:
        return split_html(body.text_from_html)
    return split_text(body.text)


def assemble_message(
    *,
    provider_id: str,
    provider_thread_id: str | None,
    headers: HeaderMap,
    root: Part | None,
    labels: Sequence[str] = (),
    fallback_date: datetime | None = None,
    defects: Sequence[str] = (),
    source: str = "mime",
) -> ParsedMessage:
    senders = parse_addresses(headers.get_all("from")) or parse_addresses(headers.get_all("sender"))
    sender = senders[0] if senders else None
    body = extract_body(root)
    reply = split_body(body)
    date = parse_date(headers.get("date"))
    problems = [*defects, *body.defects]
    if date is None and headers.get("date"):
        problems.append("unparseable date")
    return ParsedMessage(
        provider_id=provider_id,
        provider_thread_id=provider_thread_id,
        message_id=parse_message_id(headers.get("message-id")),
        in_reply_to=parse_message_id(headers.get("in-reply-to")),
        references=parse_references(" ".join(headers.get_all("references"))),
        subject=" ".join(decode_words(headers.get("subject") or "").split()),
        sender=sender,
        to=parse_addresses(headers.get_all("to")),
        cc=parse_addresses(headers.get_all("cc")),
        date=date or fallback_date,
        text=body.text,
        visible_text=reply.visible,
        quoted_text=reply.quoted,
        labels=tuple(labels),
        auto_signals=auto_signals(headers, sender, body.content_types),
        attachments=tuple(body.attachments),
        defects=tuple(dict.fromkeys(problems)),
        reply_to=parse_addresses(headers.get_all("reply-to")),
        signature=reply.signature,
        forwarded=reply.forwarded,
        html=sanitize_html(body.html) if body.html else "",
        language=detect_language(reply.visible or body.text),
        source=source,
    )
