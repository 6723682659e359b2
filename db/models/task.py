"""To-dos extracted from threads or written by people, and where they were created."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.enums import TaskStatus
from db.models.columns import str_enum


class Task(UUIDPk, Timestamps, Base):
    __tablename__ = "tasks"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    # None for a task a person wrote (Slack's "New task" form, the API), not extracted.
    thread_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("threads.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    due: Mapped[date | None]
    assignee: Mapped[str | None] = mapped_column(String(320))
    priority: Mapped[str | None] = mapped_column(String(16))
    # Where the task came from, for the task tool to link back (a Slack message).
    link: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus), default=TaskStatus.PROPOSED)
    destination: Mapped[str | None] = mapped_column(String(32))
    remote_id: Mapped[str | None] = mapped_column(String(200))
    remote_url: Mapped[str | None] = mapped_column(String(1000))
