"""Outlook through the hub on PostgreSQL: the Graph fake validates and notifies the hub
over real HTTP; clientState authenticates; lifecycle events renew or recreate the
subscription; a Gmail copy and an Outlook copy of one conversation join one thread."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from connectors.fakemail import compose_message
from connectors.fakeserver import RunningServer, listening_socket, port_of, serve_in_thread
from connectors.sandbox import MAILBOX, OUTLOOK_MAILBOX, Sandbox
from db.models import Account, InboundEvent, Subscription, Thread
from hub.app import create_app
from hub.connections.flows import disconnect_account, ensure_watch, sync_account
from hub.queue import JobName
from hub.sandbox import subscribe_when_up
from hub.webhooks.flows import process_inbound_event
from hub.wiring import Runtime
from tests.support.recording import RecordingPublisher
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration

GRAPH_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "graph"


@dataclass
class World:
    rt: Runtime
    fakes: Sandbox
    hub: RunningServer
    jobs: RecordingPublisher
    outlook_id: uuid.UUID
    gmail_id: uuid.UUID

    def subscription(self) -> Subscription:
        with self.rt.sessions() as session:
            return session.scalars(
                select(Subscription).where(Subscription.account_id == self.outlook_id)
            ).one()

    def rt_org(self) -> uuid.UUID:
        with self.rt.sessions() as session:
            return session.get(Account, self.outlook_id).org_id  # type: ignore[union-attr]

    def events(self) -> list[InboundEvent]:
        with self.rt.sessions() as session:
            return list(session.scalars(select(InboundEvent).order_by(InboundEvent.received_at)))

    def run_inbound_jobs(self) -> None:
        for job, kwargs in list(self.jobs.sent):
            if job == JobName.PROCESS_INBOUND_EVENT:
                self.jobs.sent.remove((job, kwargs))
                process_inbound_event(uuid.UUID(kwargs["event_id"]), rt=self.rt)

    def threads(self, subject: str) -> int:
        with self.rt.sessions() as session:
            query = select(func.count()).select_from(Thread).where(Thread.subject == subject)
            return int(session.scalar(query) or 0)


@pytest.fixture
def world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    hub_sock = listening_socket()
    public = f"http://127.0.0.1:{port_of(hub_sock)}"
    with sandbox_runtime(postgres_url, tmp_path, public_base_url=public) as box:
        hub = serve_in_thread(create_app(rt=box.rt), sock=hub_sock)
        try:
            demo = box.demo
            yield World(
                box.rt, box.fakes, hub, box.jobs, demo.outlook_account.id, demo.gmail_account.id
            )
        finally:
            hub.stop()


def _subscribed(world: World) -> Subscription:
    assert ensure_watch(world.outlook_id, rt=world.rt) is not None
    sync_account(world.outlook_id, rt=world.rt)  # the initial import sets the delta cursor
    return world.subscription()


def test_the_hub_answers_graphs_handshake_as_plain_text(world: World) -> None:
    answer = httpx.post(
        f"{world.hub.base_url}/webhooks/outlook",
        params={"validationToken": "Validation: <b>token</b> & more"},
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    assert answer.status_code == 200
    assert answer.text == "Validation: <b>token</b> & more"
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert world.events() == []


def test_subscribing_validates_the_hub_and_keeps_the_secret_encrypted(world: World) -> None:
    subscription = _subscribed(world)
    assert [v["ok"] for v in world.fakes.graph.validations] == [True, True]
    assert subscription.client_state
    assert subscription.external_id in world.fakes.graph.subscriptions
    with world.rt.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT client_state FROM subscriptions").scalar_one()
    assert subscription.client_state not in stored


def test_a_new_message_is_notified_recorded_once_and_synced(world: World) -> None:
    _subscribed(world)
    delivered = world.fakes.graph.deliver(
        OUTLOOK_MAILBOX, "Morgan <morgan@fabrikam.example>", "Invoice 7731", "Please pay by Monday."
    )
    assert delivered["notification_statuses"] == [204]
    (event,) = world.events()
    assert event.provider == "outlook"
    assert event.account_key == OUTLOOK_MAILBOX
    assert event.payload["kind"] == "changes"
    world.run_inbound_jobs()
    assert world.threads("Invoice 7731") == 1
    assert sync_account(world.outlook_id, rt=world.rt).new_messages == 0


def _notification(subscription_id: str, client_state: str) -> bytes:
    body: dict[str, Any] = json.loads((GRAPH_FIXTURES / "notification_created.json").read_text())
    for item in body["value"]:
        item["subscriptionId"] = subscription_id
        item["clientState"] = client_state
    return json.dumps(body).encode()


@pytest.mark.parametrize("forgery", ["wrong_secret", "unknown_subscription"])
def test_a_forged_notification_gets_a_2xx_and_records_nothing(world: World, forgery: str) -> None:
    subscription = _subscribed(world)
    subscription_id = subscription.external_id
    secret = "not-the-client-state"
    if forgery == "unknown_subscription":
        subscription_id, secret = str(uuid.uuid4()), subscription.client_state or ""
    answer = httpx.post(
        f"{world.hub.base_url}/webhooks/outlook",
        content=_notification(subscription_id, secret),
        headers={"Content-Type": "application/json"},
    )
    assert answer.is_success
    assert world.events() == []


def test_reauthorization_renews_and_removal_recreates_the_subscription(world: World) -> None:
    first = _subscribed(world)
    patches = world.fakes.graph.calls["subscriptions.update"]
    assert world.fakes.graph.send_lifecycle(OUTLOOK_MAILBOX, "reauthorizationRequired") == [204]
    world.run_inbound_jobs()
    renewed = world.subscription()
    assert world.fakes.graph.calls["subscriptions.update"] == patches + 1
    assert renewed.external_id == first.external_id
    assert renewed.client_state == first.client_state

    assert world.fakes.graph.send_lifecycle(OUTLOOK_MAILBOX, "subscriptionRemoved") == [204]
    world.run_inbound_jobs()
    replaced = world.subscription()
    assert replaced.external_id != first.external_id
    assert replaced.client_state != first.client_state
    delivered = world.fakes.graph.deliver(OUTLOOK_MAILBOX, "k@example.net", "After", "Still on?")
    assert delivered["notification_statuses"] == [204]
    assert [e.payload["kind"] for e in world.events()][-1] == "changes"


def test_gmail_and_outlook_copies_of_one_conversation_join_one_thread(world: World) -> None:
    _subscribed(world)
    sync_account(world.gmail_id, rt=world.rt)
    raw = compose_message(
        f"Alex <{MAILBOX}>, Alex Morgan <{OUTLOOK_MAILBOX}>",
        "Priya Shah <priya@example.org>",
        "Both inboxes",
        "Sent to both of your addresses.",
    )
    world.fakes.gmail.add_message(MAILBOX, raw)
    world.fakes.graph.add_message(OUTLOOK_MAILBOX, raw)
    assert sync_account(world.gmail_id, rt=world.rt).new_messages == 1
    assert sync_account(world.outlook_id, rt=world.rt).new_messages == 1
    assert world.threads("Both inboxes") == 1


def test_disconnecting_cancels_the_subscription_at_graph(world: World) -> None:
    subscription = _subscribed(world)
    assert subscription.external_id in world.fakes.graph.subscriptions
    disconnect_account(world.outlook_id, org_id=world.rt_org(), rt=world.rt)
    assert subscription.external_id not in world.fakes.graph.subscriptions
    delivered = world.fakes.graph.deliver(OUTLOOK_MAILBOX, "k@example.net", "Gone", "Hello?")
    assert delivered["notification_statuses"] == []
    assert world.events() == []


def test_the_sandbox_subscribes_once_the_hub_answers(world: World) -> None:
    subscribe_when_up(world.rt, world.hub.base_url, timeout=20).join(timeout=25)
    assert world.subscription().external_id in world.fakes.graph.subscriptions
