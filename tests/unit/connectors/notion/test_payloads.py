"""Building Notion's create-page body from a TaskDraft (no I/O)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from connectors.notion.payloads import (
    MAX_CHILDREN,
    MAX_NOTES,
    MAX_TEXT,
    UNTITLED,
    PageLayout,
    PageResponse,
    build_page_body,
    chunks,
    plain_text,
    utf16_len,
)
from connectors.types import TaskDraft

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "notion"
DATABASE = "8e2c2b76-9e3b-4a1e-9e6f-5a1c7d3b2f10"
HOSTILE = "<!channel> *bold* [x](javascript:alert(1))"
LINK = "https://hub.example.com/threads/42"
DEFAULT = PageLayout()


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def text(content: str) -> dict[str, Any]:
    return {"type": "text", "text": {"content": content}}


def paragraph_texts(body: dict[str, Any]) -> list[str]:
    return [plain_text(b["paragraph"]["rich_text"]) for b in body.get("children", [])]


def test_full_draft_matches_the_documented_request_shape() -> None:
    fixture = load("create_page_request")
    layout = PageLayout(link_property="Slack link", priority_property="Priority")
    draft = TaskDraft(
        title="Login fails for jane@example.com",
        notes="Forwarded email: <URGENT> login fails for jane@example.com & 3 others.",
        due=date(2024, 4, 30),
        link=fixture["properties"]["Slack link"]["url"],
        priority="high",
    )

    body = build_page_body(DATABASE, draft, layout)

    assert body["parent"] == fixture["parent"]
    for name in ("Name", "Due", "Priority", "Slack link"):
        assert body["properties"][name] == fixture["properties"][name]
    assert set(body["properties"]) == {"Name", "Due", "Priority", "Slack link"}
    assert body["children"] == [fixture["children"][1]]


def test_minimal_draft_has_only_the_title() -> None:
    body = build_page_body(DATABASE, TaskDraft(title="Call Jordan"), DEFAULT)

    assert body == {
        "parent": {"database_id": DATABASE},
        "properties": {"Name": {"title": [text("Call Jordan")]}},
    }


def test_unconfigured_properties_are_not_sent() -> None:
    layout = PageLayout(title_property="Task", due_property=None, link_property=None)
    draft = TaskDraft(title="t", due=date(2024, 1, 2), link=LINK, priority="urgent")

    body = build_page_body(DATABASE, draft, layout)

    assert set(body["properties"]) == {"Task"}
    assert paragraph_texts(body) == [f"Source: {LINK}"]


@pytest.mark.parametrize(
    ("priority", "name"),
    [("urgent", "Urgent"), ("high", "High"), ("normal", "Normal"), ("LOW", "Low")],
)
def test_priority_select(priority: str, name: str) -> None:
    layout = PageLayout(priority_property="Priority")

    body = build_page_body(DATABASE, TaskDraft(title="t", priority=priority), layout)

    assert body["properties"]["Priority"] == {"select": {"name": name}}


def test_unknown_priority_is_omitted() -> None:
    layout = PageLayout(priority_property="Priority")

    body = build_page_body(DATABASE, TaskDraft(title="t", priority="critical"), layout)

    assert "Priority" not in body["properties"]


def test_due_is_an_iso_date() -> None:
    body = build_page_body(DATABASE, TaskDraft(title="t", due=date(2024, 2, 29)), DEFAULT)

    assert body["properties"]["Due"] == {"date": {"start": "2024-02-29"}}


def test_link_goes_to_the_url_property() -> None:
    body = build_page_body(DATABASE, TaskDraft(title="t", link=LINK), DEFAULT)

    assert body["properties"]["Source"] == {"url": LINK}
    assert "children" not in body


def test_title_is_trimmed_to_one_line_without_controls() -> None:
    body = build_page_body(DATABASE, TaskDraft(title=" Re:\r\n invoice\x00 42 "), DEFAULT)

    assert body["properties"]["Name"] == {"title": [text("Re: invoice 42")]}


@pytest.mark.parametrize("title", ["", "  \n"])
def test_empty_title_gets_a_placeholder(title: str) -> None:
    body = build_page_body(DATABASE, TaskDraft(title=title), DEFAULT)

    assert body["properties"]["Name"] == {"title": [text(UNTITLED)]}


def test_long_title_fits_one_rich_text_item() -> None:
    body = build_page_body(DATABASE, TaskDraft(title="\U0001f600" * 3000), DEFAULT)

    (item,) = body["properties"]["Name"]["title"]
    assert utf16_len(item["text"]["content"]) <= MAX_TEXT
    assert item["text"]["content"].endswith("\u2026")


def test_notes_become_paragraphs_split_at_blank_lines() -> None:
    draft = TaskDraft(title="t", notes="First line\nsame paragraph\n\n \n\nSecond\r\n\r\nThird")

    body = build_page_body(DATABASE, draft, DEFAULT)

    assert paragraph_texts(body) == ["First line\nsame paragraph", "Second", "Third"]
    assert all(b["object"] == "block" and b["type"] == "paragraph" for b in body["children"])


def test_long_paragraph_is_split_into_rich_text_items_of_at_most_2000() -> None:
    notes = "a" * 4500

    body = build_page_body(DATABASE, TaskDraft(title="t", notes=notes), DEFAULT)

    items = body["children"][0]["paragraph"]["rich_text"]
    assert [len(i["text"]["content"]) for i in items] == [2000, 2000, 500]
    assert plain_text(items) == notes


def test_chunks_count_utf16_units_and_never_split_a_character() -> None:
    pieces = chunks("a" + "\U0001f600" * 1500)

    assert [utf16_len(p) for p in pieces] == [1999, 1002]
    assert "".join(pieces) == "a" + "\U0001f600" * 1500


def test_notes_are_cut_to_the_limit() -> None:
    body = build_page_body(DATABASE, TaskDraft(title="t", notes="n" * 50_000), DEFAULT)

    (notes,) = paragraph_texts(body)
    assert len(notes) == MAX_NOTES
    assert notes.endswith("\u2026")


def test_more_than_100_paragraphs_are_folded_into_100_blocks() -> None:
    notes = "\n\n".join(f"p{i}" for i in range(150))

    body = build_page_body(DATABASE, TaskDraft(title="t", notes=notes), DEFAULT)

    texts = paragraph_texts(body)
    assert len(texts) == MAX_CHILDREN
    assert texts[98] == "p98"
    assert texts[99] == "\n\n".join(f"p{i}" for i in range(99, 150))


def test_source_paragraph_keeps_within_100_blocks() -> None:
    notes = "\n\n".join(f"p{i}" for i in range(150))
    layout = PageLayout(link_property=None)

    body = build_page_body(DATABASE, TaskDraft(title="t", notes=notes, link=LINK), layout)

    texts = paragraph_texts(body)
    assert len(texts) == MAX_CHILDREN
    assert texts[-1] == f"Source: {LINK}"


def test_hostile_text_is_plain_text_content_only() -> None:
    body = build_page_body(DATABASE, TaskDraft(title=HOSTILE, notes=HOSTILE), DEFAULT)

    assert body["properties"]["Name"] == {"title": [text(HOSTILE)]}
    assert body["children"][0]["paragraph"]["rich_text"] == [text(HOSTILE)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"title_property": ""},
        {"due_property": "Name"},
        {"link_property": "Due", "due_property": "Due"},
        {"priority_property": ""},
    ],
)
def test_layout_rejects_empty_or_shared_property_names(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="notion"):
        PageLayout(**kwargs)


def test_page_response_from_fixture() -> None:
    fixture = load("create_page_response")

    page = PageResponse.model_validate(fixture)

    assert page.id == "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    assert page.link == fixture["url"]
    assert plain_text(fixture["properties"]["Name"]["title"]) == "Login fails for jane@example.com"
