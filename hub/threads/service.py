"""Threads and messages: ingest parsed messages, read them back scoped to an organization."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from connectors.mail.types import Address, AttachmentInfo, ParsedMessage
from connectors.types import Provider
from db.models import Account, AIResult, Attachment, Message, Thread
from hub.errors import NotFound
from hub.storage.messages import MessageObjects
from hub.storage.store import StoredObject
from hub.threads.matching import thread_for


@dataclass
class IngestResult:
    new_messages: int = 0
    threads: tuple[uuid.UUID, ...] = field(default_factory=tuple)


def ingest_messages(
    session: Session,
    account: Account,
    messages: Sequence[ParsedMessage],
    objects: Mapping[str, MessageObjects] | None = None,
) -> IngestResult:
    """Upsert by provider id: a message seen before changes nothing."""
    touched: dict[uuid.UUID, None] = {}
    new = 0
    for parsed in messages:
        if _message_exists(session, account.id, parsed.provider_id):
            continue
        thread = thread_for(session, account, parsed)
        if parsed.subject and _opens_thread(session, thread, parsed):
            thread.subject = parsed.subject
        stored = (objects or {}).get(parsed.provider_id, MessageObjects())
        row = _message_row(account, thread, parsed, stored.raw)
        session.add(row)
        session.flush()
        session.add_all(_attachment_rows(row, parsed.attachments, stored.attachments))
        _touch_thread(thread, parsed)
        touched[thread.id] = None
        new += 1
        session.flush()
    return IngestResult(new_messages=new, threads=tuple(touched))


def _message_exists(session: Session, account_id: uuid.UUID, provider_id: str) -> bool:
    return (
        session.scalar(
            select(Message.id).where(
                Message.account_id == account_id, Message.provider_message_id == provider_id
            )
        )
        is not None
    )


def _address_list(addresses: Sequence[Address]) -> list[dict[str, str]]:
    return [{"name": a.name, "email": a.email} for a in addresses]


def _attachment_rows(
    message: Message,
    attachments: Sequence[AttachmentInfo],
    stored: Sequence[StoredObject | None],
) -> list[Attachment]:
    rows = []
    for index, info in enumerate(attachments):
        obj = stored[index] if index < len(stored) else None
        rows.append(
            Attachment(
                message_id=message.id,
                filename=info.filename,
                content_type=info.content_type,
                size=info.size,
                content_id=info.content_id,
                inline=info.inline,
                sha256=obj.sha256 if obj else info.sha256,
                storage_key=obj.key if obj else None,
            )
        )
    return rows


def _message_row(
    account: Account, thread: Thread, parsed: ParsedMessage, raw: StoredObject | None
) -> Message:
    return Message(
        id=uuid.uuid4(),
        org_id=account.org_id,
        account_id=account.id,
        thread_id=thread.id,
        provider_message_id=parsed.provider_id,
        provider_thread_id=parsed.provider_thread_id,
        rfc_message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=list(parsed.references),
        subject=parsed.subject,
        sender_name=parsed.sender.name if parsed.sender else "",
        sender_email=parsed.sender.email if parsed.sender else "",
        recipients={"to": _address_list(parsed.to), "cc": _address_list(parsed.cc)},
        sent_at=parsed.date,
        text=parsed.text,
        visible_text=parsed.visible_text,
        labels=list(parsed.labels),
        auto_signals=list(parsed.auto_signals),
        defects=list(parsed.defects),
        language=parsed.language,
        raw_key=raw.key if raw else None,
        raw_size=raw.size if raw else None,
    )


def _opens_thread(session: Session, thread: Thread, parsed: ParsedMessage) -> bool:
    """Whether parsed is older than every stored message of thread (its root came late).

    The first message names the thread; a root that arrives after its replies (a chat
    reply taken first, mail fetched out of order) takes the name over.
    """
    if not thread.subject:
        return True
    if parsed.date is None or thread.last_message_at is None:
        return False
    if parsed.date >= thread.last_message_at:
        return False  # the common case, answered without a query
    earliest = session.scalar(
        select(func.min(Message.sent_at)).where(Message.thread_id == thread.id)
    )
    return earliest is not None and parsed.date < earliest


def _touch_thread(thread: Thread, parsed: ParsedMessage) -> None:
    thread.message_count = (thread.message_count or 0) + 1
    thread.analysis_requested_at = datetime.now(UTC)
    sent = parsed.date or datetime.now(UTC)
    if thread.last_message_at is None or sent > thread.last_message_at:
        thread.last_message_at = sent


def edit_message(session: Session, account: Account, parsed: ParsedMessage) -> uuid.UUID | None:
    """Replace a stored message's text with its edited version; its thread, if stored.

    An edit of a message never stored (sent before the app joined) is stored as new.
    """
    row = session.scalars(
        select(Message).where(
            Message.account_id == account.id, Message.provider_message_id == parsed.provider_id
        )
    ).one_or_none()
    if row is None:
        return next(iter(ingest_messages(session, account, [parsed]).threads), None)
    row.text, row.visible_text, row.language = parsed.text, parsed.visible_text, parsed.language
    thread = session.get(Thread, row.thread_id)
    if thread is not None:
        thread.analysis_requested_at = datetime.now(UTC)
    return row.thread_id


def forget_message(session: Session, account: Account, provider_id: str) -> Thread | None:
    """Delete a message the sender deleted; its thread, None when it was not stored.

    A thread left without messages also loses what was derived from them (summary,
    triage, the stored AI outputs), so nothing of the deleted text stays readable.
    """
    row = session.scalars(
        select(Message).where(
            Message.account_id == account.id, Message.provider_message_id == provider_id
        )
    ).one_or_none()
    if row is None:
        return None
    thread = session.get(Thread, row.thread_id)
    session.execute(delete(Attachment).where(Attachment.message_id == row.id))
    session.delete(row)
    session.flush()
    if thread is None:
        return None
    thread.message_count = max(0, (thread.message_count or 1) - 1)
    if thread.message_count:
        thread.analysis_requested_at = datetime.now(UTC)
    else:
        thread.summary = thread.category = thread.priority = None
        thread.needs_reply = None
        thread.analysis_requested_at = None
        # Token counts stay for the monthly budget; the outputs quoted the deleted text.
        session.execute(update(AIResult).where(AIResult.thread_id == thread.id).values(output={}))
    return thread


def chat_thread_id(
    session: Session, org_id: uuid.UUID, provider_thread_id: str
) -> uuid.UUID | None:
    """The organization's thread for a chat thread ("channel:thread_ts"), if stored."""
    return session.scalar(
        select(Message.thread_id)
        .join(Account, Account.id == Message.account_id)
        .where(
            Message.org_id == org_id,
            Account.provider == str(Provider.SLACK),
            Message.provider_thread_id == provider_thread_id,
        )
        .limit(1)
    )


def list_threads(
    session: Session, org_id: uuid.UUID, *, limit: int, before: datetime | None = None
) -> list[Thread]:
    query = select(Thread).where(Thread.org_id == org_id)
    if before is not None:
        query = query.where(Thread.last_message_at < before)
    query = query.order_by(Thread.last_message_at.desc(), Thread.id).limit(limit)
    return list(session.scalars(query))


def get_thread(session: Session, org_id: uuid.UUID, thread_id: uuid.UUID) -> Thread:
    thread = session.scalars(
        select(Thread).where(Thread.id == thread_id, Thread.org_id == org_id)
    ).one_or_none()
    if thread is None:
        raise NotFound(f"thread {thread_id} not found")
    return thread


def thread_messages(session: Session, thread: Thread) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .where(Message.thread_id == thread.id, Message.org_id == thread.org_id)
            .order_by(Message.sent_at, Message.created_at)
        )
    )
