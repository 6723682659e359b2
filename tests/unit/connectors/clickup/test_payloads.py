"""Building ClickUp's create-task body from a TaskDraft (no I/O)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from connectors.clickup.payloads import (
    MAX_MARKDOWN,
    MAX_NAME,
    UNTITLED,
    TaskResponse,
    build_task_body,
    due_ms,
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
