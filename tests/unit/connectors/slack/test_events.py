"""Slack message events read as chat changes, on the shared wire fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.mail.types import Address
from connectors.slack.directory import TimedCache
from connectors.slack.events import parsed_message, read_mention_event, read_message_event
from connectors.types import ChatChangeKind

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "slack"


def fixture_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((FIXTURES / name).read_text())["event"]
    return event


def test_a_channel_post_is_a_message_of_its_own_thread() -> None:
    change = read_message_event(fixture_event("event_message_channels.json"))
    assert change is not None
    assert change.kind is ChatChangeKind.POSTED
    assert change.provider_id == "C0CHAN001:1714000000.000100"
    people = {"U0USER001": Address(name="Priya Shah", email="priya@example.org")}
    message = parsed_message(change, channel_name="ops", people=people)
    assert message.provider_thread_id == "C0CHAN001:1714000000.000100"
    assert message.text == (
        "deploy of api is failing again & alerts are noisy, see https://ci.example.com/build/42"
    )
    assert message.visible_text == message.text
    assert message.subject.startswith("#ops: deploy of api is failing again")
    assert message.sender == people["U0USER001"]
    assert message.date == datetime.fromtimestamp(1714000000.0001, UTC)
    assert message.source == "slack"


def test_a_thread_reply_joins_its_roots_thread() -> None:
    event = {**fixture_event("event_message_channels.json"), "ts": "1714000099.000300"}
    event["thread_ts"] = "1714000000.000100"
    change = read_message_event(event)
    assert change is not None
    message = parsed_message(change, channel_name="ops", people={})
    assert message.provider_id == "C0CHAN001:1714000099.000300"
    assert message.provider_thread_id == "C0CHAN001:1714000000.000100"
    assert message.sender == Address(name="U0USER001", email="")


def test_a_direct_message_is_read_too() -> None:
    change = read_message_event(fixture_event("event_message_im.json"))
    assert change is not None
    message = parsed_message(change, channel_name="dm", people={})
    assert message.subject == "#dm: remind me to renew the TLS cert"


def test_an_edit_carries_the_new_text_under_the_original_ts() -> None:
    event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": "C0CHAN001",
        "ts": "1714000500.000900",
        "message": {
            "type": "message",
            "user": "U0USER001",
            "text": "deploy fixed",
            "ts": "1714000000.000100",
            "edited": {"user": "U0USER001", "ts": "1714000500.000000"},
        },
        "previous_message": {"type": "message", "user": "U0USER001", "text": "deploy broken"},
    }
    change = read_message_event(event)
    assert change is not None
    assert (change.kind, change.provider_id, change.text) == (
        ChatChangeKind.EDITED,
        "C0CHAN001:1714000000.000100",
        "deploy fixed",
    )


def test_a_deletion_names_the_deleted_message() -> None:
    event = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": "C0CHAN001",
        "ts": "1714000600.000100",
        "deleted_ts": "1714000000.000100",
        "previous_message": {"type": "message", "user": "U0USER001", "text": "oops"},
    }
    change = read_message_event(event)
    assert change is not None
    assert (change.kind, change.provider_id) == (
        ChatChangeKind.DELETED,
        "C0CHAN001:1714000000.000100",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"subtype": "bot_message", "bot_id": "B1"},
        {"bot_id": "B1"},
        {"subtype": "channel_join"},
        {"subtype": "channel_topic"},
        {"type": "app_mention"},
        {"user": None},
        {"channel": None},
    ],
)
def test_bot_posts_and_channel_chatter_are_skipped(changes: dict[str, Any]) -> None:
    event = {**fixture_event("event_message_channels.json"), **changes}
    assert read_message_event(event) is None


def test_an_edit_of_a_bot_post_is_skipped() -> None:
    event = {
        "type": "message",
        "subtype": "message_changed",
        "channel": "C0CHAN001",
        "message": {"type": "message", "bot_id": "B1", "text": "x", "ts": "1.2"},
    }
    assert read_message_event(event) is None


def test_a_long_first_line_is_shortened_for_the_subject() -> None:
    event = {**fixture_event("event_message_channels.json"), "text": "word " * 40}
    change = read_message_event(event)
    assert change is not None
    subject = parsed_message(change, channel_name="ops", people={}).subject
    assert subject.endswith("\u2026")
    assert len(subject) <= len("#ops: ") + 80


def test_timed_cache_forgets_after_its_ttl_and_drops_the_oldest() -> None:
    now = [0.0]
    cache: TimedCache[str] = TimedCache(ttl=10, max_entries=2, clock=lambda: now[0])
    cache.put(("t", "a"), "A")
    cache.put(("t", "b"), "B")
    cache.put(("t", "c"), "C")
    assert (cache.get(("t", "a")), cache.get(("t", "b")), cache.get(("t", "c"))) == (None, "B", "C")
    now[0] = 11
    assert cache.get(("t", "b")) is None


def test_a_mention_is_read_without_the_apps_name() -> None:
    mention = read_mention_event(fixture_event("event_app_mention.json"))
    assert mention is not None
    assert mention.text == "task: renew TLS cert for api.example.com by Friday"
    assert (mention.channel, mention.ts, mention.thread_ts) == (
        "C0CHAN001",
        "1714000200.000300",
        "1714000200.000300",
    )
    assert mention.asked_at == datetime.fromtimestamp(1714000200.0003, UTC)


def test_a_mention_in_a_thread_is_answered_there_and_keeps_later_mentions() -> None:
    event = {
        **fixture_event("event_app_mention.json"),
        "text": "<@U0BOT0001> <@U0BOT0001|hub> ask <@U0USER002> &amp; me",
        "thread_ts": "1714000000.000100",
    }
    mention = read_mention_event(event)
    assert mention is not None
    assert mention.thread_ts == "1714000000.000100"
    assert mention.text == "ask @U0USER002 & me"


def test_a_message_event_is_no_mention() -> None:
    assert read_mention_event(fixture_event("event_message_channels.json")) is None
