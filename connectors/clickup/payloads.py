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

# The last line of a task's description when the draft carries a marker: how
# ClickUpConnector.find_task recognizes a task an uncertain create may have made.
MARKER_PREFIX = "inbox-hub ref: "
# A marker is one token that reads the same as markdown and as plain text.
MAX_MARKER = 100
_MARKER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")

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


def marker_line(marker: str) -> str:
    """ "inbox-hub ref: <marker>", or "" when there is no marker.

    Raises ValueError for a marker that is not one short token of letters, digits and
    `._:-` (anything else could read differently once ClickUp renders the markdown).
    """
    marker = marker.strip()
    if not marker:
        return ""
    if len(marker) > MAX_MARKER or not _MARKER.fullmatch(marker):
        raise ValueError("marker must be 1-100 letters, digits or ._:- characters")
    return f"{MARKER_PREFIX}{marker}"


def markdown_for(task: TaskDraft, limit: int = MAX_MARKDOWN) -> str:
    """notes, a "Source: <link>" line when there is a link and, when the draft has a
    marker, a last "inbox-hub ref: <marker>" line; each a paragraph, within limit.

    The notes are cut first, then the link, so the marker line always survives whole
    (limit must leave room for it) and the link back to the thread survives after it.
    """
    notes = clean_text(task.notes)
    link = _WHITESPACE.sub("", _CONTROL.sub("", task.link or ""))
    ref = marker_line(task.marker)
    if len(ref) > limit:
        raise ValueError("limit leaves no room for the marker line")
    tail = ref
    if link:
        source = clip(f"Source: {link}", limit - len(ref) - 2 if ref else limit)
        tail = "\n\n".join(part for part in (source, ref) if part)
    if not tail:
        return clip(notes, limit)
    room = limit - len(tail) - 2
    body = clip(notes, room) if room > 0 else ""
    return f"{body}\n\n{tail}" if body else tail


def has_marker_line(text: str | None, marker: str) -> bool:
    """Whether text's last non-blank line is marker's line.

    Only the last line counts, so notes quoting "inbox-hub ref: ..." (they come from
    untrusted email) cannot pass for the marker. Backslashes are dropped first: a
    marker line has none, and ClickUp may escape punctuation in markdown it returns.
    """
    expected = marker_line(marker)
    if not expected or not text:
        return False
    lines = [line.strip() for line in clean_text(text).split("\n") if line.strip()]
    return bool(lines) and lines[-1].replace("\\", "") == expected


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


class ListedTask(TaskResponse):
    """A task in a Get Tasks page, with whichever description fields it carries."""

    description: str | None = None
    text_content: str | None = None
    markdown_description: str | None = None

    def has_marker(self, marker: str) -> bool:
        texts = (self.description, self.text_content, self.markdown_description)
        return any(has_marker_line(text, marker) for text in texts)


class TaskPage(BaseModel):
    """GET /list/{list_id}/task: up to 100 tasks and whether more pages follow."""

    model_config = ConfigDict(extra="ignore")

    tasks: list[ListedTask]
    last_page: bool | None = None
