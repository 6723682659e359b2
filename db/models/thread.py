"""Conversation threads, their messages and attachment metadata."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.types import JSONType, UTCDateTime


class Thread(UUIDPk, Timestamps, Base):
    __tablename__ = "threads"
    __table_args__ = (UniqueConstraint("account_id", "provider_thread_id"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    provider_thread_id: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text, default="")
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    message_count: Mapped[int] = mapped_column(default=0)
    category: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[str | None] = mapped_column(String(32))
    needs_reply: Mapped[bool | None]
    summary: Mapped[str | None] = mapped_column(Text)
    # Hash of the content the last analysis saw: unchanged content is never re-analyzed.
    analyzed_hash: Mapped[str | None] = mapped_column(String(64))
    # Set when new messages arrive, cleared by the analysis: a lost job is swept up.
    analysis_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class Message(UUIDPk, Timestamps, Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("account_id", "provider_message_id"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    thread_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("threads.id"), index=True)
    provider_message_id: Mapped[str] = mapped_column(String(200))
    # The provider's thread id even when the message joined another thread (aliases).
    provider_thread_id: Mapped[str | None] = mapped_column(String(200), index=True)
    rfc_message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998), index=True)
    references: Mapped[list[str]] = mapped_column(JSONType, default=list)
    subject: Mapped[str] = mapped_column(Text, default="")
    sender_name: Mapped[str] = mapped_column(String(320), default="")
    sender_email: Mapped[str] = mapped_column(String(320), default="")
    recipients: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text, default="")
    visible_text: Mapped[str] = mapped_column(Text, default="")
    labels: Mapped[list[str]] = mapped_column(JSONType, default=list)
    auto_signals: Mapped[list[str]] = mapped_column(JSONType, default=list)
    defects: Mapped[list[str]] = mapped_column(JSONType, default=list)
    language: Mapped[str | None] = mapped_column(String(8))
    # The message as received, in object storage (None once retention purged it).
    raw_key: Mapped[str | None] = mapped_column(String(100), index=True)
    raw_size: Mapped[int | None]


class Attachment(UUIDPk, Timestamps, Base):
    __tablename__ = "attachments"

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(500), default="")
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(default=0)
    content_id: Mapped[str | None] = mapped_column(String(500))
    inline: Mapped[bool] = mapped_column(default=False)
    sha256: Mapped[str | None] = mapped_column(String(64))
    storage_key: Mapped[str | None] = mapped_column(String(500), index=True)
