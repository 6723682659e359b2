"""Which stored thread a new message joins, across accounts and providers of one org.

In order: a copy of the same message (same Message-ID, e.g. the Outlook copy of a
Gmail conversation), its RFC ancestors, messages that already reference it (arrived
out of order), the provider's own thread id (Gmail threadId, Graph conversationId),
and only for sources without thread ids, the same subject among the same people
within a short window. Otherwise it starts a new thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.mail.threading import ancestors, subject_fallback_matches
from connectors.mail.types import ParsedMessage
from db.models import Account, Message, Thread

SUBJECT_CANDIDATES = 20


def thread_for(session: Session, account: Account, parsed: ParsedMessage) -> Thread:
    linked = _by_rfc_ids(session, account.org_id, parsed)
    if linked is not None:
        return linked
    if parsed.provider_thread_id:
        aliased = _by_provider_thread(session, account.id, parsed.provider_thread_id)
        if aliased is not None:
            return aliased
    else:
        similar = _by_subject(session, account, parsed)
        if similar is not None:
            return similar
    key = parsed.provider_thread_id or parsed.message_id or parsed.provider_id
    return _new_thread(session, account, parsed, key)


def _by_rfc_ids(session: Session, org_id: uuid.UUID, parsed: ParsedMessage) -> Thread | None:
    own = [parsed.message_id] if parsed.message_id else []
    parents = ancestors(parsed)
    related = [*parents, *own]
    if related:
        rows = session.execute(
            select(Message.rfc_message_id, Message.thread_id).where(
                Message.org_id == org_id, Message.rfc_message_id.in_(related)
            )
        )
        found = dict(rows.tuples().all())  # a list: dict() would call Result.keys()
        # The newest ancestor first (the message this one answers), then a copy of itself.
        for message_id in (*reversed(parents), *own):
            if message_id in found:
                return session.get(Thread, found[message_id])
    if not own:
        return None
    # A reply stored before this message: its References name us (JSON text search
    # would be dialect-specific, so the candidates are the replies by In-Reply-To).
    return session.scalars(
        select(Thread)
        .join(Message, Message.thread_id == Thread.id)
        .where(Message.org_id == org_id, Message.in_reply_to == own[0])
        .limit(1)
    ).first()


def _by_provider_thread(session: Session, account_id: uuid.UUID, key: str) -> Thread | None:
    """The provider's thread id, also when its first message joined another thread."""
    thread = session.scalars(
        select(Thread).where(Thread.account_id == account_id, Thread.provider_thread_id == key)
    ).one_or_none()
    if thread is not None:
        return thread
    return session.scalars(
        select(Thread)
        .join(Message, Message.thread_id == Thread.id)
        .where(Message.account_id == account_id, Message.provider_thread_id == key)
        .limit(1)
    ).first()


def _by_subject(session: Session, account: Account, parsed: ParsedMessage) -> Thread | None:
    if parsed.date is None:
        return None
    window = timedelta(days=14)
    candidates = session.scalars(
        select(Thread)
        .where(
            Thread.org_id == account.org_id,
            Thread.last_message_at >= parsed.date - window,
            Thread.last_message_at <= parsed.date + window,
        )
        .order_by(Thread.last_message_at.desc())
        .limit(SUBJECT_CANDIDATES)
    )
    for thread in candidates:
        if subject_fallback_matches(
            parsed,
            other_subject=thread.subject,
            other_participants=_participants(session, thread.id),
            other_time=thread.last_message_at,
        ):
            return thread
    return None


def participants_of(rows: Iterable[tuple[str, Mapping[str, Any]]]) -> set[str]:
    """Senders and to/cc addresses of stored messages, given (sender_email, recipients)."""
    people: set[str] = set()
    for sender, recipients in rows:
        people.add(sender)
        for field in ("to", "cc"):
            people.update(a.get("email", "") for a in recipients.get(field, []))
    people.discard("")
    return people


def _participants(session: Session, thread_id: uuid.UUID) -> set[str]:
    rows = session.execute(
        select(Message.sender_email, Message.recipients).where(Message.thread_id == thread_id)
    ).tuples()
    return participants_of(rows)


def _new_thread(session: Session, account: Account, parsed: ParsedMessage, key: str) -> Thread:
    thread = session.scalars(
        select(Thread).where(Thread.account_id == account.id, Thread.provider_thread_id == key)
    ).one_or_none()
    if thread is not None:
        return thread
    thread = Thread(
        id=uuid.uuid4(),
        org_id=account.org_id,
        account_id=account.id,
        provider_thread_id=key,
        subject=parsed.subject,
        message_count=0,
    )
    session.add(thread)
    session.flush()  # no relationship() orders the inserts, so the thread goes first
    return thread
