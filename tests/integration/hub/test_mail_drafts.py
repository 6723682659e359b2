"""Keeping a reply in the owner's mailbox, on PostgreSQL against the Gmail and Graph
fakes over HTTP: the draft answers the latest mail from someone else, in its thread,
reply-all, from the mailbox that received it; nothing is sent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from connectors.sandbox import MAILBOX, OUTLOOK_MAILBOX, SLACK_CHANNEL, Sandbox
from db.models import Thread
from hub.analysis.flows import ask_for_mailbox_draft, draft_into_mailbox
from hub.app import create_app
from hub.connections.flows import sync_account
from hub.errors import NotFound
from hub.outbox.flows import deliver
from hub.queue import JobName
from hub.sandbox import DemoOrg, demo_token
from hub.wiring import Runtime
from tests.support.recording import RecordingPublisher
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration

BODY = "Hi Kim,\n\nYes, Friday works. Grüße, Zoë\n\nAlex"


@dataclass
class World:
    client: TestClient
    rt: Runtime
    fakes: Sandbox
    jobs: RecordingPublisher
    demo: DemoOrg
    headers: dict[str, str]

    def thread_id(self, subject: str) -> str:
        with self.rt.sessions() as session:
            return str(session.scalars(select(Thread.id).where(Thread.subject == subject)).one())

    def save(self, thread_id: str, body: str = BODY) -> Any:
        return self.client.post(
            f"/api/v1/threads/{thread_id}/drafts", json={"body": body}, headers=self.headers
        )

    def deliver_queued(self) -> None:
        for job, kwargs in list(self.jobs.sent):
            if job == JobName.DELIVER:
                self.jobs.sent.remove((job, kwargs))
                deliver(uuid.UUID(kwargs["outbox_id"]), rt=self.rt)


@pytest.fixture
def world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    with sandbox_runtime(postgres_url, tmp_path) as box:
        headers = {"Authorization": f"Bearer {demo_token(box.rt.settings, box.demo.principal)}"}
        with TestClient(create_app(rt=box.rt)) as client:
            yield World(client, box.rt, box.fakes, box.jobs, box.demo, headers)


def test_a_gmail_reply_is_kept_in_the_thread_reply_all(world: World) -> None:
    mail = EmailMessage(policy=policy.SMTP)
    mail["From"] = "Kim Lee <kim@example.net>"
    mail["To"] = f"{MAILBOX}, Sam <sam@example.net>"
    mail["Subject"] = "Vendor contract"
    mail["Message-ID"] = "<kim-1@example.net>"
    mail["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    mail.set_content("Can we sign on Friday?")
    world.fakes.gmail.add_message(MAILBOX, mail.as_bytes())
    sync_account(world.demo.gmail_account.id, rt=world.rt)
    thread_id = world.thread_id("Vendor contract")

    queued = world.save(thread_id)
    assert queued.status_code == 202, queued.text
    assert queued.json()["status"] == "pending"
    world.deliver_queued()

    (draft,) = world.fakes.gmail.drafts_of(MAILBOX)
    sent = message_from_bytes(draft.raw, policy=policy.default)
    assert sent["In-Reply-To"] == "<kim-1@example.net>"
    assert sent["Subject"] == "Re: Vendor contract"
    assert sent["To"] == "Kim Lee <kim@example.net>"
    assert sent["Cc"] == "Sam <sam@example.net>"
    assert sent.get_content().replace("\r\n", "\n").strip() == BODY
    (listed,) = world.client.get(
        f"/api/v1/threads/{thread_id}/drafts", headers=world.headers
    ).json()
    assert (listed["status"], listed["draft_id"]) == ("sent", draft.id)
    assert sync_account(world.demo.gmail_account.id, rt=world.rt).new_messages == 0


def test_an_outlook_reply_is_kept_in_its_conversation(world: World) -> None:
    world.fakes.graph.deliver(
        OUTLOOK_MAILBOX, "Morgan Lee <morgan@fabrikam.example>", "Invoice 7731", "Approve?"
    )
    sync_account(world.demo.outlook_account.id, rt=world.rt)
    thread_id = world.thread_id("Invoice 7731")

    assert world.save(thread_id, "Approved <b>today</b> & filed.").status_code == 202
    world.deliver_queued()

    (draft,) = world.fakes.graph.drafts(OUTLOOK_MAILBOX)
    assert [r["emailAddress"]["address"] for r in draft.to] == ["morgan@fabrikam.example"]
    assert "Approved &lt;b&gt;today&lt;/b&gt; &amp; filed." in draft.body["content"]


def test_drafts_are_refused_where_there_is_no_mail(world: World) -> None:
    with world.rt.sessions.begin() as session:
        chat = Thread(
            id=uuid.uuid4(),
            org_id=world.demo.principal.org_id,
            account_id=world.demo.gmail_account.id,
            provider_thread_id="no-messages",
            subject="Empty",
        )
        session.add(chat)
    refused = world.save(str(chat.id))
    assert refused.status_code == 409
    assert refused.json()["error"] == "conflict"
    assert world.save(str(uuid.uuid4())).status_code == 404
    assert world.save(str(chat.id), "").status_code == 422


def test_the_notice_button_drafts_with_the_ai_and_says_so_in_its_thread(world: World) -> None:
    world.fakes.gmail.deliver(
        MAILBOX, "Kim Lee <kim@example.net>", "Vendor contract", "Can you sign it by Friday?"
    )
    sync_account(world.demo.gmail_account.id, rt=world.rt)
    thread_id = uuid.UUID(world.thread_id("Vendor contract"))
    answer_in = (SLACK_CHANNEL, "1795000000.000100")

    ask_for_mailbox_draft(
        thread_id, org_id=world.demo.principal.org_id, answer_in=answer_in, rt=world.rt
    )
    (kwargs,) = [k for job, k in world.jobs.sent if job == JobName.DRAFT_INTO_MAILBOX]
    draft_into_mailbox(
        uuid.UUID(kwargs["thread_id"]),
        org_id=uuid.UUID(kwargs["org_id"]),
        answer_in=(kwargs["channel"], kwargs["thread_ts"]),
        rt=world.rt,
    )
    world.deliver_queued()

    (draft,) = world.fakes.gmail.drafts_of(MAILBOX)
    assert message_from_bytes(draft.raw, policy=policy.default)["To"] == "Kim Lee <kim@example.net>"
    (said,) = [m for m in world.fakes.slack.messages_in(SLACK_CHANNEL) if m.get("thread_ts")]
    assert said["thread_ts"] == "1795000000.000100"
    assert f"on its way to {MAILBOX}'s drafts" in said["text"]
    with pytest.raises(NotFound):
        ask_for_mailbox_draft(thread_id, org_id=uuid.uuid4(), answer_in=answer_in, rt=world.rt)
