"""Plain values that cross the AI boundary.

The hub builds ThreadInput from its own rows and stores what comes back; nothing here
knows where the mail came from or where the results go.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class MessageInput(BaseModel):
    """One message of a thread, reduced to what the AI steps read.

    text is only the new content (quotes already removed by the mail normalizer), so
    an old request quoted below a "thanks" is not read as a new request. auto_signals
    are header-derived tokens ("list-unsubscribe", "list-id", "auto-submitted",
    "precedence:bulk", "calendar", "noreply-sender") because the headers themselves
    never reach this package.
    """

    model_config = ConfigDict(frozen=True)

    author: str
    sent_at: datetime | None
    text: str
    auto_signals: tuple[str, ...] = ()


class ThreadInput(BaseModel):
    """A thread, or for incremental steps only its new messages, oldest first."""

    model_config = ConfigDict(frozen=True)

    subject: str
    messages: tuple[MessageInput, ...]
    # "Needs reply" means a reply from this address, not from anyone on the thread.
    owner: str = ""
    # Every address on the thread (from, to, cc) when the hub knows them; the safety
    # filter treats addresses outside their domains as external.
    participants: tuple[str, ...] = ()


class Category(StrEnum):
    TO_RESPOND = "to_respond"
    FYI = "fyi"
    MEETING = "meeting"
    NOTIFICATION = "notification"
    MARKETING = "marketing"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class TaskDraft(BaseModel):
    """A to-do the mail asks a recipient to do; the hub decides whether it leaves."""

    title: str = Field(min_length=1, max_length=200)
    due: date | None = None
    # An address when the text lets us tell who is asked; None for a group or unknown.
    assignee: str | None = None


class Triage(BaseModel):
    category: Category
    priority: Priority
    needs_reply: bool
    summary: str = Field(max_length=400)
    reason: str = Field(max_length=400)
    tasks: list[TaskDraft] = Field(default_factory=list)


class Summary(BaseModel):
    text: str = Field(max_length=2000)


class ReplyDraft(BaseModel):
    """A reply for the owner to edit and send; nothing sends it without the owner."""

    body: str = Field(min_length=1, max_length=6000)
    # Ids of the company-context entries the draft relies on, so the UI can show them.
    cited_context_ids: list[str] = Field(default_factory=list)


class ContextKind(StrEnum):
    TONE = "tone"
    SIGNATURE = "signature"
    FACT = "fact"
    POLICY = "policy"


class ContextEntry(BaseModel):
    """One piece of an organization's company context, as the hub stores it."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: ContextKind
    title: str
    body: str


class Usage(BaseModel):
    model_config = ConfigDict(frozen=True)

    tokens_in: int = Field(ge=0)
    tokens_out: int = Field(ge=0)


OutputT = TypeVar("OutputT", bound=BaseModel)


class AIResult(BaseModel, Generic[OutputT]):
    """A validated step output plus what the hub stores beside it for accounting."""

    model_config = ConfigDict(frozen=True)

    output: OutputT
    usage: Usage
    model: str
    prompt_version: str
