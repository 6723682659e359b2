"""REST shapes for company context entries."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ai.types import ContextKind


class ContextIn(BaseModel):
    kind: ContextKind
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)


class ContextPatch(BaseModel):
    kind: ContextKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=20_000)


class ContextOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: ContextKind
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
