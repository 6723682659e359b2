"""The durable record of every accepted webhook delivery; the queue only nudges."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UUIDPk, utcnow
from db.enums import EventStatus
from db.models.columns import str_enum
from db.types import JSONType, UTCDateTime


class InboundEvent(UUIDPk, Base):
    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("provider", "dedupe_key"),
        Index("ix_inbound_events_status_received_at", "status", "received_at"),
    )

    provider: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    account_key: Mapped[str] = mapped_column(String(320))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
