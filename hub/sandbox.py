"""Sandbox mode: start the provider fakes and seed a demo organization wired to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors import sandbox as fakes
from connectors.types import Provider
from db.models import Account, Organization, User
from hub.config import Settings
from hub.users.tokens import Principal, issue_access_token

DEMO_EMAIL = "demo@example.com"


@dataclass(frozen=True)
class DemoOrg:
    principal: Principal
    gmail_account: Account


def seed_demo(session: Session) -> DemoOrg:
    """Create the demo org, its user and its connected accounts once; reuse them after."""
    user = session.scalars(select(User).where(User.email == DEMO_EMAIL)).one_or_none()
    if user is None:
        org = Organization(name="Sandbox Org", slack_channel_id=fakes.SLACK_CHANNEL)
        session.add(org)
        session.flush()
        user = User(org_id=org.id, email=DEMO_EMAIL, name="Alex Morgan (demo)")
        session.add(user)
        session.flush()
        session.add_all(
            [
                Account(
                    org_id=org.id,
                    user_id=user.id,
                    provider=str(Provider.GMAIL),
                    external_id=fakes.MAILBOX,
                    refresh_token=fakes.GMAIL_REFRESH_TOKEN,
                ),
                Account(
                    org_id=org.id,
                    provider=str(Provider.SLACK),
                    external_id=fakes.SLACK_TEAM_ID,
                    access_token=fakes.SLACK_BOT_TOKEN,
                ),
            ]
        )
        session.flush()
    gmail = session.scalars(
        select(Account).where(
            Account.provider == str(Provider.GMAIL), Account.external_id == fakes.MAILBOX
        )
    ).one()
    # The fakes start afresh on every run, so a cursor from an earlier run means nothing.
    gmail.sync_cursor = None
    return DemoOrg(Principal(user_id=user.id, org_id=user.org_id), gmail)


def demo_token(settings: Settings, principal: Principal) -> str:
    return issue_access_token(
        principal, secret=settings.secret_key, ttl=timedelta(minutes=settings.jwt_ttl_minutes)
    )


def start_fakes(settings: Settings) -> fakes.Sandbox:
    """Serve the fakes where the sandbox settings point, pushing to this hub's webhook."""
    sandbox = fakes.start_sandbox(port=settings.sandbox_fakes_port)
    sandbox.gmail.configure_push(
        f"{settings.public_base_url.rstrip('/')}/webhooks/gmail",
        audience=settings.gmail_push_audience,
        service_account=settings.gmail_push_service_account,
    )
    return sandbox
