"""Every provider fake in one local server: what sandbox mode and the e2e tests talk to.

Paths do not collide (Gmail under /gmail/v1, Google OAuth at /token, Google certs at
/oauth2/v3/certs, Graph under /v1.0, Microsoft login at /{tenant}/oauth2/v2.0/token,
Slack under /api, ClickUp under /clickup/api/v2, Notion under /notion/v1), so one
base URL serves every provider.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from starlette.applications import Starlette

from connectors.clickup.fake import ClickUpFake
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.gmail.fake import GmailFake
from connectors.notion.fake import NotionFake
from connectors.outlook import fake_sandbox as graph_sandbox
from connectors.outlook.fake import GraphFake
from connectors.slack.fake import SlackFake

MAILBOX = "alex@example.com"
GMAIL_REFRESH_TOKEN = "1//sandbox-refresh-token"  # noqa: S105 - a fake's credential
OUTLOOK_MAILBOX = graph_sandbox.SANDBOX_ADDRESS
OUTLOOK_REFRESH_TOKEN = graph_sandbox.SANDBOX_REFRESH_TOKEN
MICROSOFT_CLIENT_ID = "sandbox-microsoft-client"
MICROSOFT_CLIENT_SECRET = "sandbox-microsoft-secret"  # noqa: S105 - a fake's credential
SLACK_TEAM_ID = "T0SANDBOX"
SLACK_BOT_TOKEN = "xoxb-sandbox-bot-token"  # noqa: S105 - a fake's credential
SLACK_CHANNEL = "C0INBOX"  # where the hub posts its notices
SLACK_TEAM_CHANNEL = "C0GENERAL"  # where people talk: its messages become threads
# The sandbox workspace's people (users.info): id, handle, full name; email handle@example.org.
SLACK_USERS = (
    ("U0USER001", "priya", "Priya Shah"),
    ("U0USER002", "marco", "Marco Rossi"),
    ("U0USER003", "lena", "Lena Fischer"),
)


@dataclass
class Sandbox:
    gmail: GmailFake
    graph: GraphFake
    slack: SlackFake
    clickup: ClickUpFake
    notion: NotionFake
    server: RunningServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def stop(self) -> None:
        self.server.stop()


def start_sandbox(
    *, port: int = 0, host: str = "127.0.0.1", sock: socket.socket | None = None
) -> Sandbox:
    """Every fake, seeded with the sandbox's demo mailboxes, workspace and task tools."""
    gmail = GmailFake()
    gmail.seed_sandbox(refresh_token=GMAIL_REFRESH_TOKEN)
    graph = GraphFake(client_id=MICROSOFT_CLIENT_ID, client_secret=MICROSOFT_CLIENT_SECRET)
    graph.seed_sandbox(address=OUTLOOK_MAILBOX, refresh_token=OUTLOOK_REFRESH_TOKEN)
    slack = SlackFake()
    slack.add_workspace(
        SLACK_TEAM_ID, SLACK_BOT_TOKEN, {SLACK_CHANNEL: "inbox", SLACK_TEAM_CHANNEL: "general"}
    )
    for user_id, name, real_name in SLACK_USERS:
        slack.add_user(
            SLACK_TEAM_ID, user_id, name=name, real_name=real_name, email=f"{name}@example.org"
        )
    clickup = ClickUpFake()
    clickup.seed_sandbox()
    notion = NotionFake()
    notion.seed_sandbox()
    fakes = (gmail, graph, slack, clickup, notion)
    app = Starlette(routes=[route for fake in fakes for route in fake.routes()])
    server = serve_in_thread(app, host=host, port=port, sock=sock)
    return Sandbox(gmail, graph, slack, clickup, notion, server)
