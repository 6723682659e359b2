"""Posts tagged with a marker (message metadata) and found again after a lost answer.

SlackConnector.post_message(marker=...) and find_message() against SlackFake over real
HTTP, plus the fake's conversations.history / .replies windows and metadata, and its
after_processing fault (the call goes through, the answer is an error or never comes).
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from connectors.errors import ProviderUnavailable, RateLimited
from connectors.fakeserver import RunningServer
from connectors.slack.connector import (
    DELIVERY_EVENT_TYPE,
    FIND_MAX_PAGES,
    FIND_PAGE_SIZE,
    SlackCallError,
    SlackConnector,
)
from connectors.slack.fake import SlackFake
from connectors.types import SlackMessage
from tests.support.fakes import Switch

pytestmark = pytest.mark.integration

TEAM = "T0MARKERS"
TOKEN = "xoxb-marker-bot-token"
CHANNEL = "C0NOTICES"


@dataclass
class Env:
    fake: SlackFake
    base_url: str
    slack: SlackConnector
    client: WebClient

    def post(self, text: str, *, marker: str | None = None, thread_ts: str | None = None) -> str:
        return self.slack.post_message(
            TOKEN,
            channel=CHANNEL,
            message=SlackMessage(text=text),
            thread_ts=thread_ts,
            marker=marker,
        )

    def find(self, marker: str, since: datetime, *, thread_ts: str | None = None) -> str | None:
        return self.slack.find_message(
            TOKEN, channel=CHANNEL, marker=marker, since=since, thread_ts=thread_ts
        )

    def seed(self, count: int, *, thread_ts: str | None = None) -> None:
        for n in range(count):
            self.fake.seed_message(TEAM, CHANNEL, f"filler {n}", thread_ts=thread_ts)


@pytest.fixture
def env(fake_server: tuple[Switch, RunningServer]) -> Env:
    switch, server = fake_server
    fake = SlackFake()
    fake.add_workspace(TEAM, TOKEN, [CHANNEL, "C0OTHER"])
    switch.app = fake.asgi_app()
    api = f"{server.base_url}/api/"
    return Env(
        fake,
        server.base_url,
        SlackConnector(api_url=api, timeout=5),
        WebClient(token=TOKEN, base_url=api, retry_handlers=[]),
    )


def _metadata(marker: str) -> dict[str, Any]:
    return {"event_type": DELIVERY_EVENT_TYPE, "event_payload": {"marker": marker}}


def _a_moment_ago() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=1)


def _post_form(base_url: str, fields: str) -> dict[str, Any]:
    """chat.postMessage as a form, the way Slack documents its arguments."""
    request = urllib.request.Request(
        f"{base_url}/api/chat.postMessage",
        data=f"token={TOKEN}&{fields}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # loopback fake only
        data: dict[str, Any] = json.loads(response.read())
    return data


# ---- the fake: metadata on chat.postMessage, conversations.history -----------------


def test_post_with_marker_stores_metadata(env: Env) -> None:
    tagged = env.post("notice", marker="outbox-17")
    plain = env.post("plain")

    stored = {m["ts"]: m for m in env.fake.messages}
    assert stored[tagged]["metadata"] == _metadata("outbox-17")
    assert "metadata" not in stored[plain]


def test_history_shows_metadata_only_when_asked(env: Env) -> None:
    ts = env.post("notice", marker="outbox-1")

    hidden = env.client.conversations_history(channel=CHANNEL)
    assert hidden["ok"] is True
    [message] = hidden["messages"]
    assert message["ts"] == ts
    assert message["bot_id"]
    assert "metadata" not in message
    assert hidden["has_more"] is False
    assert hidden["pin_count"] == 0
    assert hidden["response_metadata"] == {"next_cursor": ""}

    shown = env.client.conversations_history(channel=CHANNEL, include_all_metadata=True)
    assert shown["messages"][0]["metadata"] == _metadata("outbox-1")
    explicit_no = env.client.conversations_history(channel=CHANNEL, include_all_metadata=False)
    assert "metadata" not in explicit_no["messages"][0]


def test_metadata_as_a_form_field(env: Env) -> None:
    field = quote(json.dumps(_metadata("form-1")))
    data = _post_form(env.base_url, f"channel={CHANNEL}&text=hi&metadata={field}")
    assert data["ok"] is True
    assert env.fake.messages[-1]["metadata"] == _metadata("form-1")


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        "[1, 2]",
        json.dumps({"event_payload": {"marker": "x"}}),
        json.dumps({"event_type": "", "event_payload": {}}),
        json.dumps({"event_type": "t", "event_payload": "marker"}),
        json.dumps({"event_type": "t"}),
    ],
)
def test_invalid_metadata_is_refused(env: Env, metadata: str) -> None:
    field = quote(metadata)
    data = _post_form(env.base_url, f"channel={CHANNEL}&text=hi&metadata={field}")
    assert data == {"ok": False, "error": "invalid_metadata_format"}
    assert env.fake.messages == []


def test_invalid_metadata_in_a_json_body(env: Env) -> None:
    with pytest.raises(SlackApiError) as caught:
        env.client.chat_postMessage(channel=CHANNEL, text="hi", metadata={"event_type": 3})
    assert caught.value.response["error"] == "invalid_metadata_format"
    assert env.fake.messages == []


def test_history_is_top_level_and_broadcasts_newest_first(env: Env) -> None:
    parent = env.post("parent")
    env.post("a reply", thread_ts=parent)
    broadcast = env.client.chat_postMessage(
        channel=CHANNEL, text="also to channel", thread_ts=parent, reply_broadcast=True
    )["ts"]
    human = env.fake.seed_message(TEAM, CHANNEL, "a human")
    env.fake.seed_message(TEAM, "C0OTHER", "elsewhere")

    listed = env.client.conversations_history(channel=CHANNEL)["messages"]
    assert [m["ts"] for m in listed] == [human, broadcast, parent]
    assert listed[1]["subtype"] == "thread_broadcast"
    assert listed[1]["thread_ts"] == parent
    assert env.fake.calls["conversations.history"] == 1


def test_history_window_and_paging(env: Env) -> None:
    stamps = [env.fake.seed_message(TEAM, CHANNEL, f"m{n}") for n in range(5)]

    def listed(**params: Any) -> list[str]:
        page = env.client.conversations_history(channel=CHANNEL, **params)
        return [m["ts"] for m in page["messages"]]

    assert listed(oldest=stamps[1]) == stamps[:1:-1]
    assert listed(oldest=stamps[1], inclusive=True) == stamps[:0:-1]
    assert listed(latest=stamps[3]) == stamps[2::-1]
    assert listed(oldest=stamps[1], latest=stamps[3], inclusive=True) == stamps[3:0:-1]

    first = env.client.conversations_history(channel=CHANNEL, limit=2)
    assert [m["ts"] for m in first["messages"]] == [stamps[4], stamps[3]]
    assert first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    second = env.client.conversations_history(channel=CHANNEL, limit=2, cursor=cursor)
    assert [m["ts"] for m in second["messages"]] == [stamps[2], stamps[1]]
    third = env.client.conversations_history(
        channel=CHANNEL, limit=2, cursor=second["response_metadata"]["next_cursor"]
    )
    assert [m["ts"] for m in third["messages"]] == [stamps[0]]
    assert third["has_more"] is False


def test_history_errors(env: Env) -> None:
    with pytest.raises(SlackApiError) as caught:
        env.client.conversations_history(channel="C0NOPE")
    assert caught.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as caught:
        env.client.conversations_history(channel=CHANNEL, oldest="yesterday")
    assert caught.value.response["error"] == "invalid_ts_oldest"


def test_replies_window_keeps_the_parent_first(env: Env) -> None:
    parent = env.post("parent", marker="p")
    early = env.post("early", thread_ts=parent, marker="r1")
    late = env.post("late", thread_ts=parent, marker="r2")

    thread = env.client.conversations_replies(channel=CHANNEL, ts=parent, oldest=early)
    assert [m["ts"] for m in thread["messages"]] == [parent, late]
    assert all("metadata" not in m for m in thread["messages"])

    with_metadata = env.client.conversations_replies(
        channel=CHANNEL, ts=parent, oldest=early, inclusive=True, include_all_metadata=True
    )
    assert [m["metadata"] for m in with_metadata["messages"]] == [
        _metadata("p"),
        _metadata("r1"),
        _metadata("r2"),
    ]


# ---- SlackConnector.find_message ---------------------------------------------------


def test_find_a_top_level_post(env: Env) -> None:
    since = _a_moment_ago()
    env.post("other", marker="outbox-2")
    ts = env.post("notice", marker="outbox-1")
    env.post("plain")

    assert env.find("outbox-1", since) == ts
    assert env.find("outbox-3", since) is None
    assert env.fake.calls["conversations.history"] == 2


def test_find_a_thread_reply(env: Env) -> None:
    since = _a_moment_ago()
    parent = env.post("notice", marker="outbox-parent")
    env.post("first answer", thread_ts=parent, marker="outbox-a")
    reply = env.post("second answer", thread_ts=parent, marker="outbox-b")

    assert env.find("outbox-b", since, thread_ts=parent) == reply
    assert env.find("outbox-c", since, thread_ts=parent) is None
    # A reply is not in the channel's history, so a top-level lookup misses it.
    assert env.find("outbox-b", since) is None
    assert env.fake.calls["conversations.replies"] == 2


def test_find_ignores_posts_before_since(env: Env) -> None:
    parent = env.post("notice", marker="outbox-old")
    env.post("answer", thread_ts=parent, marker="outbox-old-reply")
    since = datetime.now(UTC)

    assert env.find("outbox-old", since) is None
    assert env.find("outbox-old-reply", since, thread_ts=parent) is None
    # The thread's parent comes back whatever the window; it must not count either.
    assert env.find("outbox-old", since, thread_ts=parent) is None
    assert env.find("outbox-old", since - timedelta(minutes=1)) == parent


def test_find_in_a_missing_thread_is_none(env: Env) -> None:
    assert env.find("outbox-1", _a_moment_ago(), thread_ts="1.000001") is None
    assert env.fake.calls["conversations.replies"] == 1


def test_find_in_an_empty_channel_is_none(env: Env) -> None:
    assert env.find("outbox-1", _a_moment_ago()) is None


def test_find_follows_the_cursor(env: Env) -> None:
    since = _a_moment_ago()
    ts = env.post("notice", marker="outbox-deep")
    env.seed(FIND_PAGE_SIZE + 20)  # newer: the post is on history's second page

    assert env.find("outbox-deep", since) == ts
    assert env.fake.calls["conversations.history"] == 2


def test_find_follows_the_cursor_in_a_thread(env: Env) -> None:
    since = _a_moment_ago()
    parent = env.post("notice")
    env.seed(FIND_PAGE_SIZE + 20, thread_ts=parent)  # older: the reply comes last
    reply = env.post("answer", thread_ts=parent, marker="outbox-late")

    assert env.find("outbox-late", since, thread_ts=parent) == reply
    assert env.fake.calls["conversations.replies"] == 2


def test_find_reads_at_most_five_pages(env: Env) -> None:
    since = _a_moment_ago()
    env.post("notice", marker="outbox-buried")
    env.seed(FIND_MAX_PAGES * FIND_PAGE_SIZE)

    assert env.find("outbox-buried", since) is None
    assert env.fake.calls["conversations.history"] == FIND_MAX_PAGES


def test_find_errors_propagate(env: Env) -> None:
    env.fake.fail_next("conversations.history", status=429, retry_after=4)
    with pytest.raises(RateLimited):
        env.find("outbox-1", _a_moment_ago())
    env.fake.fail_next("conversations.replies", status=503, retry_after=None)
    with pytest.raises(ProviderUnavailable):
        env.find("outbox-1", _a_moment_ago(), thread_ts="1.000001")
    with pytest.raises(SlackCallError, match="channel_not_found"):
        env.slack.find_message(TOKEN, channel="C0NOPE", marker="m", since=_a_moment_ago())
    with pytest.raises(ValueError, match="marker"):
        env.find("", _a_moment_ago())


# ---- the after_processing fault: the post went through, the answer was lost ---------


def test_a_plain_fault_posts_nothing(env: Env) -> None:
    since = _a_moment_ago()
    env.fake.fail_next("chat.postMessage", status=500, retry_after=None)
    with pytest.raises(ProviderUnavailable):
        env.post("notice", marker="outbox-9")
    assert env.fake.messages == []
    assert env.find("outbox-9", since) is None


def test_error_after_processing_leaves_the_post_findable(env: Env) -> None:
    since = _a_moment_ago()
    env.fake.fail_next("chat.postMessage", status=500, retry_after=None, after_processing=True)
    with pytest.raises(ProviderUnavailable):
        env.post("notice", marker="outbox-9")

    [stored] = env.fake.messages
    assert stored["metadata"] == _metadata("outbox-9")
    assert env.find("outbox-9", since) == stored["ts"]
    assert env.fake.calls["chat.postMessage"] == 1


def test_timeout_after_processing_in_a_thread(
    env: Env, fake_server: tuple[Switch, RunningServer]
) -> None:
    _, server = fake_server
    impatient = SlackConnector(api_url=f"{server.base_url}/api/", timeout=1)
    since = _a_moment_ago()
    parent = env.post("notice")
    env.fake.fail_next(
        "chat.postMessage", status=500, retry_after=None, delay=1.5, after_processing=True
    )
    with pytest.raises(ProviderUnavailable):
        impatient.post_message(
            TOKEN,
            channel=CHANNEL,
            message=SlackMessage(text="answer"),
            thread_ts=parent,
            marker="outbox-10",
        )

    reply = next(m for m in env.fake.messages if m["ts"] != parent)
    assert reply["thread_ts"] == parent
    assert env.find("outbox-10", since, thread_ts=parent) == reply["ts"]


def test_after_processing_over_the_control_route(env: Env) -> None:
    since = _a_moment_ago()
    request = urllib.request.Request(
        f"{env.base_url}/_fake/slack/fail",
        data=json.dumps(
            {
                "method": "chat.postMessage",
                "status": 502,
                "retry_after": None,
                "count": 2,
                "after_processing": True,
            }
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # loopback fake only
        assert json.loads(response.read()) == {"ok": True}

    for marker in ("outbox-11", "outbox-12"):
        with pytest.raises(ProviderUnavailable):
            env.post("notice", marker=marker)
    found = [env.find(marker, since) for marker in ("outbox-11", "outbox-12")]
    assert found == [m["ts"] for m in env.fake.messages]
    # The faults are used up: the next post answers normally.
    assert env.post("notice", marker="outbox-13") == env.find("outbox-13", since)
