"""Which stored objects retention may delete, and forgetting their keys once deleted."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Attachment, Message

BATCH = 1000


def expired_keys(session: Session, cutoff: datetime) -> set[str]:
    """Raw-message and attachment keys of messages received before the cutoff."""
    raw = session.scalars(
        select(Message.raw_key)
        .where(Message.created_at < cutoff, Message.raw_key.is_not(None))
        .limit(BATCH)
    )
    attached = session.scalars(
        select(Attachment.storage_key)
        .join(Message, Message.id == Attachment.message_id)
        .where(Message.created_at < cutoff, Attachment.storage_key.is_not(None))
        .limit(BATCH)
    )
    return {key for key in (*raw, *attached) if key}


def still_needed(session: Session, keys: Collection[str], cutoff: datetime) -> set[str]:
    """Keys that a newer message also points at (storage is content-addressed)."""
    raw = session.scalars(
        select(Message.raw_key).where(Message.created_at >= cutoff, Message.raw_key.in_(keys))
    )
    attached = session.scalars(
        select(Attachment.storage_key)
        .join(Message, Message.id == Attachment.message_id)
        .where(Message.created_at >= cutoff, Attachment.storage_key.in_(keys))
    )
    return {key for key in (*raw, *attached) if key}


def forget_keys(session: Session, keys: Collection[str], cutoff: datetime) -> None:
    """Old rows stop pointing at deleted objects; their derived data stays."""
    old = select(Message.id).where(Message.created_at < cutoff)
    session.execute(
        update(Message).where(Message.raw_key.in_(keys), Message.id.in_(old)).values(raw_key=None)
    )
    session.execute(
        update(Attachment)
        .where(Attachment.storage_key.in_(keys), Attachment.message_id.in_(old))
        .values(storage_key=None)
    )
