"""Building Notion's create-page body from a TaskDraft (no I/O)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
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
    build_find_query,
    build_page_body,
    chunks,
    created_on_or_after,
    has_marker,
    marker_text,
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


def test_marker_is_the_last_paragraph() -> None:
    draft = TaskDraft(title="t", notes="one\n\ntwo", marker="outbox-17")

    body = build_page_body(DATABASE, draft, DEFAULT)

    assert paragraph_texts(body) == ["one", "two", "inbox-hub ref: outbox-17"]
    assert body["children"][-1] == {
        "object": "block",
        "type": "paragraph",
        "paragraph": {"rich_text": [text("inbox-hub ref: outbox-17")]},
    }


def test_marker_alone_makes_the_only_child() -> None:
    body = build_page_body(DATABASE, TaskDraft(title="t", marker="7"), DEFAULT)

    assert paragraph_texts(body) == ["inbox-hub ref: 7"]


@pytest.mark.parametrize("marker", ["", "  ", "\x00\n"])
def test_no_marker_no_marker_paragraph(marker: str) -> None:
    body = build_page_body(DATABASE, TaskDraft(title="t", marker=marker), DEFAULT)

    assert "children" not in body


def test_marker_keeps_within_100_blocks_with_source_and_many_paragraphs() -> None:
    notes = "\n\n".join(f"p{i}" for i in range(150))
    layout = PageLayout(link_property=None)
    draft = TaskDraft(title="t", notes=notes, link=LINK, marker="m1")

    body = build_page_body(DATABASE, draft, layout)

    texts = paragraph_texts(body)
    assert len(texts) == MAX_CHILDREN
    assert texts[-2:] == [f"Source: {LINK}", "inbox-hub ref: m1"]
    assert texts[97] == "\n\n".join(f"p{i}" for i in range(97, 150))


def test_marker_text_is_one_clean_line() -> None:
    assert marker_text(" a\tb\x07 ") == "inbox-hub ref: a b"
    assert marker_text("") == ""


def block(content: str, kind: str = "paragraph") -> dict[str, Any]:
    return {"object": "block", "type": kind, kind: {"rich_text": [text(content)]}}


def test_has_marker_needs_the_exact_paragraph() -> None:
    wanted = marker_text("4")

    assert has_marker([block("x"), block("inbox-hub ref: 4")], wanted)
    assert not has_marker([block("inbox-hub ref: 42")], wanted)
    assert not has_marker([block("inbox-hub ref: 4", "quote")], wanted)
    assert not has_marker([block("see inbox-hub ref: 4")], wanted)
    assert not has_marker([{"type": "paragraph"}, "junk", block("x")], wanted)


def test_has_marker_joins_split_rich_text() -> None:
    split = {
        "type": "paragraph",
        "paragraph": {"rich_text": [{"plain_text": "inbox-hub "}, {"plain_text": "ref: 9"}]},
    }

    assert has_marker([split], marker_text("9"))


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (datetime(2024, 4, 25, 10, 31, 45, 123456, tzinfo=UTC), "2024-04-25T10:31:00.000Z"),
        (
            datetime(2024, 4, 25, 0, 5, 59, tzinfo=timezone(timedelta(hours=2))),
            "2024-04-24T22:05:00.000Z",
        ),
        (datetime(2024, 4, 25, 10, 31, 0), "2024-04-25T10:31:00.000Z"),  # noqa: DTZ001 - naive is UTC
    ],
)
def test_since_is_floored_to_the_minute_in_utc(since: datetime, expected: str) -> None:
    assert created_on_or_after(since) == expected


def test_find_query_filters_by_the_written_title_and_created_time() -> None:
    draft = TaskDraft(title=" Re:\r\n invoice\x00 42 ", marker="m")
    since = datetime(2024, 4, 25, 10, 31, 45, tzinfo=UTC)

    body = build_find_query("Task", draft, since)

    assert body == {
        "filter": {
            "and": [
                {"property": "Task", "title": {"equals": "Re: invoice 42"}},
                {
                    "timestamp": "created_time",
                    "created_time": {"on_or_after": "2024-04-25T10:31:00.000Z"},
                },
            ]
        },
        "sorts": [{"timestamp": "created_time", "direction": "descending"}],
        "page_size": 10,
    }
    assert build_find_query("Task", draft, since, cursor="c1")["start_cursor"] == "c1"


def test_find_query_uses_the_truncated_title() -> None:
    draft = TaskDraft(title="x" * 3000, marker="m")

    body = build_find_query("Name", draft, datetime(2024, 1, 1, tzinfo=UTC))

    written = build_page_body(DATABASE, draft, DEFAULT)["properties"]["Name"]["title"]
    wanted = body["filter"]["and"][0]["title"]["equals"]
    assert wanted == plain_text(written)
    assert utf16_len(wanted) == MAX_TEXT
