"""What the organization tells the AI about itself: tone, signature, facts, policies."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk


class CompanyContext(UUIDPk, Timestamps, Base):
    __tablename__ = "company_context"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
