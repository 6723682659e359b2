"""What should go out (Slack messages, ClickUp and Notion tasks), each sent once: a retry
after an unknown outcome first looks for what the lost attempt may have created."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk, utcnow
from db.enums import OutboxStatus
from db.models.columns import str_enum
from db.types import JSONType, UTCDateTime


class Outbox(UUIDPk, Timestamps, Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The last attempt may have gone through (timeout, reset, 5xx, a worker killed
    # mid-send): the next one first asks the provider for what carries this row's id.
    outcome_unknown: Mapped[bool] = mapped_column(default=False, server_default=false())
    remote_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
