"""Slack Web API client for the hub's outbound messages (a ChatSink) and app installs.

Tokens are per workspace, so each call builds a cheap slack_sdk WebClient for the
token it is given. Only people's and channels' names are remembered (for an hour), so
that reading a message event (a ChatSource) does not ask Slack for them every time.
Every failure is mapped onto the connector error family so the outbox can decide what
to do.

Installing the app into a workspace ("Add to Slack") is Slack's OAuth v2 flow: the
browser goes to authorize_url(), Slack redirects back with a code, and exchange_install()
trades it at oauth.v2.access for the workspace's bot token, team and notice channel.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from http.client import HTTPException
from typing import Any
from urllib.parse import quote, urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.mail.types import Address, ParsedMessage
from connectors.slack.directory import TimedCache
from connectors.slack.events import (
    MessageEvent,
    parsed_message,
    read_mention_event,
    read_message_event,
)
from connectors.slack.plaintext import mentioned_users
from connectors.types import (
    ChatChange,
    ChatChangeKind,
    ChatMention,
    ConnectedAccount,
    Provider,
    SlackMessage,
    TokenGrant,
)

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
# What the app's features need: post notices and answers (chat:write), /inbox and /task
# (commands), hear mentions (app_mentions:read), take in channel, private-channel and DM
# messages and read threads and recent posts (channels:, groups:, im:history), name
# channels (channels:, groups:, im:read) and people (users:read, users:read.email), and
# let the installing user pick the notice channel (incoming-webhook). The Home tab
# needs no scope.
DEFAULT_BOT_SCOPES = (
    "chat:write",
    "commands",
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "im:history",
    "channels:read",
    "groups:read",
    "im:read",
    "users:read",
    "users:read.email",
    "incoming-webhook",
)
# A bot token without token rotation never expires; the grant still needs a date.
NON_EXPIRING = timedelta(days=3650)

# Message metadata tagging every post that carries a marker (the outbox row id), so that
# after a failure whose outcome is unknown find_message can tell whether it went through.
DELIVERY_EVENT_TYPE = "inbox_hub_delivery"
# find_message reads at most this many pages of FIND_PAGE_SIZE messages.
FIND_PAGE_SIZE = 200
FIND_MAX_PAGES = 5

# The token is no longer usable: the workspace must reinstall the app.
AUTH_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "no_permission",
        "org_login_required",
        "ekm_access_denied",
    }
)
# Slack-side trouble reported with HTTP 200: worth retrying later.
UNAVAILABLE_ERRORS = frozenset(
    {"fatal_error", "internal_error", "service_unavailable", "request_timeout"}
)
# oauth.v2.access refusing the code itself: the user has to start the install again.
CODE_REFUSED_ERRORS = frozenset(
    {"invalid_code", "code_already_used", "code_expired", "bad_redirect_uri", "invalid_grant_type"}
)

# slack_sdk logs request and response bodies (message text) at DEBUG when its
# logger's own level allows it; a dedicated logger pinned at INFO keeps them out.
_sdk_logger = logging.getLogger("connectors.slack.sdk")
_sdk_logger.setLevel(logging.INFO)


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for key, value in headers.items():
        if key.lower() != "retry-after":
            continue
        raw = value[0] if isinstance(value, list) and value else value
        try:
            return max(0.0, float(raw))
        except (TypeError, ValueError):
            return None
    return None


class SlackCallError(ConnectorError):
    """Any other Slack error (channel_not_found, not_in_channel, invalid_blocks, ...)."""

    def __init__(self, method: str, code: str) -> None:
        super().__init__(f"slack {method}: {code}")
        # Flows branch on the code (e.g. ask the user to invite the bot).
        self.code = code


def _map_api_error(method: str, response: SlackResponse) -> ConnectorError:
    status = response.status_code
    data = response.data if isinstance(response.data, dict) else {}
    code = str(data.get("error") or f"http_{status}")
    if status == 429 or code == "ratelimited":
        return RateLimited(
            f"slack {method}: ratelimited", retry_after=_retry_after(response.headers)
        )
    if code in AUTH_ERRORS:
        return AuthExpired(f"slack {method}: {code}")
    if status >= 500 or code in UNAVAILABLE_ERRORS:
        return ProviderUnavailable(f"slack {method}: {code if status < 500 else status}")
    return SlackCallError(method, code)


def _map_oauth_error(method: str, response: SlackResponse) -> ConnectorError:
    data = response.data if isinstance(response.data, dict) else {}
    code = data.get("error")
    if response.status_code == 200 and code in CODE_REFUSED_ERRORS:
        return AuthExpired(f"slack: authorization code refused ({code})")
    # invalid_client_id / bad_client_secret become a SlackCallError naming the code.
    return _map_api_error(method, response)


@dataclass(frozen=True)
class SlackInstall:
    """The app installed into one workspace: what oauth.v2.access answered.

    team_id is the account's id at Slack (what whoami() returns for the bot token);
    channel_id is the channel the installing user picked for incoming webhooks (where
    thread notices go), None when the install did not ask for incoming-webhook.
    """

    grant: TokenGrant = field(repr=False)  # the bot token (xoxb-...)
    team_id: str
    team_name: str
    bot_user_id: str
    channel_id: str | None


class SlackConnector:
    """Post and update messages, identify a bot token's workspace, install the app."""

    provider = Provider.SLACK

    def __init__(
        self,
        *,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 10.0,
        client_id: str = "",
        client_secret: str = "",
        authorize_url_base: str = DEFAULT_AUTHORIZE_URL,
        bot_scopes: Sequence[str] = DEFAULT_BOT_SCOPES,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._api_url = api_url if api_url.endswith("/") else api_url + "/"
        # slack_sdk types its timeout as int; round up so the bound is never shorter.
        self._timeout = max(1, math.ceil(timeout))
        self._client_id = client_id
        self._client_secret = client_secret
        self._authorize_url = authorize_url_base
        self._bot_scopes = tuple(bot_scopes)
        self._clock = clock
        self._people: TimedCache[Address] = TimedCache()
        self._channels: TimedCache[str] = TimedCache()

    def _client(self, token: str | None) -> WebClient:
        return WebClient(
            token=token,
            base_url=self._api_url,
            timeout=self._timeout,
            logger=_sdk_logger,
            # No built-in retries at all: a 429 must reach the outbox (which honors
            # Retry-After), and replaying a postMessage after a dropped connection
            # could post twice. The outbox owns every retry decision.
            retry_handlers=[],
        )

    def _call(self, method: str, token: str, call: Callable[[WebClient], SlackResponse]) -> Any:
        if not token:
            raise AuthExpired(f"slack {method}: no token")
        client = self._client(token)
        return self._send(method, lambda: call(client))

    def _send(
        self,
        method: str,
        request: Callable[[], SlackResponse],
        *,
        map_error: Callable[[str, SlackResponse], ConnectorError] = _map_api_error,
    ) -> Any:
        try:
            response = request()
        except SlackApiError as exc:
            error = map_error(method, exc.response)
            logger.warning(
                "slack.api_error",
                extra={
                    "method": method,
                    "status": exc.response.status_code,
                    "kind": type(error).__name__,
                },
            )
            raise error from None
        except (OSError, HTTPException) as exc:
            # URLError, timeouts, resets and refused connections all land here.
            raise ProviderUnavailable(f"slack {method}: {type(exc).__name__}") from exc
        except SlackClientError as exc:
            raise ConnectorError(f"slack {method}: {type(exc).__name__}") from exc
        return response

    def post_message(
        self,
        token: str,
        *,
        channel: str,
        message: SlackMessage,
        thread_ts: str | None = None,
        marker: str | None = None,
    ) -> str:
        """chat.postMessage; returns the message ts (its id within the channel).

        With a marker, the message carries it as message metadata (event type
        inbox_hub_delivery), which find_message looks for.
        """
        metadata = (
            None
            if marker is None
            else {"event_type": DELIVERY_EVENT_TYPE, "event_payload": {"marker": marker}}
        )
        response = self._call(
            "chat.postMessage",
            token,
            lambda client: client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=[dict(block) for block in message.blocks] or None,
                thread_ts=thread_ts,
                # Email text must never fetch previews of attacker-chosen URLs.
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            ),
        )
        return str(response["ts"])

    def find_message(
        self,
        token: str,
        *,
        channel: str,
        marker: str,
        since: datetime,
        thread_ts: str | None = None,
    ) -> str | None:
        """The ts of a message this app posted with marker at or after since, else None.

        Top-level posts are looked up in conversations.history, replies (thread_ts
        given) in conversations.replies of that thread: messages from since on, with
        their metadata, newest first, at most FIND_MAX_PAGES pages. since is compared
        with Slack's clock, so callers should allow for skew (pass the attempt's start
        minus a margin). A thread that is gone (thread_not_found) holds no such message:
        None. RateLimited, ProviderUnavailable, AuthExpired and SlackCallError propagate
        as from the other calls.
        """
        if not marker:
            raise ValueError("find_message needs a marker")
        oldest = _slack_ts(since)
        cursor: str | None = None
        for _ in range(FIND_MAX_PAGES):
            try:
                page = self._page(token, channel, thread_ts, oldest, cursor)
            except SlackCallError as exc:
                if thread_ts is not None and exc.code == "thread_not_found":
                    return None
                raise
            for item in page.get("messages") or []:
                if _carries_marker(item, marker) and _at_or_after(item.get("ts"), oldest):
                    return str(item["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or not cursor:
                return None
        logger.warning(
            "slack.find_message_truncated",
            extra={"in_thread": thread_ts is not None, "pages": FIND_MAX_PAGES},
        )
        return None

    def _page(
        self, token: str, channel: str, thread_ts: str | None, oldest: str, cursor: str | None
    ) -> Any:
        """One page of a channel's history (thread_ts None) or of a thread, with metadata."""
        params: dict[str, Any] = {
            "channel": channel,
            "oldest": oldest,
            "inclusive": True,
            "include_all_metadata": True,
            "limit": FIND_PAGE_SIZE,
            "cursor": cursor,
        }
        if thread_ts is None:
            return self._call(
                "conversations.history",
                token,
                lambda client: client.conversations_history(**params),
            )
        return self._call(
            "conversations.replies",
            token,
            lambda client: client.conversations_replies(ts=thread_ts, **params),
        )

    def update_message(self, token: str, *, channel: str, ts: str, message: SlackMessage) -> str:
        """chat.update of a message the bot posted; returns its ts."""
        response = self._call(
            "chat.update",
            token,
            lambda client: client.chat_update(
                channel=channel,
                ts=ts,
                text=message.text,
                blocks=[dict(block) for block in message.blocks],
            ),
        )
        return str(response.get("ts") or ts)

    def auth_test(self, token: str) -> str:
        """auth.test; returns the team (workspace) id the token belongs to."""
        response = self._call("auth.test", token, lambda client: client.auth_test())
        return str(response["team_id"])

    # ChatSource: message events from the Events API

    def read_event(self, token: str, event: Mapping[str, Any]) -> ChatChange | None:
        """The change a message event makes, with its author, mentions and channel named."""
        change = read_message_event(event)
        if change is None:
            return None
        if change.kind is ChatChangeKind.DELETED:
            return ChatChange(change.kind, change.provider_id)
        users = [change.user, *mentioned_users(change.text)]
        people = {user: self.person(token, user) for user in dict.fromkeys(users)}
        message = parsed_message(
            change, channel_name=self.channel_name(token, change.channel), people=people
        )
        return ChatChange(change.kind, change.provider_id, message)

    def read_mention(self, event: Mapping[str, Any]) -> ChatMention | None:
        return read_mention_event(event)

    def conversation(
        self, token: str, *, channel: str, thread_ts: str, limit: int
    ) -> list[ParsedMessage]:
        """conversations.replies, page by page: the thread's messages by people."""
        channel_name = self.channel_name(token, channel)
        found: list[MessageEvent] = []
        cursor: str | None = None
        while len(found) < limit:
            page = self._page(token, channel, thread_ts, "0", cursor)
            for item in page.get("messages") or []:
                posted = read_message_event({**item, "type": "message", "channel": channel})
                if posted is not None:
                    found.append(posted)
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or not cursor:
                break
        users = dict.fromkeys(u for m in found for u in (m.user, *mentioned_users(m.text)))
        people = {user: self.person(token, user) for user in users}
        return [parsed_message(m, channel_name=channel_name, people=people) for m in found[:limit]]

    def person(self, token: str, user: str) -> Address:
        """users.info: the person's name and email (when the app may read it).

        A lookup Slack refuses (user_not_found, missing_scope) leaves the bare id;
        RateLimited and ProviderUnavailable propagate, so the caller can try again.
        """
        cached = self._people.get((token, user))
        if cached is not None:
            return cached
        try:
            response = self._call("users.info", token, lambda client: client.users_info(user=user))
            address = _address_of(response.get("user") or {}, user)
        except (RateLimited, ProviderUnavailable):
            raise
        except ConnectorError:
            address = Address(name=user, email="")
        self._people.put((token, user), address)
        return address

    def channel_name(self, token: str, channel: str) -> str:
        """conversations.info: the channel's name; a direct message is named "dm"."""
        cached = self._channels.get((token, channel))
        if cached is not None:
            return cached
        try:
            response = self._call(
                "conversations.info",
                token,
                lambda client: client.conversations_info(channel=channel),
            )
            info = response.get("channel") or {}
            name = "dm" if info.get("is_im") else str(info.get("name") or channel)
        except (RateLimited, ProviderUnavailable):
            raise
        except ConnectorError:
            name = channel
        self._channels.put((token, channel), name)
        return name

    # OAuthConnector: Slack's OAuth v2 install ("Add to Slack")

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        """Slack's install page for the bot scopes; it redirects back with code and state.

        Slack's OAuth v2 for a confidential client has no PKCE: code_challenge is
        accepted for the OAuthConnector interface and ignored (the client secret
        authenticates the exchange; state guards the redirect).
        """
        params = {
            "client_id": self._require_client_id(),
            "scope": ",".join(self._bot_scopes),
            "redirect_uri": redirect_uri,
            "state": state,
        }
        separator = "&" if "?" in self._authorize_url else "?"
        return f"{self._authorize_url}{separator}{urlencode(params, quote_via=quote)}"

    def connect(self, *, code: str, redirect_uri: str, code_verifier: str) -> ConnectedAccount:
        """The installed workspace; the channel picked at install becomes the target."""
        install = self.exchange_install(code=code, redirect_uri=redirect_uri)
        return ConnectedAccount(install.team_id, install.grant, install.channel_id)

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenGrant:
        """The bot token of exchange_install(); code_verifier is ignored (no PKCE at Slack).

        Raises AuthExpired when the code is refused (unknown, used, expired, other
        redirect_uri).
        """
        return self.exchange_install(code=code, redirect_uri=redirect_uri).grant

    def exchange_install(self, *, code: str, redirect_uri: str) -> SlackInstall:
        """oauth.v2.access: trade the redirect's code for the install (bot token, team).

        Raises AuthExpired when Slack refuses the code (invalid_code, code_already_used,
        bad_redirect_uri, invalid_grant_type), SlackCallError (a ConnectorError) naming
        the code when it refuses the client (invalid_client_id, bad_client_secret),
        RateLimited on 429 and ProviderUnavailable on 5xx or a transport failure.
        """
        client_id = self._require_client_id()
        if not self._client_secret:
            raise ConnectorError("slack: no OAuth client secret configured")
        client = self._client(None)
        # slack_sdk sends the client credentials as HTTP Basic, code and redirect_uri
        # as the form body; Slack accepts either way.
        response = self._send(
            "oauth.v2.access",
            lambda: client.oauth_v2_access(
                client_id=client_id,
                client_secret=self._client_secret,
                code=code,
                redirect_uri=redirect_uri,
            ),
            map_error=_map_oauth_error,
        )
        data = response.data if isinstance(response.data, dict) else {}
        return _install_from(data, now=self._clock())

    def whoami(self, access_token: str) -> str:
        """The team (workspace) id the bot token belongs to, from auth.test."""
        return self.auth_test(access_token)

    def _require_client_id(self) -> str:
        if not self._client_id:
            raise ConnectorError("slack: no OAuth client id configured")
        return self._client_id


def _slack_ts(moment: datetime) -> str:
    """A moment as a Slack timestamp ("seconds.micros"); a naive one is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.timestamp():.6f}"


def _at_or_after(ts: Any, oldest: str) -> bool:
    try:
        return Decimal(str(ts)) >= Decimal(oldest)
    except InvalidOperation:
        return False


def _carries_marker(message: Mapping[str, Any], marker: str) -> bool:
    metadata = message.get("metadata")
    if not isinstance(metadata, Mapping) or metadata.get("event_type") != DELIVERY_EVENT_TYPE:
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, Mapping) and payload.get("marker") == marker


def _install_from(data: Mapping[str, Any], *, now: datetime) -> SlackInstall:
    """Parse a successful oauth.v2.access answer; ConnectorError when it is unusable."""
    token = data.get("access_token")
    if data.get("token_type") != "bot" or not isinstance(token, str) or not token:
        raise ConnectorError("slack oauth.v2.access: no bot token in the answer")
    team = data.get("team")
    if data.get("is_enterprise_install") or not isinstance(team, dict):
        raise ConnectorError(
            "slack oauth.v2.access: org-wide (Enterprise Grid) installs unsupported"
        )
    team_id = team.get("id")
    if not isinstance(team_id, str) or not team_id:
        raise ConnectorError("slack oauth.v2.access: no team id in the answer")
    expires_in = data.get("expires_in")
    lifetime = (
        timedelta(seconds=expires_in)
        if isinstance(expires_in, int) and not isinstance(expires_in, bool) and expires_in > 0
        else NON_EXPIRING
    )
    refresh = data.get("refresh_token")
    webhook = data.get("incoming_webhook")
    channel = webhook.get("channel_id") if isinstance(webhook, dict) else None
    return SlackInstall(
        grant=TokenGrant(
            access_token=token,
            expires_at=now + lifetime,
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        ),
        team_id=team_id,
        team_name=str(team.get("name") or ""),
        bot_user_id=str(data.get("bot_user_id") or ""),
        channel_id=channel if isinstance(channel, str) and channel else None,
    )


def _address_of(user: Mapping[str, Any], user_id: str) -> Address:
    profile = user.get("profile") or {}
    name = (
        profile.get("real_name")
        or user.get("real_name")
        or profile.get("display_name")
        or user.get("name")
        or user_id
    )
    return Address(name=str(name), email=str(profile.get("email") or "").lower())
