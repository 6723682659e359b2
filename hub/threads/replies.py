"""Keeping a reply in the owner's mailbox: the draft answers the thread's latest message
from someone else, to its sender with the others on it copied (reply-all), from the
mailbox that received it. The hub never sends mail; the owner sends the draft.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.mail.types import Address
from connectors.types import MailDraft, Provider
from db.models import Account, Message, Outbox
from hub.errors import Conflict, NotFound
from hub.outbox.service import MAIL_DRAFT, add_to_outbox
from hub.threads.service import get_thread, thread_messages

MAILBOXES = (Provider.GMAIL, Provider.OUTLOOK)


@dataclass(frozen=True)
class QueuedDraft:
    outbox_id: uuid.UUID
    mailbox: str  # the address whose drafts it goes to


def queue_mail_draft(
    session: Session, org_id: uuid.UUID, thread_id: uuid.UUID, body: str
) -> QueuedDraft:
    """Queue body as a draft reply in the mailbox that received the mail it answers."""
    thread = get_thread(session, org_id, thread_id)
    mailboxes = {
        account.id: account
        for account in session.scalars(
            select(Account).where(
                Account.org_id == org_id, Account.provider.in_([str(p) for p in MAILBOXES])
            )
        )
    }
    answered = _message_to_answer(thread_messages(session, thread), mailboxes)
    if answered is None:
        raise Conflict("this thread has no mail to answer in a connected mailbox")
    mailbox = mailboxes[answered.account_id]
    draft = _draft(answered, owner=mailbox.external_id, subject=thread.subject, body=body)
    row_id = add_to_outbox(
        session,
        org_id=org_id,
        kind=MAIL_DRAFT,
        idempotency_key=f"{_key_prefix(thread_id)}{uuid.uuid4()}",
        payload={
            "provider": mailbox.provider,
            "account_id": str(mailbox.id),
            "thread_id": str(thread_id),
            "draft": asdict(draft),
        },
    )
    assert row_id is not None  # a fresh idempotency key is never a duplicate
    return QueuedDraft(row_id, mailbox.external_id)


def _message_to_answer(
    messages: Sequence[Message], mailboxes: dict[uuid.UUID, Account]
) -> Message | None:
    """The newest mail someone else sent; else the newest mail (a thread of our own)."""
    mail = [m for m in messages if m.account_id in mailboxes]
    for message in reversed(mail):
        if message.sender_email != mailboxes[message.account_id].external_id:
            return message
    return mail[-1] if mail else None


def _draft(message: Message, *, owner: str, subject: str, body: str) -> MailDraft:
    """Reply-all: to the sender, the others copied; the owner's own mail goes to them."""
    sender = Address(name=message.sender_name, email=message.sender_email)
    skip = {owner.lower(), sender.email.lower(), ""}
    others: dict[str, Address] = {}
    for listed in _recipients(message.recipients):
        address = Address(name=str(listed.get("name") or ""), email=str(listed.get("email") or ""))
        if address.email.lower() not in skip:
            others.setdefault(address.email.lower(), address)
    copied = list(others.values())
    if sender.email.lower() in (owner.lower(), ""):  # the owner wrote it: answer the others
        to, copied = copied[:1], copied[1:]
    else:
        to = [sender]
    return MailDraft(
        answers=message.provider_message_id,
        thread_id=message.provider_thread_id,
        rfc_message_id=message.rfc_message_id,
        references=tuple(message.references or ()),
        subject=subject or message.subject,
        to=tuple(to),
        cc=tuple(copied),
        body=body,
    )


def _recipients(recipients: dict[str, Any]) -> list[dict[str, Any]]:
    listed = [*(recipients.get("to") or []), *(recipients.get("cc") or [])]
    return [r for r in listed if isinstance(r, dict)]


def saved_draft(session: Session, org_id: uuid.UUID, row_id: uuid.UUID) -> Outbox:
    row = session.get(Outbox, row_id)
    if row is None or row.org_id != org_id or row.kind != MAIL_DRAFT:
        raise NotFound("draft not found")
    return row


def saved_drafts(session: Session, org_id: uuid.UUID, thread_id: uuid.UUID) -> list[Outbox]:
    """The drafts queued for a thread, newest first (their keys start with its id)."""
    return list(
        session.scalars(
            select(Outbox)
            .where(
                Outbox.org_id == org_id,
                Outbox.kind == MAIL_DRAFT,
                Outbox.idempotency_key.startswith(_key_prefix(thread_id), autoescape=True),
            )
            .order_by(Outbox.created_at.desc())
        )
    )


def _key_prefix(thread_id: uuid.UUID) -> str:
    return f"{MAIL_DRAFT}:{thread_id}:"
