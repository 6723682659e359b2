"""The "New task" modal: rendered, and read back from a submission (no I/O)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from connectors.slack.plaintext import message_link
from slackapp.blocks.task_modal import (
    TITLE_LIMIT,
    TaskForm,
    read_metadata,
    read_task_form,
    task_modal,
    task_queued_modal,
)

HOSTILE_NOTES = "From customer email:\n<!channel> click <https://evil.example/login|here>"
HOSTILE_NOTES += " & reset *now*"
FIXTURES = Path(__file__).resolve().parents[2] / "integration" / "slackapp" / "fixtures"


def _values() -> dict[str, Any]:
    payload = json.loads((FIXTURES / "view_submission.json").read_text())
    values: dict[str, Any] = payload["view"]["state"]["values"]
    return values


def test_the_fixture_submission_reads_as_typed() -> None:
    assert read_task_form(_values()) == TaskForm(
        title="Login fails for jane@example.com",
        notes=HOSTILE_NOTES,
        due=date(2024, 4, 30),
        priority="high",
        assignee="U0USER001",
        destination="clickup",
    )


def test_optional_fields_may_be_left_empty() -> None:
    values = {"title": {"title_input": {"type": "plain_text_input", "value": "Call Kim"}}}
    assert read_task_form(values) == TaskForm("Call Kim", "", None, None, None, None)


def test_a_missing_title_or_a_bad_date_is_named_by_block() -> None:
    values = _values()
    values["due"]["due_input"]["selected_date"] = "30/04/2024"
    assert read_task_form(values) == {"due": "Pick a date from the calendar."}
    values["title"]["title_input"]["value"] = "\n "
    assert read_task_form(values) == {"title": "Give the task a title."}


def test_the_modal_prefills_and_bounds_what_it_is_given() -> None:
    view = task_modal(
        tools=["clickup", "notion"], title="t" * 400, notes="n", metadata={"link": "https://x"}
    )
    blocks = {block["block_id"]: block for block in view["blocks"]}
    assert len(blocks["title"]["element"]["initial_value"]) == TITLE_LIMIT
    assert blocks["description"]["element"]["initial_value"] == "n"
    radio = blocks["destination"]["element"]
    assert [o["value"] for o in radio["options"]] == ["clickup", "notion"]
    assert radio["initial_option"]["value"] == "clickup"
    assert read_metadata(view["private_metadata"]) == {"link": "https://x"}


def test_metadata_that_is_not_ours_reads_as_empty() -> None:
    assert read_metadata("not json") == {}
    assert read_metadata("[1, 2]") == {}
    assert read_metadata(None) == {}


def test_the_receipt_shows_the_title_as_plain_text() -> None:
    receipt = task_queued_modal("Pay <!channel>\nnow", "notion")
    (section,) = receipt["blocks"]
    assert section["text"]["type"] == "plain_text"
    assert "Creating in Notion: Pay <!channel>" in section["text"]["text"]


def test_message_links_follow_slacks_permalink_form() -> None:
    assert message_link("acme", "C1", "1714000350.000500") == (
        "https://acme.slack.com/archives/C1/p1714000350000500"
    )
    assert message_link("acme", "C1", "1714000399.000100", "1714000350.000500") == (
        "https://acme.slack.com/archives/C1/p1714000399000100?thread_ts=1714000350.000500&cid=C1"
    )
