"""Every AI step's output with what it cost, keyed by the content it saw."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.types import JSONType


class AIResult(UUIDPk, Timestamps, Base):
    __tablename__ = "ai_results"
    __table_args__ = (UniqueConstraint("thread_id", "step", "content_hash"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    thread_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("threads.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(100))
    prompt_version: Mapped[str] = mapped_column(String(32))
    tokens_in: Mapped[int] = mapped_column(default=0)
    tokens_out: Mapped[int] = mapped_column(default=0)
    output: Mapped[dict[str, Any]] = mapped_column(JSONType)
