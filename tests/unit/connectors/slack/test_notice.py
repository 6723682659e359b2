"""Rendering a ThreadNotice as Block Kit."""

from __future__ import annotations

import json
from typing import Any

from connectors.slack.mrkdwn import FALLBACK_TEXT_LIMIT, HEADER_TEXT_LIMIT, SECTION_TEXT_LIMIT
from connectors.slack.notice import render_mention_answer, render_thread_notice
from connectors.types import MentionAnswer, ThreadNotice

HOSTILE = "<!channel> <https://evil|click> @here &amp; <@U123>"


def _notice(**overrides: Any) -> ThreadNotice:
    values: dict[str, Any] = {
        "subject": "Invoice 42 overdue",
        "sender": "Jane Doe <jane@example.com>",
        "summary": "Customer asks for a new copy of invoice 42.",
        "category": "billing",
        "priority": "high",
        "needs_reply": True,
        "link": "https://mail.example.com/thread/abc?x=1&y=2",
    }
    values.update(overrides)
    return ThreadNotice(**values)


def _block(blocks: tuple[Any, ...], kind: str) -> dict[str, Any]:
    return next(b for b in blocks if b["type"] == kind)


def test_layout_header_section_context() -> None:
    message = render_thread_notice(_notice())
    assert [b["type"] for b in message.blocks] == ["header", "section", "context"]
    header = _block(message.blocks, "header")
    assert header["text"] == {"type": "plain_text", "text": "Invoice 42 overdue", "emoji": True}
    section = _block(message.blocks, "section")
    assert section["text"]["type"] == "mrkdwn"
    assert section["text"]["verbatim"] is True
    context_text = " ".join(e["text"] for e in _block(message.blocks, "context")["elements"])
    assert "Jane Doe &lt;jane@example.com&gt;" in context_text
    assert "billing" in context_text
    assert "high" in context_text
    assert "needs reply" in context_text
    assert "<https://mail.example.com/thread/abc?x=1&amp;y=2|Open thread>" in context_text
    assert "Invoice 42 overdue" in message.text
    json.dumps(message.blocks)  # plain JSON, ready for the wire


def test_hostile_fields_render_inert() -> None:
    message = render_thread_notice(
        _notice(
            subject=HOSTILE,
            sender=HOSTILE,
            summary=HOSTILE,
            category=HOSTILE,
            priority=HOSTILE,
            link=None,
        )
    )
    mrkdwn_texts = [message.text, _block(message.blocks, "section")["text"]["text"]]
    mrkdwn_texts += [e["text"] for e in _block(message.blocks, "context")["elements"]]
    for text in mrkdwn_texts:
        assert "<" not in text
        assert ">" not in text
        assert "@here" not in text
    # The header is plain_text: Slack never parses it, so it is shown as typed.
    assert _block(message.blocks, "header")["text"]["type"] == "plain_text"


def test_limits_respected_for_huge_input() -> None:
    message = render_thread_notice(
        _notice(subject="S" * 1000, summary="&" * 10_000, sender="x" * 5000, category="c" * 500)
    )
    header = _block(message.blocks, "header")["text"]["text"]
    assert len(header) <= HEADER_TEXT_LIMIT
    section = _block(message.blocks, "section")["text"]["text"]
    assert len(section) <= SECTION_TEXT_LIMIT
    assert not section.rstrip("\u2026").endswith(("&", "&a", "&am", "&amp"))
    for element in _block(message.blocks, "context")["elements"]:
        assert len(element["text"]) <= 2000
    assert len(message.text) <= FALLBACK_TEXT_LIMIT
    assert len(message.blocks) <= 50


def test_empty_fields_get_placeholders() -> None:
    message = render_thread_notice(
        _notice(subject="  ", summary="", sender="", category="", priority="", needs_reply=False)
    )
    assert _block(message.blocks, "header")["text"]["text"] == "(no subject)"
    assert _block(message.blocks, "section")["text"]["text"].strip()
    context_text = " ".join(e["text"] for e in _block(message.blocks, "context")["elements"])
    assert "no reply needed" in context_text


def test_unsafe_links_are_dropped() -> None:
    for link in [
        "javascript:alert(1)",
        "https://evil|Open thread",
        "https://a.example/<x>",
        "ftp://files.example/x",
        "https://ok.example/ spaced",
    ]:
        message = render_thread_notice(_notice(link=link))
        elements = _block(message.blocks, "context")["elements"]
        assert len(elements) == 2, link


def test_a_mention_answer_escapes_the_summary_and_lists_action_items() -> None:
    answer = MentionAnswer(
        summary="<!channel> Kim asks for the *cert* & <https://evil|a link>",
        tasks=[("Renew <!here> cert", "2026-12-04"), ("Tell Kim", "")],
    )
    message = render_mention_answer(answer)
    summary, items = message.blocks
    assert "&lt;!channel&gt; Kim asks" in summary["text"]["text"]
    assert summary["text"]["verbatim"] is True
    assert items["text"]["text"] == (
        "*Action items*\n\u2022 Renew &lt;!here&gt; cert (due 2026-12-04)\n\u2022 Tell Kim"
    )
    assert "<!channel>" not in message.text


def test_a_task_mention_answer_is_a_receipt() -> None:
    answer = MentionAnswer(tasks=[("Fix <@U1> deploy", "")], created="ClickUp")
    message = render_mention_answer(answer)
    (block,) = message.blocks
    assert block["text"]["text"] == "Creating in ClickUp: *Fix &lt;@U1&gt; deploy*"


def test_a_note_answer_says_only_the_note() -> None:
    message = render_mention_answer(MentionAnswer(note="No task created: no tool."))
    assert [b["text"]["text"] for b in message.blocks] == ["No task created: no tool."]


def test_a_notice_offers_a_reply_draft_only_when_asked() -> None:
    plain = render_thread_notice(_notice())
    assert "draft_reply" not in json.dumps(plain.blocks)
    offered = render_thread_notice(_notice(draft_reply_for="5d0c7f4e-thread"))
    (actions,) = [b for b in offered.blocks if b["type"] == "actions"]
    (button,) = actions["elements"]
    assert (button["action_id"], button["value"]) == ("draft_reply", "5d0c7f4e-thread")
