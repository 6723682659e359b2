"""The Notion create-page body we send and the page object we read back.

Title and notes derive from untrusted email text. They travel only as the `content`
of plain `text` rich-text items: never as links, mentions, equations or annotations,
and nothing here parses or renders them. Notion measures text in UTF-16 code units
(JavaScript string length), so the limits here do too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from connectors.types import TaskDraft

MAX_TEXT = 2000  # one rich-text item's content; also a url property value
MAX_RICH_TEXT_ITEMS = 100
MAX_CHILDREN = 100
MAX_NOTES = 10_000
UNTITLED = "Untitled task"
ELLIPSIS = "\u2026"
PAGE_URL = "https://www.notion.so/{id}"

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


def note_blocks(notes: str, *, source: str | None = None) -> list[dict[str, Any]]:
    """Paragraph blocks for notes (split at blank lines), then a Source line if given.

    Notes are cut to MAX_NOTES; past MAX_CHILDREN blocks the remaining paragraphs are
    joined into the last one, so the request never exceeds Notion's limits.
    """
    text = clip(clean_text(notes), MAX_NOTES)
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text) if p.strip()] if text else []
    room = MAX_CHILDREN - (1 if source else 0)
    if len(paragraphs) > room:
        paragraphs = [*paragraphs[: room - 1], "\n\n".join(paragraphs[room - 1 :])]
    if source:
        paragraphs.append(clip(f"Source: {source}", MAX_TEXT * MAX_RICH_TEXT_ITEMS))
    return [paragraph(p) for p in paragraphs]


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
    blocks = note_blocks(task.notes, source=None if link_as_property or not link else link)
    if blocks:
        body["children"] = blocks
    return body


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
