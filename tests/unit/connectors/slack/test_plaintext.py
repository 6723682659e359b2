"""Slack's message format read back as plain text."""

from __future__ import annotations

import pytest

from connectors.slack.mrkdwn import escape_mrkdwn
from connectors.slack.plaintext import mentioned_users, to_plain_text

NAMES = {"U0USER001": "Priya Shah"}


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("deploy failing &amp; alerts noisy", "deploy failing & alerts noisy"),
        ("if a &lt; b &gt; c", "if a < b > c"),
        ("literal &amp;lt; stays an entity", "literal &lt; stays an entity"),
        ("ask <@U0USER001> please", "ask @Priya Shah please"),
        ("ask <@U0OTHER02|sam> please", "ask @sam please"),
        ("ask <@U0OTHER02>", "ask @U0OTHER02"),
        ("see <#C0CHAN001|general>", "see #general"),
        ("see <#C0CHAN001>", "see #C0CHAN001"),
        ("<!here> and <!channel> and <!everyone>", "@here and @channel and @everyone"),
        ("<!subteam^S0TEAM1|@oncall> look", "@oncall look"),
        ("due <!date^1700000000^{date_short}|Nov 14, 2023>", "due Nov 14, 2023"),
        ("see <https://ci.example.com/build/42>", "see https://ci.example.com/build/42"),
        ("see <https://ci.example.com/b|the build>", "see the build (https://ci.example.com/b)"),
        ("mail <mailto:a@example.com|a@example.com>", "mail a@example.com"),
        ("a <b but no close", "a <b but no close"),
    ],
)
def test_entities_read_as_a_person_would(slack: str, plain: str) -> None:
    assert to_plain_text(slack, NAMES) == plain


def test_escaping_for_slack_and_reading_back_round_trip() -> None:
    text = "Q3 <numbers> & <@U1> <!channel> <https://evil|innocent>"
    assert to_plain_text(escape_mrkdwn(text)).replace("\u2060", "") == text


def test_mentioned_users_in_order_once() -> None:
    text = "<@U2> then <@U1|al> then <@U2> and <#C1|x>"
    assert mentioned_users(text) == ["U2", "U1"]


def test_a_forwarded_email_in_slack_reads_as_typed() -> None:
    text = (
        "Forwarded email: &lt;URGENT&gt; login fails for "
        "<mailto:jane@example.com|jane@example.com> &amp; 3 others. <!channel> "
        "ask <@U0USER001> in <#C0CHAN001|ops> see <https://x.example/a?b=1&amp;c=2>"
    )
    assert to_plain_text(text) == (
        "Forwarded email: <URGENT> login fails for jane@example.com & 3 others. @channel "
        "ask @U0USER001 in #ops see https://x.example/a?b=1&c=2"
    )
