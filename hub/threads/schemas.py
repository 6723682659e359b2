"""REST shapes for threads and messages."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ThreadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    subject: str
    last_message_at: datetime | None
    message_count: int
    category: str | None
    priority: str | None
    needs_reply: bool | None
    summary: str | None
    analysis_requested_at: datetime | None = Field(
        description="set while new messages wait for analysis (e.g. budget exceeded)"
    )


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    subject: str
    sender_name: str
    sender_email: str
    sent_at: datetime | None
    visible_text: str
    text: str


class ThreadDetail(ThreadOut):
    messages: list[MessageOut]


class DraftRequest(BaseModel):
    instructions: str | None = Field(default=None, max_length=2000)


class DraftOut(BaseModel):
    body: str
    cited_context_ids: list[str]
    model: str
    tokens_in: int
    tokens_out: int


class SaveDraftIn(BaseModel):
    """The reply the owner approved, to keep in their mailbox's drafts (never sent)."""

    body: str = Field(min_length=1, max_length=20_000)


class SavedDraftOut(BaseModel):
    """A draft queued for the mailbox; draft_id is the provider's once it is saved."""

    id: uuid.UUID
    status: str
    draft_id: str | None
    error: str | None
    created_at: datetime


class ThreadPage(BaseModel):
    items: list[ThreadOut]
    next_before: datetime | None
