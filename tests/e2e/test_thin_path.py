"""One Gmail push, end to end: webhook -> row -> sync -> threads -> AI -> outbox -> Slack -> REST.

Runs on PostgreSQL + Redis with a real Celery worker process, and on the embedded
default (SQLite, jobs on in-process threads), against the fakes over real HTTP.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from connectors.sandbox import (
    MAILBOX,
    OUTLOOK_MAILBOX,
    SLACK_CHANNEL,
    SLACK_TEAM_CHANNEL,
    SLACK_TEAM_ID,
)
from db.enums import EventStatus, OutboxStatus
from db.models import AIResult, InboundEvent, Message, Outbox, Thread
from hub.connections.flows import renew_watches
from hub.demo import wait_for
from hub.queue import JobName, enqueue_now, set_publisher
from tests.support.stack import Stack, celery_worker, running_stack

pytestmark = pytest.mark.e2e

SUBJECT = "Contract renewal: need your sign-off by Friday"
BODY = (
    "Hi Alex,\n\nCould you review the pricing section of the Acme renewal and send me "
    "your sign-off by Friday? Legal has approved the terms.\n\nThanks,\nPriya"
)


@pytest.fixture(params=["distributed", "embedded"])
def stack(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stack]:
    if request.param == "distributed":
        database_url = request.getfixturevalue("postgres_url")
        redis_url = request.getfixturevalue("redis_url")
        with (
            running_stack(database_url, redis_url, tmp_path / "objects") as running,
            celery_worker(running.settings),
        ):
            yield running
    else:
        sqlite_url = f"sqlite:///{tmp_path / 'hub.db'}"
        with running_stack(sqlite_url, "", tmp_path / "objects") as running:
            yield running


def count(stack: Stack, model: type[object], *where: object) -> int:
    with stack.rt.sessions() as session:
        query = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
        return int(session.scalar(query) or 0)


def mint(stack: Stack, **claims: object) -> tuple[dict[str, str], bytes]:
    return stack.fakes.gmail.mint_push(
        MAILBOX,
        audience=stack.settings.gmail_push_audience,
        service_account=stack.settings.gmail_push_service_account,
        claims=claims or None,
    )


def test_push_flows_to_slack_and_rest_once(stack: Stack) -> None:
    stack.fakes.gmail.deliver(MAILBOX, "Priya Shah <priya@example.org>", SUBJECT, BODY)

    forged_headers, forged_body = mint(stack, aud="https://attacker.example/webhooks/gmail")
    refused = stack.push(forged_headers, forged_body)
    assert refused.status_code == 401
    assert refused.json()["error"] == "unauthorized"
    assert count(stack, InboundEvent) == 0

    headers, body = mint(stack)
    assert stack.push(headers, body).status_code == 204
    assert count(stack, InboundEvent) == 1

    wait_for(
        "the event to be handled",
        lambda: count(stack, InboundEvent, InboundEvent.status == EventStatus.HANDLED),
    )
    posted = wait_for(
        "the Slack notice about the new thread",
        lambda: [m for m in stack.fakes.slack.messages if SUBJECT in str(m["blocks"])],
    )
    assert posted[0]["channel"] == SLACK_CHANNEL
    with stack.rt.sessions() as session:
        thread = session.scalars(select(Thread).where(Thread.subject == SUBJECT)).one()
        assert thread.summary is not None
        assert "pricing" in thread.summary.lower()
        assert thread.category == "to_respond"
        assert thread.needs_reply is True
        steps = set(session.scalars(select(AIResult.step).where(AIResult.thread_id == thread.id)))
        assert steps == {"triage", "summary"}
        text = session.scalars(select(Message.visible_text).where(Message.thread_id == thread.id))
        assert "pricing section" in text.one()

    answer = stack.api("/api/v1/threads")
    assert answer.status_code == 200
    listed = {item["subject"]: item for item in answer.json()["items"]}
    assert listed[SUBJECT]["summary"] == thread.summary
    assert stack.api("/api/v1/threads", token="").status_code == 401

    wait_for(
        "every outbox row to be sent",
        lambda: count(stack, Outbox) == count(stack, Outbox, Outbox.status == OutboxStatus.SENT),
    )
    before = (
        count(stack, InboundEvent),
        count(stack, Message),
        count(stack, AIResult),
        len(stack.fakes.slack.messages),
    )
    assert stack.push(headers, body).status_code == 204  # Pub/Sub redelivers the same push
    after = (
        count(stack, InboundEvent),
        count(stack, Message),
        count(stack, AIResult),
        len(stack.fakes.slack.messages),
    )
    assert after == before


class _BrokerDown:
    def send(self, job: JobName, kwargs: dict[str, str]) -> None:
        raise ConnectionError("broker unreachable")


def test_event_whose_job_was_lost_is_swept(stack: Stack) -> None:
    stack.fakes.gmail.deliver(MAILBOX, "Sam Lee <sam@example.net>", "Lunch on Thursday?", BODY)
    set_publisher(_BrokerDown())
    try:
        headers, body = mint(stack)
        assert stack.push(headers, body).status_code == 204
    finally:
        set_publisher(stack.rt.publisher)
    assert count(stack, InboundEvent, InboundEvent.status == EventStatus.PENDING) == 1

    enqueue_now(JobName.SWEEP_INBOUND_EVENTS)  # what beat does every minute

    wait_for(
        "the swept event to be handled",
        lambda: count(stack, InboundEvent, InboundEvent.status == EventStatus.HANDLED),
    )
    wait_for(
        "the thread of the lost push",
        lambda: count(stack, Thread, Thread.subject == "Lunch on Thursday?"),
    )


def _listen(stack: Stack, seen: list[dict[str, str]], connected: threading.Event) -> None:
    url = f"{stack.hub.base_url}/api/v1/events/stream"
    headers = {"Authorization": f"Bearer {stack.token}"}
    with httpx.stream("GET", url, headers=headers, timeout=30) as response:
        for line in response.iter_lines():
            if line.startswith(": connected"):
                connected.set()
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
                if seen[-1]["type"] == "thread.analyzed":
                    return


def test_event_stream_announces_new_and_analyzed_threads(stack: Stack) -> None:
    assert stack.api("/api/v1/events/stream", token="").status_code == 401
    seen: list[dict[str, str]] = []
    connected = threading.Event()
    listener = threading.Thread(target=_listen, args=(stack, seen, connected), daemon=True)
    listener.start()
    assert connected.wait(10)

    stack.fakes.gmail.deliver(MAILBOX, "Priya Shah <priya@example.org>", SUBJECT, BODY)
    headers, body = mint(stack)
    assert stack.push(headers, body).status_code == 204
    listener.join(30)

    kinds = [event["type"] for event in seen]
    assert "thread.updated" in kinds
    assert kinds[-1] == "thread.analyzed"
    with stack.rt.sessions() as session:
        ids = {str(i) for i in session.scalars(select(Thread.id))}
    assert {event["thread_id"] for event in seen} <= ids


def test_slack_rate_limit_is_retried_after_retry_after(stack: Stack) -> None:
    stack.fakes.slack.fail_next("chat.postMessage", status=429, retry_after=1)
    stack.fakes.gmail.deliver(MAILBOX, "Priya Shah <priya@example.org>", SUBJECT, BODY)
    headers, body = mint(stack)
    assert stack.push(headers, body).status_code == 204

    wait_for(
        "the notice about the new thread",
        lambda: [m for m in stack.fakes.slack.messages if SUBJECT in str(m["blocks"])],
    )
    wait_for(
        "a notice per thread, all delivered despite the 429",
        lambda: (
            count(stack, Thread) == count(stack, Outbox)
            and count(stack, Outbox) == count(stack, Outbox, Outbox.status == OutboxStatus.SENT)
        ),
    )
    assert count(stack, Outbox, Outbox.attempts == 2) == 1
    assert stack.fakes.slack.calls["chat.postMessage"] == count(stack, Outbox) + 1
    assert len(stack.fakes.slack.messages) == count(stack, Outbox)


def test_outlook_notification_flows_to_a_thread_and_slack(stack: Stack) -> None:
    assert renew_watches(rt=stack.rt) == 2  # the Gmail watch and the Graph subscription
    subject = "Vendor invoice 7731"
    delivered = stack.fakes.graph.deliver(
        OUTLOOK_MAILBOX, "Morgan Lee <morgan@fabrikam.example>", subject, "Please approve it."
    )
    assert delivered["notification_statuses"] == [204]
    wait_for(
        "the Outlook thread analyzed",
        lambda: count(stack, Thread, Thread.subject == subject, Thread.summary.is_not(None)),
        timeout=60,
    )
    wait_for(
        "its Slack notice",
        lambda: [m for m in stack.fakes.slack.messages if subject in m["text"]],
        timeout=60,
    )
    assert count(stack, InboundEvent, InboundEvent.provider == "outlook") == 1


def test_slack_channel_messages_flow_to_one_analyzed_thread(stack: Stack) -> None:
    slack = stack.fakes.slack
    slack.configure_events(
        f"{stack.hub.base_url}/slack/events", stack.settings.slack_signing_secret
    )
    root = slack.say(
        SLACK_TEAM_ID, SLACK_TEAM_CHANNEL, "U0USER001", "Can someone renew the TLS cert?"
    )
    reply = slack.say(
        SLACK_TEAM_ID, SLACK_TEAM_CHANNEL, "U0USER002", "On it", thread_ts=str(root["ts"])
    )
    assert (root["status"], reply["status"]) == (200, 200)
    assert slack.redeliver(str(reply["event_id"]), retry_num=1) == 200
    subject = "#general: Can someone renew the TLS cert?"
    wait_for(
        "the Slack thread with both messages, analyzed",
        lambda: count(
            stack,
            Thread,
            Thread.subject == subject,
            Thread.message_count == 2,
            Thread.summary.is_not(None),
        ),
        timeout=60,
    )
    assert count(stack, InboundEvent, InboundEvent.provider == "slack") == 2
    assert count(stack, Outbox) == 0  # a conversation in Slack gets no Slack notice
