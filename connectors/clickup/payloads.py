"""The ClickUp create-task body we send and the task object we read back.

Title and notes derive from untrusted email text. They travel as JSON string values
only: nothing here parses, renders or interprets them, it only normalizes whitespace,
drops control characters and enforces length limits.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from connectors.types import TaskDraft

MAX_NAME = 1000
MAX_MARKDOWN = 10_000
UNTITLED = "Untitled task"
ELLIPSIS = "\u2026"
TASK_URL = "https://app.clickup.com/t/{id}"

# ClickUp's priority ids: 1=urgent, 2=high, 3=normal, 4=low.
PRIORITIES: dict[str, int] = {"urgent": 1, "high": 2, "normal": 3, "low": 4}

# C0 controls except tab, newline and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")


def clip(text: str, limit: int) -> str:
    """text cut to at most limit characters, an ellipsis marking a cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    return text[: limit - 1].rstrip() + ELLIPSIS


def clean_title(title: str, limit: int = MAX_NAME) -> str:
    """One line: whitespace runs collapsed, controls dropped, trimmed, clipped."""
    one_line = _WHITESPACE.sub(" ", _CONTROL.sub("", title)).strip()
    return clip(one_line, limit) or UNTITLED


def clean_text(text: str) -> str:
    """Multi-line text with controls dropped, newlines normalized, ends trimmed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def due_ms(value: date) -> int:
    """Unix milliseconds at midnight UTC of a date."""
    midnight = datetime.combine(value, time(), tzinfo=UTC)
    return int(midnight.timestamp()) * 1000


def markdown_for(task: TaskDraft, limit: int = MAX_MARKDOWN) -> str:
    """notes, then a final "Source: <link>" line when there is a link; within limit.

    The notes are cut first so the link back to the thread always survives.
    """
    notes = clean_text(task.notes)
    link = _WHITESPACE.sub("", _CONTROL.sub("", task.link or ""))
    if not link:
        return clip(notes, limit)
    source = clip(f"Source: {link}", limit)
    room = limit - len(source) - 2
    body = clip(notes, room) if room > 0 else ""
    return f"{body}\n\n{source}" if body else source


def priority_id(priority: str | None) -> int | None:
    if priority is None:
        return None
    return PRIORITIES.get(priority.strip().lower())


def build_task_body(task: TaskDraft) -> dict[str, Any]:
    """The JSON body of POST /list/{list_id}/task for a draft."""
    body: dict[str, Any] = {"name": clean_title(task.title)}
    markdown = markdown_for(task)
    if markdown:
        body["markdown_content"] = markdown
    if task.due is not None:
        body["due_date"] = due_ms(task.due)
        body["due_date_time"] = False
    priority = priority_id(task.priority)
    if priority is not None:
        body["priority"] = priority
    return body


def _int_as_str(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


IdStr = Annotated[str, BeforeValidator(_int_as_str)]


class TaskResponse(BaseModel):
    """The fields of ClickUp's task object we use; real ones carry many more."""

    model_config = ConfigDict(extra="ignore")

    id: IdStr = Field(min_length=1)
    url: str | None = None

    @property
    def link(self) -> str:
        return self.url or TASK_URL.format(id=self.id)
