"""The thread list renderer: hostile email text stays inert, Block Kit limits hold."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from slackapp.blocks.thread_list import (
    HOME_BLOCK_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    ThreadRow,
    home_view,
    inbox_message,
    thread_list_blocks,
)

HOSTILE_SUBJECT = "<!channel> Pay <https://evil.example|your bank> & <@U0BOSS> now"
HOSTILE_SUMMARY = "@here wire money to <!subteam^S123> \u202eexe.pdf <#C0GENERAL>"


def _row(i: int = 0, **fields: Any) -> ThreadRow:
    values: dict[str, Any] = {
        "subject": f"Subject {i}",
        "category": "to_respond",
        "priority": "high",
        "summary": f"Summary {i}.",
        "last_message_at": datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        "message_count": 2,
    }
    values.update(fields)
    return ThreadRow(**values)


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found.extend(el["text"] for el in block.get("elements", []))
    return found


def test_hostile_subject_and_summary_are_escaped_and_verbatim() -> None:
    blocks = thread_list_blocks(
        [_row(subject=HOSTILE_SUBJECT, summary=HOSTILE_SUMMARY, category="<!everyone>")]
    )
    section = blocks[1]
    text = section["text"]["text"]
    assert section["text"]["verbatim"] is True
    assert "&lt;!channel&gt;" in text
    assert "&lt;https://evil.example|your bank&gt;" in text
    assert "&amp;" in text
    assert "&lt;@U0BOSS&gt;" in text
    assert "@\u2060here" in text
    assert "\u202e" not in text
    joined = json.dumps(blocks, ensure_ascii=False)
    for raw in ("<!channel>", "<!everyone>", "<@U0BOSS>", "<!subteam", "<#C0GENERAL>", "<https"):
        assert raw not in joined
    details = blocks[2]["elements"][0]
    assert details["verbatim"] is True
    assert "&lt;!everyone&gt;" in details["text"]


def test_only_our_date_token_is_markup() -> None:
    blocks = thread_list_blocks([_row()])
    date = blocks[2]["elements"][1]["text"]
    assert date.startswith("<!date^1767605400^")
    assert date.endswith("|2026-01-05 09:30 UTC>")


def test_empty_fields_get_placeholders() -> None:
    blocks = thread_list_blocks(
        [_row(subject="  ", summary=None, category=None, priority=None, last_message_at=None)]
    )
    assert blocks[1]["text"]["text"] == "*(no subject)*\n_No summary yet._"
    assert "not triaged" in blocks[2]["elements"][0]["text"]
    assert "unknown" in blocks[2]["elements"][0]["text"]
    assert len(blocks[2]["elements"]) == 1


def test_no_threads() -> None:
    message = inbox_message([])
    assert message["text"] == "No threads yet."
    assert [b["type"] for b in message["blocks"]] == ["header", "section"]


def test_long_text_is_cut_within_section_limit() -> None:
    blocks = thread_list_blocks([_row(subject="S&" * 2000, summary="<b>" * 5000)])
    text = blocks[1]["text"]["text"]
    assert len(text) <= 3000
    assert text.rstrip("\u2026*").endswith(("&lt;b&gt;", "b", "&lt;", "&gt;"))
    assert "&am\u2026" not in text


@pytest.mark.parametrize("count", [0, 1, 24, 25, 60, 500])
def test_message_respects_block_limit(count: int) -> None:
    message = inbox_message([_row(i) for i in range(count)])
    assert len(message["blocks"]) <= MESSAGE_BLOCK_LIMIT
    assert message["response_type"] == "ephemeral"
    assert message["unfurl_links"] is False
    if count > 24:
        assert f"and {count - 24} more" in _texts(message["blocks"])[-1]


@pytest.mark.parametrize("count", [49, 50, 300])
def test_home_view_respects_block_limit(count: int) -> None:
    view = home_view([_row(i) for i in range(count)])
    assert view["type"] == "home"
    assert len(view["blocks"]) <= HOME_BLOCK_LIMIT
    shown = sum(1 for b in view["blocks"] if b["type"] == "section")
    assert shown == 49
    if count > 49:
        assert f"and {count - 49} more" in _texts(view["blocks"])[-1]


def test_every_thread_shows_subject_category_priority_summary() -> None:
    blocks = thread_list_blocks([_row(7)])
    assert blocks[0]["type"] == "header"
    assert blocks[1]["text"]["text"] == "*Subject 7*\nSummary 7."
    assert "*Category:* to_respond" in blocks[2]["elements"][0]["text"]
    assert "*Priority:* high" in blocks[2]["elements"][0]["text"]
    assert "2 messages" in blocks[2]["elements"][0]["text"]
