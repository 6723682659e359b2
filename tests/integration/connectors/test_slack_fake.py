"""The real SlackConnector (slack_sdk over HTTP) against SlackFake on a real socket."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.slack.connector import SlackCallError, SlackConnector
from connectors.slack.fake import SlackFake
from connectors.slack.notice import render_thread_notice
from connectors.types import Provider, SlackMessage, ThreadNotice

TEAM = "T012AB3C4"
TOKEN = "xoxb-test-bot-token"
CHANNEL = "C0CHAN001"


@pytest.fixture(scope="module")
def fake() -> SlackFake:
    return SlackFake()


@pytest.fixture(scope="module")
def server(fake: SlackFake) -> Iterator[RunningServer]:
    with serve_in_thread(fake.asgi_app()) as running:
        yield running


@pytest.fixture
def slack(fake: SlackFake, server: RunningServer) -> SlackConnector:
    fake.reset()
    fake.add_workspace(TEAM, TOKEN, [CHANNEL, "D0DM00001"])
    return SlackConnector(api_url=f"{server.base_url}/api/", timeout=5)


def _notice() -> ThreadNotice:
    return ThreadNotice(
        subject="Invoice 42 overdue",
        sender="Jane <jane@example.com>",
        summary="<!channel> please pay <https://evil|here>",
        category="billing",
        priority="high",
        needs_reply=True,
        link="https://mail.example.com/t/1",
    )


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback fake only
        return json.loads(response.read())


def test_provider(slack: SlackConnector) -> None:
    assert slack.provider is Provider.SLACK


def test_auth_test_returns_team(slack: SlackConnector) -> None:
    assert slack.auth_test(TOKEN) == TEAM


def test_post_message_records_blocks(
    slack: SlackConnector, fake: SlackFake, server: RunningServer
) -> None:
    message = render_thread_notice(_notice())
    ts = slack.post_message(TOKEN, channel=CHANNEL, message=message)

    assert ts
    assert fake.calls["chat.postMessage"] == 1
    [posted] = fake.messages
    assert posted["channel"] == CHANNEL
    assert posted["ts"] == ts
    assert posted["team"] == TEAM
    assert posted["text"] == message.text
    assert [b["type"] for b in posted["blocks"]] == ["header", "section", "context"]
    assert "<!channel>" not in json.dumps(posted["blocks"])

    # The control endpoint shows the same thing to other processes.
    remote = _get_json(f"{server.base_url}/_fake/slack/messages")["messages"]
    assert [m["ts"] for m in remote] == [ts]


def test_post_in_thread(slack: SlackConnector, fake: SlackFake) -> None:
    parent = slack.post_message(TOKEN, channel=CHANNEL, message=SlackMessage(text="parent"))
    reply = slack.post_message(
        TOKEN, channel=CHANNEL, message=SlackMessage(text="reply"), thread_ts=parent
    )
    assert fake.messages[-1]["thread_ts"] == parent
    assert reply != parent


def test_invalid_token_is_auth_expired(slack: SlackConnector) -> None:
    with pytest.raises(AuthExpired):
        slack.post_message("xoxb-unknown", channel=CHANNEL, message=SlackMessage(text="hi"))
    with pytest.raises(AuthExpired):
        slack.auth_test("xoxb-unknown")


def test_revoked_token_is_auth_expired(slack: SlackConnector, fake: SlackFake) -> None:
    fake.revoke_token(TOKEN)
    with pytest.raises(AuthExpired, match="token_revoked"):
        slack.auth_test(TOKEN)


def test_unknown_channel_is_connector_error(slack: SlackConnector, fake: SlackFake) -> None:
    with pytest.raises(ConnectorError, match="channel_not_found") as caught:
        slack.post_message(TOKEN, channel="C0NOPE", message=SlackMessage(text="hi"))
    assert isinstance(caught.value, SlackCallError)
    assert caught.value.code == "channel_not_found"
    assert not isinstance(caught.value, (AuthExpired, RateLimited, ProviderUnavailable))
    assert fake.messages == []


def test_injected_429_is_rate_limited(slack: SlackConnector, fake: SlackFake) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=3)
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        slack.post_message(TOKEN, channel=CHANNEL, message=SlackMessage(text="hi"))
    assert caught.value.retry_after == 3.0
    # No hidden retry inside slack_sdk: one call, no 3 s sleep.
    assert fake.calls["chat.postMessage"] == 1
    assert time.monotonic() - started < 2
    # The fault was one-shot: the outbox's retry goes through.
    assert slack.post_message(TOKEN, channel=CHANNEL, message=SlackMessage(text="hi"))


def test_injected_5xx_is_unavailable(slack: SlackConnector, fake: SlackFake) -> None:
    fake.fail_next("chat.postMessage", status=503, retry_after=None)
    with pytest.raises(ProviderUnavailable):
        slack.post_message(TOKEN, channel=CHANNEL, message=SlackMessage(text="hi"))
    assert fake.calls["chat.postMessage"] == 1


def test_connection_refused_is_unavailable() -> None:
    from connectors.fakeserver import free_port

    dead = SlackConnector(api_url=f"http://127.0.0.1:{free_port()}/api/", timeout=2)
    with pytest.raises(ProviderUnavailable):
        dead.auth_test(TOKEN)


def test_update_changes_recorded_message(slack: SlackConnector, fake: SlackFake) -> None:
    ts = slack.post_message(TOKEN, channel=CHANNEL, message=render_thread_notice(_notice()))
    updated = SlackMessage(
        text="Task created",
        blocks=({"type": "section", "text": {"type": "mrkdwn", "text": "Task created"}},),
    )
    assert slack.update_message(TOKEN, channel=CHANNEL, ts=ts, message=updated) == ts
    [record] = fake.messages
    assert record["text"] == "Task created"
    assert record["blocks"] == [dict(updated.blocks[0])]
    assert fake.calls["chat.update"] == 1


def test_update_unknown_message(slack: SlackConnector) -> None:
    with pytest.raises(SlackCallError, match="message_not_found"):
        slack.update_message(TOKEN, channel=CHANNEL, ts="1.000001", message=SlackMessage(text="x"))


def test_fake_checks_block_kit_limits(slack: SlackConnector) -> None:
    too_many = tuple({"type": "divider"} for _ in range(51))
    with pytest.raises(SlackCallError, match="invalid_blocks"):
        slack.post_message(TOKEN, channel=CHANNEL, message=SlackMessage(text="x", blocks=too_many))
    long_section = ({"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}},)
    with pytest.raises(SlackCallError, match="invalid_blocks"):
        slack.post_message(
            TOKEN, channel=CHANNEL, message=SlackMessage(text="x", blocks=long_section)
        )
    # slack_sdk itself warns about a missing fallback text before sending it.
    with (
        pytest.warns(UserWarning, match="text"),
        pytest.raises(SlackCallError, match="no_text"),
    ):
        slack.post_message(TOKEN, channel=CHANNEL, message=SlackMessage(text=""))


# ---- the rest of the fake's surface, driven by slack_sdk directly --------------------


@pytest.fixture
def client(slack: SlackConnector, server: RunningServer) -> WebClient:
    return WebClient(token=TOKEN, base_url=f"{server.base_url}/api/", retry_handlers=[])


def test_replies_ephemeral_and_views(client: WebClient, fake: SlackFake) -> None:
    parent = fake.seed_message(TEAM, CHANNEL, "island")
    for text in ("one", "two", "three"):
        fake.seed_message(TEAM, CHANNEL, text, thread_ts=parent)

    first = client.conversations_replies(channel=CHANNEL, ts=parent, limit=2)
    assert [m["text"] for m in first["messages"]] == ["island", "one"]
    assert first["has_more"] is True
    second = client.conversations_replies(
        channel=CHANNEL, ts=parent, limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in second["messages"]] == ["two", "three"]
    assert second["has_more"] is False

    eph = client.chat_postEphemeral(channel=CHANNEL, user="U0USER001", text="only you")
    assert eph["message_ts"]
    assert fake.ephemerals[-1]["text"] == "only you"

    modal = {
        "type": "modal",
        "callback_id": "create_task_modal",
        "title": {"type": "plain_text", "text": "New task"},
        "blocks": [],
    }
    opened = client.views_open(trigger_id="123.456.abc", view=modal)
    assert opened["view"]["callback_id"] == "create_task_modal"
    fake.expire_trigger("old.trigger")
    with pytest.raises(SlackApiError) as caught:
        client.views_open(trigger_id="old.trigger", view=modal)
    assert caught.value.response["error"] == "expired_trigger_id"

    home = client.views_publish(user_id="U0USER001", view={"type": "home", "blocks": []})
    assert home["view"]["type"] == "home"
    assert [v["method"] for v in fake.views] == ["views.open", "views.publish"]


def test_form_encoded_and_token_field(server: RunningServer, fake: SlackFake) -> None:
    fake.add_workspace(TEAM, TOKEN, [CHANNEL])
    body = (
        f"token={TOKEN}&channel={CHANNEL}&text=hi"
        '&blocks=[{"type":"section","text":{"type":"mrkdwn","text":"hi"}}]'
    ).encode()
    request = urllib.request.Request(
        f"{server.base_url}/api/chat.postMessage",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # loopback fake only
        data = json.loads(response.read())
    assert data["ok"] is True
    assert data["message"]["blocks"][0]["text"]["text"] == "hi"


def test_unknown_thread(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.conversations_replies(channel=CHANNEL, ts="9.000009")
    assert caught.value.response["error"] == "thread_not_found"


def test_timeout_is_unavailable(fake: SlackFake, server: RunningServer) -> None:
    fake.add_workspace(TEAM, TOKEN, [CHANNEL])
    fake.fail_next("auth.test", status=503, retry_after=None, delay=1.5)
    impatient = SlackConnector(api_url=f"{server.base_url}/api/", timeout=1)
    with pytest.raises(ProviderUnavailable):
        impatient.auth_test(TOKEN)
