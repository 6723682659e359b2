"""Events API listeners (url_verification is answered by Bolt itself)."""

from __future__ import annotations

from typing import Any

import structlog
from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from connectors.types import NotificationKind
from hub.webhooks.flows import accept_chat_event
from hub.wiring import Runtime
from slackapp.blocks.thread_list import home_view
from slackapp.inbox import recent_threads

log = structlog.get_logger(__name__)


def register(app: App, rt: Runtime) -> None:
    @app.event("message")
    def message(body: dict[str, Any], event: dict[str, Any]) -> None:
        """Record a message posted, edited or deleted where the app is; a job takes it in.

        Every subtype is acknowledged (an unhandled event gets a 404, which Slack
        retries); the connector decides which ones become messages. The app's own
        posts never get here (Bolt ignores self events).
        """
        team_id = str(body.get("team_id") or event.get("team") or "")
        event_id = str(body.get("event_id") or "")
        if not team_id or not event_id:
            log.warning("slack.event.unidentified", has_team=bool(team_id))
            return
        accept_chat_event(rt, team_id=team_id, event_id=event_id, event=event)

    @app.event("app_mention")
    def mention(body: dict[str, Any], event: dict[str, Any]) -> None:
        """Someone asked the app: a job answers in the thread ("task: ..." or a summary)."""
        team_id = str(body.get("team_id") or event.get("team") or "")
        event_id = str(body.get("event_id") or "")
        if not team_id or not event_id:
            log.warning("slack.event.unidentified", has_team=bool(team_id))
            return
        accept_chat_event(
            rt, team_id=team_id, event_id=event_id, event=event, kind=NotificationKind.MENTION
        )

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """Publish the Home tab with the recent threads (events are acked by Bolt)."""
        if event.get("tab") != "home":
            return
        view = home_view(recent_threads(rt, context["org_id"]))
        try:
            client.views_publish(user_id=event["user"], view=view)
        except SlackApiError as exc:
            log.warning("slack.home.publish_failed", error=str(exc.response.get("error")))
