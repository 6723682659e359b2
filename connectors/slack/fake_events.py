"""SlackFake's Events API side: envelopes and message events as Slack sends them.

What the fake POSTs to an app's Request URL (fixtures/slack/event_message_*.json):
an `event_callback` envelope around a `message` event, signed v0 like every request
Slack sends, and retried with X-Slack-Retry-Num / X-Slack-Retry-Reason. Also the wire
shapes of users.info's user and conversations.info's channel objects.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
import time
import uuid
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from connectors.slack.signing import sign_slack_request

VERIFICATION_TOKEN = "verification-token-test"  # noqa: S105 - the legacy, ignored token
DEFAULT_TZ = "Europe/London"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
RETRY_REASONS = frozenset(
    {
        "http_timeout",
        "http_error",
        "connection_failed",
        "ssl_error",
        "too_many_redirects",
        "unknown_error",
    }
)
MAX_RETRIES = 3

_ID_CHARS = string.ascii_uppercase + string.digits
_BLOCK_ID_CHARS = string.ascii_letters + string.digits
# <@U123>, <#C123|name>, <!here>, <https://x|label>: Slack's markup inside message text.
_MARKUP = re.compile(r"<([^<>]+)>")
_BROADCASTS = {"!here": "here", "!channel": "channel", "!everyone": "everyone"}


@dataclass(frozen=True)
class EventsTarget:
    """Where event_callback deliveries go (the app's Request URL) and how to sign them."""

    url: str
    signing_secret: str
    verification_token: str = VERIFICATION_TOKEN
    timeout: float = 10.0


@dataclass(frozen=True)
class FakeUser:
    id: str
    team_id: str
    name: str
    real_name: str
    email: str | None = None
    is_bot: bool = False
    display_name: str | None = None
    tz: str = DEFAULT_TZ
    deleted: bool = False
    bot_id: str | None = None
    app_id: str | None = None

    def wire(self) -> dict[str, Any]:
        """users.info's `user` object (common fields of the real response)."""
        first, _, last = self.real_name.partition(" ")
        display = self.name if self.display_name is None else self.display_name
        avatar = f"g{zlib.crc32(self.id.encode()):08x}abc"
        image = f"https://secure.gravatar.com/avatar/{avatar}.jpg?s="
        profile: dict[str, Any] = {
            "title": "",
            "phone": "",
            "skype": "",
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": display,
            "display_name_normalized": display,
            "fields": None,
            "status_text": "",
            "status_emoji": "",
            "status_emoji_display_info": [],
            "status_expiration": 0,
            "avatar_hash": avatar,
            "first_name": first,
            "last_name": last,
            "image_24": f"{image}24",
            "image_32": f"{image}32",
            "image_48": f"{image}48",
            "image_72": f"{image}72",
            "image_192": f"{image}192",
            "image_512": f"{image}512",
            "status_text_canonical": "",
            "team": self.team_id,
        }
        if self.email is not None:
            profile["email"] = self.email  # only with users:read.email on real Slack
        if self.is_bot:
            profile["bot_id"] = self.bot_id
            profile["api_app_id"] = self.app_id or ""
            profile["always_active"] = True
        offset, label = _tz_details(self.tz)
        user: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": f"{zlib.crc32(self.name.encode()) & 0xFFFFFF:06x}",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": label,
            "tz_offset": offset,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1714000000,
            "is_email_confirmed": not self.is_bot,
            "who_can_share_contact_card": "EVERYONE",
        }
        return user


def _tz_details(tz: str) -> tuple[int, str]:
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        now = datetime.now(UTC)
    offset = now.utcoffset()
    return (int(offset.total_seconds()) if offset else 0), (now.tzname() or "UTC")


def channel_type(channel: str) -> str:
    """Message events' channel_type: D… is a DM ("im"), C… and G… are channels."""
    return "im" if channel.startswith("D") else "channel"


def channel_wire(
    channel: str, name: str, team_id: str, *, im_user: str | None = None
) -> dict[str, Any]:
    """conversations.info's `channel` object."""
    is_im = channel.startswith("D")
    legacy_private = channel.startswith("G")  # pre-2021 private channels: is_group
    wire: dict[str, Any] = {
        "id": channel,
        "name": name,
        "name_normalized": name,
        "is_channel": not is_im and not legacy_private,
        "is_group": legacy_private,
        "is_im": is_im,
        "is_mpim": False,
        "is_private": is_im or legacy_private,
        "created": 1700000000,
        "is_archived": False,
        "is_general": False,
        "unlinked": 0,
        "is_shared": False,
        "is_org_shared": False,
        "is_ext_shared": False,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "context_team_id": team_id,
        "shared_team_ids": [team_id],
        "updated": 1700000000000,
        "is_member": True,
        "last_read": "0000000000.000000",
    }
    if is_im:
        wire["is_open"] = True
        wire["priority"] = 0
        wire["is_user_deleted"] = False
        if im_user is not None:
            wire["user"] = im_user
    else:
        wire["creator"] = "U0USER001"
        wire["topic"] = {"value": "", "creator": "", "last_set": 0}
        wire["purpose"] = {"value": "", "creator": "", "last_set": 0}
        wire["previous_names"] = []
    return wire


def new_event_id() -> str:
    return "Ev" + "".join(secrets.choice(_ID_CHARS) for _ in range(10))


