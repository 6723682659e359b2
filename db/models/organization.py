"""Tenants, their people, and the provider accounts they connect."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.enums import AccountStatus
from db.models.columns import str_enum
from db.types import EncryptedText, UTCDateTime


class Organization(UUIDPk, Timestamps, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    # Where thread notices go; the Slack workspace itself is an Account.
    slack_channel_id: Mapped[str | None] = mapped_column(String(64))
    monthly_token_budget: Mapped[int | None]


class User(UUIDPk, Timestamps, Base):
    __tablename__ = "users"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    slack_user_id: Mapped[str | None] = mapped_column(String(64))


class Account(UUIDPk, Timestamps, Base):
    """A connected mailbox or workspace and its credentials."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    provider: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(320))
    access_token: Mapped[str | None] = mapped_column(EncryptedText())
    refresh_token: Mapped[str | None] = mapped_column(EncryptedText())
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[AccountStatus] = mapped_column(
        str_enum(AccountStatus), default=AccountStatus.ACTIVE
    )
    status_reason: Mapped[str | None] = mapped_column(String(500))
    sync_cursor: Mapped[str | None] = mapped_column(String(500))
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Task tools: where accepted tasks go (a ClickUp list id, a Notion database id).
    default_target: Mapped[str | None] = mapped_column(String(200))


class Subscription(UUIDPk, Timestamps, Base):
    """A Gmail watch or a Graph subscription, renewed before it expires."""

    __tablename__ = "subscriptions"

    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_state: Mapped[str | None] = mapped_column(EncryptedText())
