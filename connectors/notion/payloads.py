"""The Notion create-page body we send and the page object we read back.

Title and notes derive from untrusted email text. They travel only as the `content`
of plain `text` rich-text items: never as links, mentions, equations or annotations,
and nothing here parses or renders them. Notion measures text in UTF-16 code units
(JavaScript string length), so the limits here do too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from connectors.types import TaskDraft

MAX_TEXT = 2000  # one rich-text item's content; also a url property value
MAX_RICH_TEXT_ITEMS = 100
MAX_CHILDREN = 100
MAX_NOTES = 10_000
UNTITLED = "Untitled task"
ELLIPSIS = "\u2026"
PAGE_URL = "https://www.notion.so/{id}"
MARKER_PREFIX = "inbox-hub ref: "
FIND_PAGE_SIZE = 10

# Select option names for TaskDraft.priority.
PRIORITY_NAMES: dict[str, str] = {
    "urgent": "Urgent",
    "high": "High",
    "normal": "Normal",
    "low": "Low",
}

# C0 controls except tab, newline and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class PageLayout:
    """Which database properties a draft's fields go to (None: not set)."""

    title_property: str = "Name"
    due_property: str | None = "Due"
    link_property: str | None = "Source"
    priority_property: str | None = None

    def __post_init__(self) -> None:
        names = [
            n
            for n in (
                self.title_property,
                self.due_property,
                self.link_property,
                self.priority_property,
            )
            if n is not None
        ]
        if not self.title_property or any(not n for n in names):
            raise ValueError("notion: property names must not be empty")
        if len(set(names)) != len(names):
            raise ValueError("notion: each field needs its own property")


def utf16_len(text: str) -> int:
    """Length as Notion counts it: characters beyond the BMP count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str, limit: int) -> str:
    """text cut to at most limit UTF-16 units, an ellipsis marking a cut."""
    if utf16_len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    kept = chunks(text, limit - 1)[0].rstrip()
    return kept + ELLIPSIS


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """text split into pieces of at most limit UTF-16 units, never inside a character."""
    pieces: list[str] = []
    start = 0
    size = 0
    for index, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if size + width > limit:
            pieces.append(text[start:index])
            start, size = index, 0
        size += width
    pieces.append(text[start:])
    return pieces


def clean_title(title: str, limit: int = MAX_TEXT) -> str:
    one_line = _WHITESPACE.sub(" ", _CONTROL.sub("", title)).strip()
    return clip(one_line, limit) or UNTITLED


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_link(link: str | None) -> str:
    return _WHITESPACE.sub("", _CONTROL.sub("", link or ""))


def text_items(text: str) -> list[dict[str, Any]]:
    """Plain-text rich-text items for text, each within Notion's content limit."""
    return [{"type": "text", "text": {"content": piece}} for piece in chunks(text) if piece]


def paragraph(text: str) -> dict[str, Any]:
    return {"object": "block", "type": "paragraph", "paragraph": {"rich_text": text_items(text)}}


def note_blocks(notes: str, *, source: str | None = None, reserve: int = 0) -> list[dict[str, Any]]:
    """Paragraph blocks for notes (split at blank lines), then a Source line if given.

    Notes are cut to MAX_NOTES; past MAX_CHILDREN blocks (less reserve, left for blocks
    the caller appends) the remaining paragraphs are joined into the last one, so the
    request never exceeds Notion's limits.
    """
    text = clip(clean_text(notes), MAX_NOTES)
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text) if p.strip()] if text else []
    room = MAX_CHILDREN - reserve - (1 if source else 0)
    if len(paragraphs) > room:
        paragraphs = [*paragraphs[: room - 1], "\n\n".join(paragraphs[room - 1 :])]
    if source:
        paragraphs.append(clip(f"Source: {source}", MAX_TEXT * MAX_RICH_TEXT_ITEMS))
    return [paragraph(p) for p in paragraphs]