def new_client_msg_id() -> str:
    return str(uuid.uuid4())


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _markup_element(inner: str) -> dict[str, Any]:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return {"type": "user", "user_id": target[1:]}
    if target.startswith("#"):
        return {"type": "channel", "channel_id": target[1:]}
    if target in _BROADCASTS:
        return {"type": "broadcast", "range": _BROADCASTS[target]}
    element: dict[str, Any] = {"type": "link", "url": _unescape(target)}
    if label:
        element["text"] = _unescape(label)
    return element


def rich_text_blocks(text: str) -> list[dict[str, Any]]:
    """The rich_text block a Slack client sends with text (itself in Slack markup)."""
    elements: list[dict[str, Any]] = []
    position = 0
    for match in _MARKUP.finditer(text):
        if match.start() > position:
            elements.append({"type": "text", "text": _unescape(text[position : match.start()])})
        elements.append(_markup_element(match.group(1)))
        position = match.end()
    if position < len(text):
        elements.append({"type": "text", "text": _unescape(text[position:])})
    block_id = "".join(secrets.choice(_BLOCK_ID_CHARS) for _ in range(4))
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": block_id, "elements": [section]}]


def message_view(record: Mapping[str, Any]) -> dict[str, Any]:
    """A stored message as Slack shows it (in message_changed / previous_message)."""
    message: dict[str, Any] = {"type": "message", "text": record["text"]}
    if record.get("client_msg_id"):
        message["client_msg_id"] = record["client_msg_id"]
    for key in ("user", "bot_id", "team"):
        if record.get(key):
            message[key] = record[key]
    if isinstance(record.get("edited"), dict):
        message["edited"] = dict(record["edited"])
    if record.get("blocks"):
        message["blocks"] = record["blocks"]
    message["ts"] = record["ts"]
    if record.get("thread_ts"):
        message["thread_ts"] = record["thread_ts"]
        if record.get("parent_user_id"):
            message["parent_user_id"] = record["parent_user_id"]
    if record.get("team"):
        message["source_team"] = record["team"]
        message["user_team"] = record["team"]
    return message


def message_event(record: Mapping[str, Any]) -> dict[str, Any]:
    """The `message` event of a new message (message.channels / message.im)."""
    event: dict[str, Any] = {
        "user": record["user"],
        "type": "message",
        "ts": record["ts"],
        "client_msg_id": record["client_msg_id"],
        "text": record["text"],
        "team": record["team"],
    }
    if record.get("thread_ts"):
        event["thread_ts"] = record["thread_ts"]
        event["parent_user_id"] = record["parent_user_id"]
    event["blocks"] = record["blocks"]
    event["channel"] = record["channel"]
    event["event_ts"] = record["ts"]
    event["channel_type"] = channel_type(record["channel"])
    return event


def mention_event(record: Mapping[str, Any]) -> dict[str, Any]:
    """The `app_mention` Slack sends beside the message when it names the app's bot."""
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": record["user"],
        "ts": record["ts"],
        "client_msg_id": record["client_msg_id"],
        "text": record["text"],
        "team": record["team"],
        "blocks": record["blocks"],
        "channel": record["channel"],
        "event_ts": record["ts"],
    }
    if record.get("thread_ts"):
        event["thread_ts"] = record["thread_ts"]
    return event


def changed_event(
    previous: Mapping[str, Any], current: Mapping[str, Any], event_ts: str
) -> dict[str, Any]:
    channel = str(current["channel"])
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": message_view(current),
        "previous_message": message_view(previous),
        "channel": channel,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel_type(channel),
    }


def deleted_event(previous: Mapping[str, Any], event_ts: str) -> dict[str, Any]:
    channel = str(previous["channel"])
    return {
        "type": "message",
        "subtype": "message_deleted",
        "previous_message": message_view(previous),
        "channel": channel,
        "hidden": True,
        "deleted_ts": previous["ts"],
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel_type(channel),
    }


def _event_context(team_id: str, app_id: str, channel: str, event_type: str) -> str:
    data = json.dumps(
        {"et": event_type, "tid": team_id, "aid": app_id, "cid": channel},
        separators=(",", ":"),
    )
    return "4-" + base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def envelope(
    event: Mapping[str, Any],
    *,
    team_id: str,
    app_id: str,
    bot_user_id: str,
    event_id: str,
    verification_token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """The event_callback envelope around event, as in fixtures/slack/event_*.json."""
    event_ts = str(event["event_ts"])
    return {
        "token": verification_token,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(event_ts.split(".", 1)[0]),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": _event_context(
            team_id, app_id, str(event.get("channel", "")), str(event["type"])
        ),
    }


def encode(body: Mapping[str, Any]) -> bytes:
    """Slack's JSON: compact, non-ASCII as \\uXXXX and "/" escaped as "\\/" (PHP style).

    Only inside strings can "/" occur in JSON, so escaping every one is safe; it makes
    a receiver that verifies a re-serialized body instead of the raw bytes fail.
    """
    return json.dumps(body, separators=(",", ":")).replace("/", "\\/").encode()


def post(target: EventsTarget, body: bytes, *, retry: tuple[int, str] | None = None) -> int | None:
    """POST body to the Request URL, freshly signed; the HTTP status, None if unreachable."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **sign_slack_request(target.signing_secret, body, int(time.time())),
    }
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry[0])
        headers["X-Slack-Retry-Reason"] = retry[1]
    try:
        with httpx.Client(timeout=target.timeout) as client:
            response = client.post(target.url, content=body, headers=headers)
    except httpx.HTTPError:
        return None
    return response.status_code
