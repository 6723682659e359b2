"""Escaping untrusted email text for Slack mrkdwn."""

from __future__ import annotations

import re

import pytest

from connectors.slack.mrkdwn import (
    ELLIPSIS,
    SECTION_TEXT_LIMIT,
    clean_plain_text,
    escape_mrkdwn,
    safe_mrkdwn,
    safe_plain_text,
    truncate_mrkdwn,
    truncate_plain,
)

HOSTILE = "<!channel> <https://evil|click> @here &amp; <@U123>"


def _has_control_syntax(text: str) -> bool:
    # Anything Slack would parse: <...> sequences or a bare broadcast.
    return bool(re.search(r"<[^>]*>", text)) or bool(
        re.search(r"@(channel|here|everyone)\b", text, re.IGNORECASE)
    )


def test_hostile_body_renders_inert() -> None:
    escaped = escape_mrkdwn(HOSTILE)
    assert "<" not in escaped
    assert ">" not in escaped
    assert not _has_control_syntax(escaped)
    assert "&lt;!channel&gt;" in escaped
    assert "&lt;https://evil|click&gt;" in escaped
    assert "&lt;@U123&gt;" in escaped
    # The literal "&amp;" the sender typed is shown as typed, not decoded to "&".
    assert "&amp;amp;" in escaped
    assert "@\u2060here" in escaped


def test_escapes_ampersand_first() -> None:
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape_mrkdwn("&lt;") == "&amp;lt;"


@pytest.mark.parametrize(
    "text",
    [
        "@channel",
        "@HERE now",
        "ping @everyone!",
        "@group",
        "<!subteam^S0123|@team>",
        "<!date^1392734382^{date}|Feb 18>",
        "<#C0CHAN001>",
        "<mailto:a@example.com|support>",
    ],
)
def test_mentions_and_links_are_neutralized(text: str) -> None:
    assert not _has_control_syntax(escape_mrkdwn(text))


def test_plain_words_and_emails_untouched() -> None:
    assert escape_mrkdwn("mail jane@example.com about @channelling *bold*") == (
        "mail jane@example.com about @channelling *bold*"
    )


def test_control_and_bidi_characters_removed() -> None:
    assert escape_mrkdwn("invoice\u202efdp.exe\x00") == "invoicefdp.exe"
    assert escape_mrkdwn("line1\nline2\tx") == "line1\nline2\tx"


def test_truncate_mrkdwn_never_splits_an_entity() -> None:
    escaped = escape_mrkdwn("a" * 10 + "&" * 10)
    for limit in range(11, 25):
        cut = truncate_mrkdwn(escaped, limit)
        assert len(cut) <= limit
        assert cut.endswith(ELLIPSIS)
        body = cut.removesuffix(ELLIPSIS)
        assert re.fullmatch(r"a*(&amp;)*", body), body


def test_truncate_short_text_unchanged() -> None:
    assert truncate_mrkdwn("short", 10) == "short"
    assert truncate_plain("short", 5) == "short"
    assert truncate_plain("abcdef", 5) == "abcd" + ELLIPSIS


def test_truncate_rejects_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="positive"):
        truncate_plain("x", 0)


def test_safe_mrkdwn_respects_section_limit() -> None:
    text = safe_mrkdwn("<" * 5000)
    assert len(text) <= SECTION_TEXT_LIMIT
    assert "<" not in text


def test_plain_text_keeps_characters_but_collapses_lines() -> None:
    assert clean_plain_text("Q&A <b>\r\n  today") == "Q&A <b>\n  today"
    assert safe_plain_text("Q&A <b>\n  today") == "Q&A <b> today"
    assert len(safe_plain_text("x" * 500)) == 150
