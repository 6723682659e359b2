"""Connecting a mailbox on PostgreSQL: the hub's OAuth routes against the Google and
Microsoft fakes over HTTP (authorization code + PKCE, state bound to the browser)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from db.enums import AccountStatus
from db.models import Account, Organization
from hub.app import create_app
from hub.connections.flows import sync_account
from hub.queue import JobName
from hub.sandbox import demo_token
from tests.support.sandbox import SandboxRuntime, sandbox_runtime

pytestmark = pytest.mark.integration

NEW_GMAIL = "sam@example.com"
NEW_OUTLOOK = "sam.lee@contoso.example.com"


@dataclass
class World:
    box: SandboxRuntime
    client: TestClient
    headers: dict[str, str]

    def start(self, provider: str, login_hint: str = "", **consent: str) -> dict[str, str]:
        """Ask the hub for the consent URL, consent at the fake, return the callback query.

        login_hint and consent pick the mailbox or workspace the fake consents as.
        """
        answer = self.client.post(f"/api/v1/connections/{provider}/authorize", headers=self.headers)
        assert answer.status_code == 200
        url = f"{answer.json()['authorize_url']}&{urlencode(consent | {'login_hint': login_hint})}"
        redirect = httpx.get(url, follow_redirects=False)
        assert redirect.status_code == 302
        location = urlsplit(redirect.headers["location"])
        assert location.path == f"/oauth/{provider}/callback"
        return {key: values[0] for key, values in parse_qs(location.query).items()}

    def callback(self, provider: str, query: dict[str, str]) -> httpx.Response:
        answer: httpx.Response = self.client.get(f"/oauth/{provider}/callback", params=query)
        return answer

    def account(self, address: str) -> Account | None:
        with self.box.rt.sessions() as session:
            return session.scalars(select(Account).where(Account.external_id == address)).first()


@pytest.fixture
def world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    with sandbox_runtime(postgres_url, tmp_path) as box:
        token = demo_token(box.rt.settings, box.demo.principal)
        with TestClient(create_app(rt=box.rt)) as client:
            yield World(box, client, {"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(("provider", "address"), [("gmail", NEW_GMAIL), ("outlook", NEW_OUTLOOK)])
def test_connecting_a_mailbox_stores_it_and_starts_its_sync(
    world: World, provider: str, address: str
) -> None:
    connected = world.callback(provider, world.start(provider, address))
    assert connected.status_code == 200, connected.text
    body = connected.json()
    assert (body["provider"], body["external_id"], body["status"]) == (provider, address, "active")
    account = world.account(address)
    assert account is not None
    assert account.org_id == world.box.demo.principal.org_id
    assert account.refresh_token
    with world.box.rt.engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT refresh_token FROM accounts WHERE external_id = %(a)s", {"a": address}
        ).scalar_one()
    assert account.refresh_token not in stored  # encrypted at rest
    queued = [(job, kwargs) for job, kwargs in world.box.jobs.sent]
    assert (JobName.SYNC_ACCOUNT, {"account_id": str(account.id)}) in queued
    assert (JobName.RENEW_WATCHES, {}) in queued
    assert sync_account(account.id, rt=world.box.rt).resynced is True  # the tokens work
    listed = world.client.get("/api/v1/connections", headers=world.headers).json()
    assert address in [c["external_id"] for c in listed]


def test_a_callback_from_another_browser_is_refused(world: World) -> None:
    query = world.start("gmail", NEW_GMAIL)
    with TestClient(create_app(rt=world.box.rt)) as stranger:  # no cookie from /authorize
        refused = stranger.get("/oauth/gmail/callback", params=query)
    assert refused.status_code == 400
    assert "browser" in refused.json()["detail"]
    assert world.account(NEW_GMAIL) is None


@pytest.mark.parametrize("tamper", ["state", "provider", "reuse", "denied"])
def test_bad_callbacks_are_400s_and_store_nothing(world: World, tamper: str) -> None:
    provider = "gmail"
    if tamper == "denied":
        world.box.fakes.gmail.deny_next_consent()
    query = world.start(provider, NEW_GMAIL)
    if tamper == "state":
        query["state"] = query["state"][:-4] + "AAAA"
    elif tamper == "provider":
        provider = "outlook"
    elif tamper == "reuse":
        assert world.callback(provider, query).status_code == 200
        with world.box.rt.sessions.begin() as session:
            account = session.scalars(select(Account).where(Account.external_id == NEW_GMAIL)).one()
            session.delete(account)
    refused = world.callback(provider, query)
    assert refused.status_code == 400
    assert refused.json()["error"] == "bad_request"
    assert world.account(NEW_GMAIL) is None


def test_a_mailbox_of_another_organization_is_not_taken_over(world: World) -> None:
    with world.box.rt.sessions.begin() as session:
        other = Organization(name="Someone else")
        session.add(other)
        session.flush()
        session.add(
            Account(org_id=other.id, provider="gmail", external_id=NEW_GMAIL, refresh_token="x")
        )
    refused = world.callback("gmail", world.start("gmail", NEW_GMAIL))
    assert refused.status_code == 409
    account = world.account(NEW_GMAIL)
    assert account is not None
    assert account.org_id == other.id
    assert account.refresh_token == "x"


def test_disconnecting_stops_sync_and_forgets_the_tokens(world: World) -> None:
    account_id = world.box.demo.gmail_account.id
    gone = world.client.delete(f"/api/v1/connections/{account_id}", headers=world.headers)
    assert gone.status_code == 204
    with world.box.rt.sessions() as session:
        account = session.get(Account, account_id)
        assert account is not None
        assert account.status == AccountStatus.DISABLED
        assert account.refresh_token is None
    assert sync_account(account_id, rt=world.box.rt).new_messages == 0
    stranger = world.client.delete(f"/api/v1/connections/{uuid.uuid4()}", headers=world.headers)
    assert stranger.status_code == 404


def test_adding_the_app_to_a_slack_workspace_connects_it_and_picks_the_channel(
    world: World,
) -> None:
    world.box.fakes.slack.add_workspace("T0SECOND", "xoxb-unused", ["C0NOTICES"])
    installed = world.callback("slack", world.start("slack", team="T0SECOND", channel="C0NOTICES"))
    assert installed.status_code == 200, installed.text
    assert (installed.json()["provider"], installed.json()["external_id"]) == ("slack", "T0SECOND")
    account = world.account("T0SECOND")
    assert account is not None
    assert account.access_token
    assert account.access_token.startswith("xoxb-")
    with world.box.rt.sessions() as session:
        org = session.get(Organization, world.box.demo.principal.org_id)
        assert org is not None
        assert org.slack_channel_id == "C0NOTICES"
    assert JobName.SYNC_ACCOUNT not in [job for job, _ in world.box.jobs.sent]
