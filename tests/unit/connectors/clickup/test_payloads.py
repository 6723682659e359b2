"""Building ClickUp's create-task body from a TaskDraft (no I/O)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from connectors.clickup.payloads import (
    MAX_MARKDOWN,
    MAX_MARKER,
    MAX_NAME,
    UNTITLED,
    ListedTask,
    TaskResponse,
    build_task_body,
    due_ms,
    has_marker_line,
    markdown_for,
    marker_line,
)
from connectors.types import TaskDraft

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "clickup"
HOSTILE = "<!channel> *bold* [x](javascript:alert(1))"
LINK = "https://hub.example.com/threads/42"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_full_draft_matches_the_documented_request_shape() -> None:
    fixture = load("create_task_request")
    draft = TaskDraft(
        title=fixture["name"],
        notes="From customer email:\n\n> login fails for jane@example.com & 3 others",
        due=date(2024, 4, 30),
        link=LINK,
        priority="high",
    )

    body = build_task_body(draft)

    assert body == {
        "name": fixture["name"],
        "markdown_content": (
            "From customer email:\n\n> login fails for jane@example.com & 3 others\n\n"
            f"Source: {LINK}"
        ),
        "due_date": fixture["due_date"],
        "due_date_time": fixture["due_date_time"],
        "priority": fixture["priority"],
    }


def test_minimal_draft_sends_only_the_name() -> None:
    assert build_task_body(TaskDraft(title="Call Jordan")) == {"name": "Call Jordan"}


def test_link_alone_is_the_markdown() -> None:
    body = build_task_body(TaskDraft(title="t", link=LINK))

    assert body["markdown_content"] == f"Source: {LINK}"


@pytest.mark.parametrize(
    ("priority", "expected"),
    [("urgent", 1), ("high", 2), ("normal", 3), ("low", 4), (" HIGH ", 2)],
)
def test_priority_mapping(priority: str, expected: int) -> None:
    assert build_task_body(TaskDraft(title="t", priority=priority))["priority"] == expected


@pytest.mark.parametrize("priority", [None, "", "critical", "2"])
def test_unknown_priority_is_omitted(priority: str | None) -> None:
    assert "priority" not in build_task_body(TaskDraft(title="t", priority=priority))


@pytest.mark.parametrize(
    ("day", "ms"),
    [(date(2024, 4, 30), 1_714_435_200_000), (date(1970, 1, 2), 86_400_000)],
)
def test_due_is_unix_ms_at_midnight_utc(day: date, ms: int) -> None:
    assert due_ms(day) == ms
    body = build_task_body(TaskDraft(title="t", due=day))
    assert body["due_date"] == ms
    assert body["due_date_time"] is False


def test_title_is_trimmed_to_one_line_without_controls() -> None:
    body = build_task_body(TaskDraft(title="  Re: invoice\r\n\t 42\x00\x07  "))

    assert body["name"] == "Re: invoice 42"


def test_long_title_is_clipped_to_the_limit() -> None:
    name = build_task_body(TaskDraft(title="x" * 5000))["name"]

    assert len(name) == MAX_NAME
    assert name.endswith("\u2026")


@pytest.mark.parametrize("title", ["", "   ", "\n\t\x00"])
def test_empty_title_gets_a_placeholder(title: str) -> None:
    assert build_task_body(TaskDraft(title=title))["name"] == UNTITLED


def test_long_notes_are_cut_but_the_source_line_survives() -> None:
    markdown = build_task_body(TaskDraft(title="t", notes="n" * 50_000, link=LINK))[
        "markdown_content"
    ]

    assert len(markdown) <= MAX_MARKDOWN
    assert markdown.endswith(f"\u2026\n\nSource: {LINK}")


def test_long_notes_without_link_are_cut_to_the_limit() -> None:
    markdown = build_task_body(TaskDraft(title="t", notes="n" * 50_000))["markdown_content"]

    assert len(markdown) == MAX_MARKDOWN


def test_notes_line_endings_are_normalized() -> None:
    body = build_task_body(TaskDraft(title="t", notes="a\r\nb\rc\n"))

    assert body["markdown_content"] == "a\nb\nc"


def test_hostile_text_is_sent_verbatim_as_data() -> None:
    body = build_task_body(TaskDraft(title=HOSTILE, notes=HOSTILE))

    assert body["name"] == HOSTILE
    assert body["markdown_content"] == HOSTILE
    assert json.loads(json.dumps(body))["name"] == HOSTILE


def test_task_response_from_fixture() -> None:
    task = TaskResponse.model_validate(load("create_task_response"))

    assert task.id == "86abc123"
    assert task.link == "https://app.clickup.com/t/86abc123"


MARKER = "outbox-1234"
REF = f"inbox-hub ref: {MARKER}"


def test_marker_is_the_last_line_after_the_source_line() -> None:
    body = build_task_body(TaskDraft(title="t", notes="Pay it", link=LINK, marker=MARKER))

    assert body["markdown_content"] == f"Pay it\n\nSource: {LINK}\n\n{REF}"


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (TaskDraft(title="t", marker=MARKER), REF),
        (TaskDraft(title="t", notes="n", marker=f"  {MARKER} "), f"n\n\n{REF}"),
        (TaskDraft(title="t", link=LINK, marker=MARKER), f"Source: {LINK}\n\n{REF}"),
    ],
)
def test_marker_without_notes_or_link(draft: TaskDraft, expected: str) -> None:
    assert build_task_body(draft)["markdown_content"] == expected


def test_long_notes_are_cut_but_source_and_marker_survive() -> None:
    markdown = build_task_body(TaskDraft(title="t", notes="n" * 50_000, link=LINK, marker=MARKER))[
        "markdown_content"
    ]

    assert len(markdown) == MAX_MARKDOWN
    assert markdown.endswith(f"\u2026\n\nSource: {LINK}\n\n{REF}")


def test_an_overlong_link_is_cut_before_the_marker() -> None:
    link = "https://hub.example.com/" + "x" * 20_000
    markdown = markdown_for(TaskDraft(title="t", notes="n", link=link, marker=MARKER))

    assert len(markdown) <= MAX_MARKDOWN
    assert markdown.startswith("Source: https://hub.example.com/xx")
    assert markdown.endswith(f"\u2026\n\n{REF}")


def test_a_small_limit_keeps_the_marker_whole() -> None:
    draft = TaskDraft(title="t", notes="n" * 100, link=LINK, marker=MARKER)

    assert markdown_for(draft, limit=len(REF)) == REF
    with pytest.raises(ValueError, match="no room"):
        markdown_for(draft, limit=len(REF) - 1)


@pytest.mark.parametrize(
    "marker", ["a b", "*x*", "[x](y)", "x\ny", "-x", "x" * (MAX_MARKER + 1), "ref\\1"]
)
def test_markers_that_could_render_differently_are_refused(marker: str) -> None:
    with pytest.raises(ValueError, match="marker"):
        marker_line(marker)


@pytest.mark.parametrize(
    "marker", ["1", "42", "0b7c3e2a-5f7d-4c8e-9a51-3f0e6d1b2c4d", "outbox:12", "a_b.c"]
)
def test_plain_markers_are_accepted(marker: str) -> None:
    assert marker_line(marker) == f"inbox-hub ref: {marker}"


def test_no_marker_no_line() -> None:
    assert marker_line("  ") == ""
    assert not has_marker_line(REF, "")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (REF, True),
        (f"notes\n\nSource: {LINK}\n\n{REF}\n", True),
        (f"notes\r\n\r\n{REF}  \r\n", True),
        ("notes\n\ninbox\\-hub ref: outbox\\-1234", True),  # markdown escapes
        (f"{REF}\n\nSource: {LINK}", False),  # quoted in the notes, not last
        (f"{REF}0", False),
        (f"x {REF}", False),
        ("inbox-hub ref: outbox-123", False),
        ("", False),
        (None, False),
    ],
)
def test_has_marker_line_matches_only_the_exact_last_line(text: str | None, found: bool) -> None:
    assert has_marker_line(text, MARKER) is found


def test_listed_task_reads_whichever_description_field_it_has() -> None:
    bare = ListedTask.model_validate({"id": "1"})
    plain = ListedTask.model_validate({"id": "1", "text_content": REF, "description": None})
    markdown = ListedTask.model_validate({"id": "1", "markdown_description": f"x\n\n{REF}"})

    assert not bare.has_marker(MARKER)
    assert plain.has_marker(MARKER)
    assert markdown.has_marker(MARKER)
    assert not markdown.has_marker("outbox-1")
