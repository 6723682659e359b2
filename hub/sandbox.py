"""Sandbox mode: start the provider fakes and seed a demo organization wired to them."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from connectors import sandbox as fakes
from connectors.clickup import fake as clickup_fake
from connectors.types import Provider
from db.models import Account, Organization, Subscription, User
from hub.config import Settings
from hub.connections.flows import renew_watches
from hub.users.tokens import Principal, issue_access_token
from hub.wiring import Runtime

DEMO_EMAIL = "demo@example.com"


@dataclass(frozen=True)
class DemoOrg:
    principal: Principal
    gmail_account: Account
    outlook_account: Account


def seed_demo(session: Session) -> DemoOrg:
    """Create the demo org, its user and its connected accounts once; reuse them after.

    Accounts are ensured one by one, so a database seeded by an older version gains the
    accounts added since. Only one task tool (ClickUp) is connected, so "Create task"
    needs no choice; Notion is available to connect like any other account.
    """
    user = session.scalars(select(User).where(User.email == DEMO_EMAIL)).one_or_none()
    if user is None:
        org = Organization(name="Sandbox Org", slack_channel_id=fakes.SLACK_CHANNEL)
        session.add(org)
        session.flush()
        user = User(org_id=org.id, email=DEMO_EMAIL, name="Alex Morgan (demo)")
        session.add(user)
        session.flush()
    gmail = _ensure_account(
        session, user, Provider.GMAIL, fakes.MAILBOX, refresh_token=fakes.GMAIL_REFRESH_TOKEN
    )
    outlook = _ensure_account(
        session,
        user,
        Provider.OUTLOOK,
        fakes.OUTLOOK_MAILBOX,
        refresh_token=fakes.OUTLOOK_REFRESH_TOKEN,
    )
    _ensure_account(
        session, user, Provider.SLACK, fakes.SLACK_TEAM_ID, access_token=fakes.SLACK_BOT_TOKEN
    )
    _ensure_account(
        session,
        user,
        Provider.CLICKUP,
        clickup_fake.SANDBOX_TEAM_ID,
        access_token=clickup_fake.SANDBOX_TOKEN,
        default_target=clickup_fake.SANDBOX_LIST_ID,
    )
    # The fakes start afresh on every run, so cursors and subscriptions from an earlier
    # run mean nothing.
    for mailbox in (gmail, outlook):
        mailbox.sync_cursor = None
    session.execute(delete(Subscription).where(Subscription.account_id == outlook.id))
    return DemoOrg(Principal(user_id=user.id, org_id=user.org_id), gmail, outlook)


def _ensure_account(
    session: Session, user: User, provider: Provider, external_id: str, **fields: str
) -> Account:
    account = session.scalars(
        select(Account).where(Account.provider == provider, Account.external_id == external_id)
    ).one_or_none()
    if account is None:
        mailbox = provider in (Provider.GMAIL, Provider.OUTLOOK)
        account = Account(
            org_id=user.org_id,
            user_id=user.id if mailbox else None,
            provider=str(provider),
            external_id=external_id,
            **fields,
        )
        session.add(account)
        session.flush()
    return account


def demo_token(settings: Settings, principal: Principal) -> str:
    return issue_access_token(
        principal, secret=settings.secret_key, ttl=timedelta(minutes=settings.jwt_ttl_minutes)
    )


def start_fakes(settings: Settings, sock: socket.socket | None = None) -> fakes.Sandbox:
    """Serve the fakes where the sandbox settings point, pushing to this hub's webhook.

    sock, when given, is the listening socket for settings.sandbox_fakes_port.
    """
    sandbox = fakes.start_sandbox(port=settings.sandbox_fakes_port, sock=sock)
    base = settings.public_base_url.rstrip("/")
    sandbox.gmail.configure_push(
        f"{base}/webhooks/gmail",
        audience=settings.gmail_push_audience,
        service_account=settings.gmail_push_service_account,
    )
    sandbox.slack.configure_events(f"{base}/slack/events", settings.slack_signing_secret)
    return sandbox


def subscribe_when_up(rt: Runtime, base_url: str, *, timeout: float = 60.0) -> threading.Thread:
    """Start the mailboxes' push subscriptions once this hub answers HTTP.

    Graph validates the notification URL while creating a subscription, so it can only
    be asked for after the server is listening.
    """

    def run() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).is_success:
                    renew_watches(rt=rt)
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)

    thread = threading.Thread(target=run, name="sandbox-subscribe", daemon=True)
    thread.start()
    return thread
