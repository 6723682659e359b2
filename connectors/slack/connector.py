"""Slack Web API client for the hub's outbound messages (a ChatSink).

Tokens are per workspace, so each call builds a cheap slack_sdk WebClient for the
token it is given; nothing is cached between calls. Every failure is mapped onto the
connector error family so the outbox can decide what to do.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.types import Provider, SlackMessage

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"

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


class SlackConnector:
    """Post and update messages, and identify a bot token's workspace."""

    provider = Provider.SLACK

    def __init__(self, *, api_url: str = DEFAULT_API_URL, timeout: float = 10.0) -> None:
        self._api_url = api_url if api_url.endswith("/") else api_url + "/"
        # slack_sdk types its timeout as int; round up so the bound is never shorter.
        self._timeout = max(1, math.ceil(timeout))

    def _client(self, token: str) -> WebClient:
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
        try:
            response = call(self._client(token))
        except SlackApiError as exc:
            error = _map_api_error(method, exc.response)
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
    ) -> str:
        """chat.postMessage; returns the message ts (its id within the channel)."""
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
            ),
        )
        return str(response["ts"])

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
