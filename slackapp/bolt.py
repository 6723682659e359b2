"""The sync slack-bolt App: signature checks, multi-workspace authorization, listeners.

Bolt verifies every request's signature and timestamp (RequestVerification) and
answers url_verification itself. Authorization looks the request's team up among the
connected Slack accounts, so one deployment serves many workspaces; an unknown or
disabled workspace gets no token and no listener runs. process_before_response keeps
each request's work inside the request (listeners ack and finish within Slack's 3 s).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, cast

import structlog
from slack_bolt import App, BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from hub.wiring import Runtime
from slackapp.installations import find_installation
from slackapp.listeners import register_listeners

log = structlog.get_logger(__name__)

WEB_API_TIMEOUT = 2  # seconds: every listener must answer Slack within 3


class BotIdentities:
    """auth.test per bot token, called once and cached for the life of the process.

    The bot's own user and bot ids let Bolt ignore the bot's own events.
    """

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._known: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> dict[str, Any] | None:
        with self._lock:
            cached = self._known.get(token)
        if cached is not None:
            return cached
        try:
            response = self._client.auth_test(token=token)
        except SlackApiError as exc:
            log.warning("slack.authorize.auth_test_failed", error=str(exc.response.get("error")))
            return None
        identity = dict(response.data) if isinstance(response.data, dict) else {}
        with self._lock:
            self._known[token] = identity
        return identity


def make_authorize(rt: Runtime, client: WebClient) -> Callable[..., AuthorizeResult | None]:
    """Bolt's `authorize`: the bot token of the Slack account whose external_id is the team."""
    identities = BotIdentities(client)

    # Bolt passes only the arguments named here (positional-or-keyword, by name).
    def authorize(
        context: BoltContext, enterprise_id: str | None, team_id: str | None
    ) -> AuthorizeResult | None:
        if not team_id:
            return None
        with rt.sessions.begin() as session:
            installation = find_installation(session, team_id)
        if installation is None:
            log.warning("slack.authorize.unknown_team", team_id=team_id)
            return None
        identity = identities.get(installation.bot_token)
        if identity is None:
            return None
        context["org_id"] = installation.org_id
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            team=identity.get("team"),
            url=identity.get("url"),
            bot_user_id=identity.get("user_id"),
            bot_id=identity.get("bot_id"),
            bot_token=installation.bot_token,
        )

    return authorize


def build_bolt_app(rt: Runtime) -> App:
    settings = rt.settings
    client = WebClient(base_url=settings.slack_api_url, timeout=WEB_API_TIMEOUT)
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client,
        authorize=cast(Callable[..., AuthorizeResult], make_authorize(rt, client)),
        process_before_response=True,
        token_verification_enabled=False,
        request_verification_enabled=True,
        url_verification_enabled=True,
    )
    register_listeners(app, rt)
    return app
