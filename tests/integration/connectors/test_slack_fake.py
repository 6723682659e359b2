"""The real SlackConnector (slack_sdk over HTTP) against SlackFake on a real socket."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from connectors.errors import (
    AuthExpired,
    ConnectorError,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.slack.connector import SlackCallError, SlackConnector
from connectors.slack.fake import SlackFake
from connectors.slack.notice import render_thread_notice
from connectors.slack.signing import verify_slack_request
from connectors.types import Provider, SlackMessage, ThreadNotice

TEAM = "T012AB3C4"
TOKEN = "xoxb-test-bot-token"
CHANNEL = "C0CHAN001"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"


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


# ---- users.info and conversations.info ------------------------------------------------


def test_users_info_returns_the_wire_user(client: WebClient, fake: SlackFake) -> None:
    fake.add_user(
        TEAM, "U0USER001", name="priya", real_name="Priya Shah", email="priya@example.org"
    )
    user = client.users_info(user="U0USER001")["user"]
    assert user["id"] == "U0USER001"
    assert user["team_id"] == TEAM
    assert user["name"] == "priya"
    assert user["real_name"] == "Priya Shah"
    assert user["is_bot"] is False
    assert user["deleted"] is False
    assert user["tz"] == "Europe/London"
    assert isinstance(user["tz_offset"], int)
    profile = user["profile"]
    assert profile["real_name"] == "Priya Shah"
    assert profile["display_name"] == "priya"
    assert profile["email"] == "priya@example.org"
    assert profile["first_name"] == "Priya"
    assert profile["image_48"].startswith("https://")
    assert fake.calls["users.info"] == 1

    # The app's own bot user is known without being added.
    bot = client.users_info(user="U0BOT0001")["user"]
    assert bot["is_bot"] is True
    assert bot["profile"]["bot_id"] == "B0BOT0001"
    assert "email" not in bot["profile"]
    assert fake.calls["users.info"] == 2


def test_users_info_unknown_user(client: WebClient, fake: SlackFake) -> None:
    fake.add_user("T0OTHER", "U0ELSEWHERE", name="x", real_name="X Y")
    for user_id in ("U0NOBODY", "U0ELSEWHERE"):  # another workspace's member is unknown here
        with pytest.raises(SlackApiError) as caught:
            client.users_info(user=user_id)
        assert caught.value.response.status_code == 200
        assert caught.value.response["error"] == "user_not_found"
    assert fake.calls["users.info"] == 2


def test_users_info_needs_the_bot_token(fake: SlackFake, server: RunningServer) -> None:
    fake.reset()
    fake.add_workspace(TEAM, TOKEN, [CHANNEL])
    fake.add_user(TEAM, "U0USER001", name="priya", real_name="Priya Shah")
    url = f"{server.base_url}/api/users.info?user=U0USER001"
    assert _get_json(url) == {"ok": False, "error": "not_authed"}
    assert _get_json(f"{url}&token=xoxb-nope") == {"ok": False, "error": "invalid_auth"}
    assert _get_json(f"{url}&token={TOKEN}")["user"]["name"] == "priya"
    assert fake.calls["users.info"] == 3


def test_users_and_conversations_info_take_faults(client: WebClient, fake: SlackFake) -> None:
    fake.add_user(TEAM, "U0USER001", name="priya", real_name="Priya Shah")
    fake.fail_next("users.info", status=429, retry_after=7)
    fake.fail_next("conversations.info", status=503, retry_after=None)
    with pytest.raises(SlackApiError) as limited:
        client.users_info(user="U0USER001")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["retry-after"] == "7"
    with pytest.raises(SlackApiError) as down:
        client.conversations_info(channel=CHANNEL)
    assert down.value.response.status_code == 503
    assert client.users_info(user="U0USER001")["user"]["real_name"] == "Priya Shah"
    assert client.conversations_info(channel=CHANNEL)["channel"]["id"] == CHANNEL
    assert fake.calls["users.info"] == 2
    assert fake.calls["conversations.info"] == 2


def test_conversations_info(client: WebClient, fake: SlackFake) -> None:
    fake.add_channel(TEAM, "C0OPS", name="#ops")
    ops = client.conversations_info(channel="C0OPS")["channel"]
    assert ops["name"] == "ops"
    assert (ops["is_channel"], ops["is_im"], ops["is_private"]) == (True, False, False)

    unnamed = client.conversations_info(channel=CHANNEL)["channel"]
    assert unnamed["name"] == CHANNEL.lower()

    dm = client.conversations_info(channel="D0DM00001")["channel"]
    assert (dm["is_channel"], dm["is_im"], dm["is_private"]) == (False, True, True)
    assert "user" not in dm  # nobody has written there yet
    fake.say(TEAM, "D0DM00001", "U0USER002", "hello bot")
    assert client.conversations_info(channel="D0DM00001")["channel"]["user"] == "U0USER002"

    with pytest.raises(SlackApiError) as caught:
        client.conversations_info(channel="C0NOPE")
    assert caught.value.response["error"] == "channel_not_found"
    assert fake.calls["conversations.info"] == 5


def test_named_channels_at_add_workspace(fake: SlackFake, server: RunningServer) -> None:
    fake.add_workspace("T0NAMED", "xoxb-named", {"C0GEN": "general", "C0RAND": "#random"})
    client = WebClient(token="xoxb-named", base_url=f"{server.base_url}/api/", retry_handlers=[])
    assert client.conversations_info(channel="C0GEN")["channel"]["name"] == "general"
    assert client.conversations_info(channel="C0RAND")["channel"]["name"] == "random"


# ---- the Events API: deliveries to the app ----------------------------------------------

SECRET = "test-signing-secret-0123456789abcdef"
FIXTURE_ENVELOPE = {
    "token": "verification-token-test",
    "team_id": TEAM,
    "context_team_id": TEAM,
    "context_enterprise_id": None,
    "api_app_id": "A0123ABCD",
    "type": "event_callback",
    "is_ext_shared_channel": False,
    "authorizations": [
        {
            "enterprise_id": None,
            "team_id": TEAM,
            "user_id": "U0BOT0001",
            "is_bot": True,
            "is_enterprise_install": False,
        }
    ],
}
EVENT_ID = re.compile(r"^Ev[A-Z0-9]{9,10}$")


@dataclass
class Receiver:
    """The app's POST /slack/events: keeps what arrives, answers with `status`."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200

    async def endpoint(self, request: Request) -> Response:
        self.requests.append((dict(request.headers), await request.body()))
        return PlainTextResponse("", status_code=self.status)

    def envelopes(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture(scope="module")
def receiver_app() -> Receiver:
    return Receiver()


@pytest.fixture(scope="module")
def receiver_server(receiver_app: Receiver) -> Iterator[RunningServer]:
    app = Starlette(routes=[Route("/slack/events", receiver_app.endpoint, methods=["POST"])])
    with serve_in_thread(app) as running:
        yield running


@pytest.fixture
def receiver(
    slack: SlackConnector, fake: SlackFake, receiver_app: Receiver, receiver_server: RunningServer
) -> Receiver:
    receiver_app.requests.clear()
    receiver_app.status = 200
    fake.configure_events(f"{receiver_server.base_url}/slack/events", SECRET)
    return receiver_app


def test_say_delivers_a_signed_message_event(receiver: Receiver, fake: SlackFake) -> None:
    text = "deploy is failing &amp; noisy, see <https://ci.example.com/build/42> <@U0BOT0001>"
    result = fake.say(TEAM, CHANNEL, "U0USER001", text)

    assert result["status"] == 200
    # Naming the bot also makes Slack send an app_mention (after the message event).
    [(headers, body), (_, mention_body)] = receiver.requests
    mention = json.loads(mention_body)
    assert mention["event_id"] == result["mention"]["event_id"] != result["event_id"]
    assert mention["event"]["type"] == "app_mention"
    assert (mention["event"]["ts"], mention["event"]["text"]) == (result["ts"], text)
    verify_slack_request(SECRET, headers, body)  # raises unless signed with the secret
    with pytest.raises(WebhookRejected):
        verify_slack_request("another-secret", headers, body)
    assert headers["content-type"] == "application/json"
    assert abs(int(headers["x-slack-request-timestamp"]) - time.time()) < 60
    assert "x-slack-retry-num" not in headers
    assert b"https:\\/\\/ci.example.com" in body  # Slack's JSON escapes "/"

    envelope = json.loads(body)
    assert envelope == result["envelope"]
    assert {k: envelope[k] for k in FIXTURE_ENVELOPE} == FIXTURE_ENVELOPE
    fixture_keys = json.loads((FIXTURES / "event_message_channels.json").read_text()).keys()
    assert envelope.keys() == fixture_keys
    assert EVENT_ID.match(envelope["event_id"])
    assert envelope["event_id"] == result["event_id"]
    assert envelope["event_context"].startswith("4-")

    event = envelope["event"]
    assert event["type"] == "message"
    assert "subtype" not in event
    assert event["user"] == "U0USER001"
    assert event["text"] == text
    assert event["ts"] == event["event_ts"] == result["ts"]
    assert envelope["event_time"] == int(result["ts"].split(".")[0])
    assert (event["team"], event["channel"], event["channel_type"]) == (TEAM, CHANNEL, "channel")
    assert len(event["client_msg_id"]) == 36
    assert "thread_ts" not in event
    assert "parent_user_id" not in event
    [block] = event["blocks"]
    assert block["type"] == "rich_text"
    [section] = block["elements"]
    assert section["elements"] == [
        {"type": "text", "text": "deploy is failing & noisy, see "},
        {"type": "link", "url": "https://ci.example.com/build/42"},
        {"type": "text", "text": " "},
        {"type": "user", "user_id": "U0BOT0001"},
    ]
    assert fake.deliveries[-2] == {
        "event_id": result["event_id"],
        "type": "message",
        "subtype": None,
        "retry_num": 0,
        "status": 200,
    }
    assert fake.deliveries[-1]["type"] == "app_mention"


def test_event_ids_are_unique(receiver: Receiver, fake: SlackFake) -> None:
    ids = {fake.say(TEAM, CHANNEL, "U0USER001", f"n{i}")["event_id"] for i in range(20)}
    assert len(ids) == 20
    assert [e["event_id"] for e in receiver.envelopes()] == [d["event_id"] for d in fake.deliveries]


def test_replies_carry_thread_ts_and_are_stored(
    receiver: Receiver, fake: SlackFake, client: WebClient
) -> None:
    parent = fake.say(TEAM, CHANNEL, "U0USER001", "anyone seen the outage?")
    reply = fake.say(TEAM, CHANNEL, "U0USER002", "yes, looking", thread_ts=parent["ts"])
    # Replying to a reply stays in the root's thread.
    again = fake.say(TEAM, CHANNEL, "U0USER003", "me too", thread_ts=reply["ts"])

    events = [e["event"] for e in receiver.envelopes()]
    assert [e["ts"] for e in events] == [parent["ts"], reply["ts"], again["ts"]]
    assert "thread_ts" not in events[0]
    for event in events[1:]:
        assert event["thread_ts"] == parent["ts"]
        assert event["parent_user_id"] == "U0USER001"

    thread = client.conversations_replies(channel=CHANNEL, ts=parent["ts"])["messages"]
    assert [(m["user"], m["text"]) for m in thread] == [
        ("U0USER001", "anyone seen the outage?"),
        ("U0USER002", "yes, looking"),
        ("U0USER003", "me too"),
    ]
    assert thread[1]["client_msg_id"] == events[1]["client_msg_id"]
    assert thread[1]["thread_ts"] == parent["ts"]
    assert thread[1]["parent_user_id"] == "U0USER001"

    with pytest.raises(LookupError, match="message_not_found"):
        fake.say(TEAM, CHANNEL, "U0USER001", "x", thread_ts="1.000001")
    with pytest.raises(LookupError, match="channel_not_found"):
        fake.say(TEAM, "C0NOPE", "U0USER001", "x")


def test_a_dm_is_an_im_event(receiver: Receiver, fake: SlackFake) -> None:
    result = fake.say(TEAM, "D0DM00001", "U0USER001", "remind me to renew the TLS cert")
    [envelope] = receiver.envelopes()
    assert envelope["event"]["channel"] == "D0DM00001"
    assert envelope["event"]["channel_type"] == "im"
    assert result["status"] == 200
    assert fake.messages_in("D0DM00001")[0]["text"] == "remind me to renew the TLS cert"


def test_edit_delivers_message_changed(
    receiver: Receiver, fake: SlackFake, client: WebClient
) -> None:
    said = fake.say(TEAM, CHANNEL, "U0USER001", "deploy at 5")
    edited = fake.edit(TEAM, CHANNEL, said["ts"], "deploy at 6")

    assert edited["status"] == 200
    assert edited["ts"] == said["ts"]
    assert edited["event_id"] != said["event_id"]
    headers, body = receiver.requests[-1]
    verify_slack_request(SECRET, headers, body)
    event = json.loads(body)["event"]
    assert event["type"] == "message"
    assert event["subtype"] == "message_changed"
    assert event["hidden"] is True
    assert event["channel"] == CHANNEL
    assert event["channel_type"] == "channel"
    assert event["ts"] == event["event_ts"] == edited["event_ts"]
    assert float(event["ts"]) > float(said["ts"])
    assert "user" not in event
    message = event["message"]
    assert message["ts"] == said["ts"]
    assert message["text"] == "deploy at 6"
    assert message["user"] == "U0USER001"
    assert message["edited"] == {"user": "U0USER001", "ts": edited["event_ts"]}
    assert message["blocks"][0]["elements"][0]["elements"] == [
        {"type": "text", "text": "deploy at 6"}
    ]
    previous = event["previous_message"]
    assert (previous["ts"], previous["text"]) == (said["ts"], "deploy at 5")
    assert "edited" not in previous
    assert message["client_msg_id"] == previous["client_msg_id"]

    [stored] = client.conversations_replies(channel=CHANNEL, ts=said["ts"])["messages"]
    assert stored["text"] == "deploy at 6"
    assert stored["edited"]["ts"] == edited["event_ts"]


def test_editing_a_reply_keeps_its_thread(receiver: Receiver, fake: SlackFake) -> None:
    parent = fake.say(TEAM, CHANNEL, "U0USER001", "root")
    reply = fake.say(TEAM, CHANNEL, "U0USER002", "reply", thread_ts=parent["ts"])
    message = fake.edit(TEAM, CHANNEL, reply["ts"], "reply!")["envelope"]["event"]["message"]
    assert message["thread_ts"] == parent["ts"]
    assert message["parent_user_id"] == "U0USER001"


def test_delete_delivers_message_deleted(
    receiver: Receiver, fake: SlackFake, client: WebClient
) -> None:
    said = fake.say(TEAM, CHANNEL, "U0USER001", "oops, wrong channel")
    deleted = fake.delete(TEAM, CHANNEL, said["ts"])

    assert deleted["status"] == 200
    headers, body = receiver.requests[-1]
    verify_slack_request(SECRET, headers, body)
    event = json.loads(body)["event"]
    assert event["subtype"] == "message_deleted"
    assert event["hidden"] is True
    assert event["deleted_ts"] == said["ts"]
    assert event["channel"] == CHANNEL
    assert event["ts"] == event["event_ts"] == deleted["event_ts"] != said["ts"]
    assert event["previous_message"]["text"] == "oops, wrong channel"
    assert event["previous_message"]["user"] == "U0USER001"
    assert "message" not in event

    assert fake.messages_in(CHANNEL) == []
    with pytest.raises(SlackApiError) as caught:
        client.conversations_replies(channel=CHANNEL, ts=said["ts"])
    assert caught.value.response["error"] == "thread_not_found"
    with pytest.raises(LookupError):
        fake.delete(TEAM, CHANNEL, said["ts"])
    with pytest.raises(LookupError):
        fake.edit(TEAM, CHANNEL, said["ts"], "too late")


def test_redeliver_is_slacks_retry(receiver: Receiver, fake: SlackFake) -> None:
    receiver.status = 500
    said = fake.say(TEAM, CHANNEL, "U0USER001", "flaky")
    assert said["status"] == 500

    receiver.status = 200
    assert fake.redeliver(said["event_id"], retry_num=1, reason="http_error") == 200
    assert fake.redeliver(said["event_id"], retry_num=2) == 200

    (first_headers, first), (retry_headers, retry), (second_headers, second) = receiver.requests
    assert retry == first == second
    assert json.loads(retry)["event_id"] == said["event_id"]
    verify_slack_request(SECRET, retry_headers, retry)
    assert "x-slack-retry-num" not in first_headers
    assert (retry_headers["x-slack-retry-num"], retry_headers["x-slack-retry-reason"]) == (
        "1",
        "http_error",
    )
    assert (second_headers["x-slack-retry-num"], second_headers["x-slack-retry-reason"]) == (
        "2",
        "http_timeout",
    )
    assert [(d["retry_num"], d["status"]) for d in fake.deliveries] == [
        (0, 500),
        (1, 200),
        (2, 200),
    ]

    with pytest.raises(ValueError, match=r"1\.\.3"):
        fake.redeliver(said["event_id"], retry_num=4)
    with pytest.raises(ValueError, match="reason"):
        fake.redeliver(said["event_id"], retry_num=3, reason="bored")
    with pytest.raises(LookupError):
        fake.redeliver("Ev0NOSUCH00", retry_num=1)


def test_without_a_request_url_messages_are_only_stored() -> None:
    fake = SlackFake()
    fake.add_workspace(TEAM, TOKEN, [CHANNEL])
    result = fake.say(TEAM, CHANNEL, "U0USER001", "nobody listens")
    assert result["status"] is None
    assert result["envelope"]["event"]["text"] == "nobody listens"
    assert [m["ts"] for m in fake.messages_in(CHANNEL)] == [result["ts"]]
    with pytest.raises(LookupError, match="configure_events"):
        fake.redeliver(result["event_id"], retry_num=1)


def test_unreachable_request_url_is_status_none() -> None:
    from connectors.fakeserver import free_port

    fake = SlackFake()
    fake.add_workspace(TEAM, TOKEN, [CHANNEL])
    fake.configure_events(f"http://127.0.0.1:{free_port()}/slack/events", SECRET, timeout=2)
    assert fake.say(TEAM, CHANNEL, "U0USER001", "hello?")["status"] is None
    assert fake.deliveries[-1]["status"] is None


def _post_json(url: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback fake only
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_control_routes_say_edit_delete(
    receiver: Receiver, fake: SlackFake, server: RunningServer
) -> None:
    base = f"{server.base_url}/_fake/slack"
    # No team_id: the first workspace added.
    status, said = _post_json(
        f"{base}/say", {"channel": CHANNEL, "user": "U0USER001", "text": "from outside"}
    )
    assert status == 200
    assert said["status"] == 200
    assert said["envelope"]["team_id"] == TEAM
    status, reply = _post_json(
        f"{base}/say",
        {
            "team_id": TEAM,
            "channel": CHANNEL,
            "user": "U0USER002",
            "text": "reply",
            "thread_ts": said["ts"],
        },
    )
    assert reply["envelope"]["event"]["thread_ts"] == said["ts"]
    status, edited = _post_json(
        f"{base}/edit", {"channel": CHANNEL, "ts": said["ts"], "text": "edited outside"}
    )
    assert edited["envelope"]["event"]["subtype"] == "message_changed"
    status, deleted = _post_json(f"{base}/delete", {"channel": CHANNEL, "ts": reply["ts"]})
    assert deleted["envelope"]["event"]["deleted_ts"] == reply["ts"]
    status, redelivered = _post_json(
        f"{base}/redeliver", {"event_id": said["event_id"], "retry_num": 1}
    )
    assert redelivered == {"ok": True, "status": 200}

    subtypes = [e["event"].get("subtype") for e in receiver.envelopes()]
    assert subtypes == [None, None, "message_changed", "message_deleted", None]
    assert [m["text"] for m in fake.messages_in(CHANNEL)] == ["edited outside"]
    remote = _get_json(f"{base}/deliveries")["deliveries"]
    assert [d["retry_num"] for d in remote] == [0, 0, 0, 0, 1]

    assert _post_json(f"{base}/say", {"channel": "C0NOPE", "user": "U1", "text": "x"})[0] == 404
    assert _post_json(f"{base}/say", {"channel": CHANNEL, "user": "U1"})[0] == 400
    assert _post_json(f"{base}/edit", {"channel": CHANNEL, "ts": "1.1", "text": "x"})[0] == 404


def test_control_routes_users_and_events(fake: SlackFake, server: RunningServer) -> None:
    fake.reset()
    fake.add_workspace(TEAM, TOKEN, [CHANNEL])
    base = f"{server.base_url}/_fake/slack"
    user = {"user_id": "U0USER009", "name": "sam", "real_name": "Sam Lee", "email": "s@x.org"}
    assert _post_json(f"{base}/users", user) == (200, {"ok": True})
    url = f"{server.base_url}/api/users.info?user=U0USER009&token={TOKEN}"
    assert _get_json(url)["user"]["profile"]["email"] == "s@x.org"

    received: list[bytes] = []

    async def endpoint(request: Request) -> Response:
        received.append(await request.body())
        return PlainTextResponse("")

    app = Starlette(routes=[Route("/hook", endpoint, methods=["POST"])])
    with serve_in_thread(app) as hook:
        config = {"url": f"{hook.base_url}/hook", "signing_secret": SECRET}
        assert _post_json(f"{base}/events", config) == (200, {"ok": True})
        fake.say(TEAM, CHANNEL, "U0USER009", "hi")
    assert json.loads(received[0])["event"]["user"] == "U0USER009"


def test_sandbox_seeds_people_and_channel_names() -> None:
    from connectors import sandbox

    running = sandbox.start_sandbox()
    try:
        client = WebClient(
            token=sandbox.SLACK_BOT_TOKEN, base_url=f"{running.base_url}/api/", retry_handlers=[]
        )
        priya = client.users_info(user="U0USER001")["user"]
        assert (priya["name"], priya["real_name"]) == ("priya", "Priya Shah")
        assert priya["profile"]["email"] == "priya@example.org"
        assert client.users_info(user="U0USER002")["user"]["real_name"] == "Marco Rossi"
        channel = client.conversations_info(channel=sandbox.SLACK_CHANNEL)["channel"]
        assert channel["name"] == "inbox"
    finally:
        running.stop()
