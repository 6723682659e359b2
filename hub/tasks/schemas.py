"""REST shapes for tasks extracted from threads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from db.enums import TaskStatus

TaskTool = Literal["clickup", "notion"]


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    thread_id: uuid.UUID
    title: str
    due: date | None
    assignee: str | None
    status: TaskStatus
    destination: str | None
    remote_id: str | None
    remote_url: str | None
    created_at: datetime
    updated_at: datetime


class AcceptTask(BaseModel):
    """Which connected task tool gets the task; omitted: the organization's only one."""

    destination: TaskTool | None = None