def marker_text(marker: str) -> str:
    """The text of the paragraph that marks a page as created for marker; "" for none.

    It is the page's last block: the body does not depend on the database's schema,
    as properties do, so find_task can recognize the page in any customer's database.
    """
    cleaned = _WHITESPACE.sub(" ", _CONTROL.sub("", marker)).strip()
    return f"{MARKER_PREFIX}{cleaned}" if cleaned else ""


def has_marker(blocks: Sequence[Any], text: str) -> bool:
    """Whether a paragraph among blocks (as Notion returns them) reads exactly text."""
    for block in blocks:
        if not isinstance(block, Mapping) or block.get("type") != "paragraph":
            continue
        content = block.get("paragraph")
        if isinstance(content, Mapping) and plain_text(content.get("rich_text")) == text:
            return True
    return False


def created_on_or_after(since: datetime) -> str:
    """since floored to the minute, in UTC, as Notion writes timestamps.

    Notion keeps created_time to the minute, so a page created in since's minute
    carries a created_time before since. A naive since is taken as UTC.
    """
    moment = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:00.000Z")


def build_find_query(
    title_property: str, task: TaskDraft, since: datetime, *, cursor: str | None = None
) -> dict[str, Any]:
    """The body of POST /v1/databases/{id}/query for pages that may be task's.

    Same title as create_task wrote it, created at or after since's minute, newest first.
    """
    body: dict[str, Any] = {
        "filter": {
            "and": [
                {"property": title_property, "title": {"equals": clean_title(task.title)}},
                {
                    "timestamp": "created_time",
                    "created_time": {"on_or_after": created_on_or_after(since)},
                },
            ]
        },
        "sorts": [{"timestamp": "created_time", "direction": "descending"}],
        "page_size": FIND_PAGE_SIZE,
    }
    if cursor:
        body["start_cursor"] = cursor
    return body


def build_page_body(database_id: str, task: TaskDraft, layout: PageLayout) -> dict[str, Any]:
    """The JSON body of POST /v1/pages (Notion-Version 2022-06-28) for a draft."""
    properties: dict[str, Any] = {
        layout.title_property: {"title": text_items(clean_title(task.title))}
    }
    if task.due is not None and layout.due_property:
        properties[layout.due_property] = {"date": {"start": task.due.isoformat()}}
    link = clean_link(task.link)
    link_as_property = bool(link and layout.link_property and utf16_len(link) <= MAX_TEXT)
    if link_as_property and layout.link_property:
        properties[layout.link_property] = {"url": link}
    priority = PRIORITY_NAMES.get((task.priority or "").strip().lower())
    if priority and layout.priority_property:
        properties[layout.priority_property] = {"select": {"name": priority}}
    body: dict[str, Any] = {"parent": {"database_id": database_id}, "properties": properties}
    marker = marker_text(task.marker)
    blocks = note_blocks(
        task.notes,
        source=None if link_as_property or not link else link,
        reserve=1 if marker else 0,
    )
    if marker:
        blocks.append(paragraph(marker))
    if blocks:
        body["children"] = blocks
    return body


class ListResponse(BaseModel):
    """One page of a Notion list (a database query, a block's children)."""

    model_config = ConfigDict(extra="ignore")

    object: Literal["list"]
    results: list[dict[str, Any]]
    next_cursor: str | None = None
    has_more: bool = False


class PageResponse(BaseModel):
    """The fields of Notion's page object we use; real ones carry many more."""

    model_config = ConfigDict(extra="ignore")

    object: str = "page"
    id: str = Field(min_length=1)
    url: str | None = None

    @property
    def link(self) -> str:
        return self.url or PAGE_URL.format(id=self.id.replace("-", ""))


def plain_text(items: Any) -> str:
    """The concatenated plain text of a rich-text array as Notion returns it."""
    if not isinstance(items, list):
        return ""
    parts: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            text = item.get("plain_text")
            if not isinstance(text, str):
                inner = item.get("text")
                text = inner.get("content") if isinstance(inner, Mapping) else ""
            parts.append(text if isinstance(text, str) else "")
    return "".join(parts)
