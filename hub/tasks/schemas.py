"""REST shapes for tasks: extracted from threads or written by people."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, HttpUrl, StringConstraints

from db.enums import TaskStatus

TaskTool = Literal["clickup", "notion"]


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    thread_id: uuid.UUID | None  # None for a task a person wrote
    title: str
    notes: str | None
    due: date | None
    priority: str | None
    assignee: str | None
    link: str | None
    status: TaskStatus
    destination: str | None
    remote_id: str | None
    remote_url: str | None
    created_at: datetime
    updated_at: datetime


class AcceptTask(BaseModel):
    """Which connected task tool gets the task; omitted: the organization's only one."""

    destination: TaskTool | None = None


class NewTaskIn(BaseModel):
    """A task a person writes; it is created in the task tool at once (no proposal)."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    notes: Annotated[str, StringConstraints(max_length=4000)] = ""
    due: date | None = None
    priority: Literal["urgent", "high", "normal", "low"] | None = None
    assignee: Annotated[str, StringConstraints(max_length=320)] | None = None
    link: HttpUrl | None = None
    thread_id: uuid.UUID | None = None  # the hub thread it is about
    destination: TaskTool | None = None
