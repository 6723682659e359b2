"""Slack channel messages become threads, on PostgreSQL: the Slack fake delivers signed
Events API callbacks to the hub over real HTTP; Bolt verifies them; a retry is recorded
once; the job names people and the channel through the Web API fake; edits and
deletions follow; the analysis runs but posts no Slack notice about Slack itself."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from connectors.fakeserver import RunningServer, listening_socket, port_of, serve_in_thread
from connectors.sandbox import SLACK_TEAM_CHANNEL, SLACK_TEAM_ID, Sandbox
from db.enums import AccountStatus, EventStatus
from db.models import Account, AIResult, InboundEvent, Message, Outbox, Task, Thread
from hub.analysis.flows import analyze_thread
from hub.app import create_app
from hub.errors import RetryLater
from hub.outbox.flows import deliver
from hub.queue import JobName
from hub.webhooks.flows import process_inbound_event
from hub.wiring import Runtime
from tests.support.recording import RecordingPublisher
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration

PRIYA, MARCO = "U0USER001", "U0USER002"


@dataclass
class Chat:
    rt: Runtime
    fakes: Sandbox
    hub: RunningServer
    jobs: RecordingPublisher

    def say(self, user: str, text: str, *, thread_ts: str | None = None) -> dict[str, Any]:
        return self.fakes.slack.say(
            SLACK_TEAM_ID, SLACK_TEAM_CHANNEL, user, text, thread_ts=thread_ts
        )

    def run_jobs(self) -> None:
        """Run what the hub queued (inbound events, then analyses) until nothing is left."""
        while self.jobs.sent:
            job, kwargs = self.jobs.sent.pop(0)
            if job == JobName.PROCESS_INBOUND_EVENT:
                process_inbound_event(uuid.UUID(kwargs["event_id"]), rt=self.rt)
            elif job == JobName.ANALYZE_THREAD:
                analyze_thread(uuid.UUID(kwargs["thread_id"]), rt=self.rt)
            elif job == JobName.DELIVER:
                deliver(uuid.UUID(kwargs["outbox_id"]), rt=self.rt)

    def answers(self) -> list[dict[str, Any]]:
        """What the app posted in #general (its answers to mentions)."""
        return [m for m in self.fakes.slack.messages_in(SLACK_TEAM_CHANNEL) if m.get("bot_id")]

    def events(self) -> list[InboundEvent]:
        with self.rt.sessions() as session:
            return list(session.scalars(select(InboundEvent).order_by(InboundEvent.received_at)))

    def threads(self) -> list[Thread]:
        with self.rt.sessions() as session:
            return list(session.scalars(select(Thread).where(Thread.subject.like("#general%"))))

    def messages(self, thread: Thread) -> list[Message]:
        with self.rt.sessions() as session:
            query = select(Message).where(Message.thread_id == thread.id).order_by(Message.sent_at)
            return list(session.scalars(query))


@pytest.fixture
def chat(postgres_url: str, tmp_path: Path) -> Iterator[Chat]:
    hub_sock = listening_socket()
    public = f"http://127.0.0.1:{port_of(hub_sock)}"
    with sandbox_runtime(postgres_url, tmp_path, public_base_url=public) as box:
        box.fakes.slack.configure_events(
            f"{public}/slack/events", box.rt.settings.slack_signing_secret
        )
        hub = serve_in_thread(create_app(rt=box.rt), sock=hub_sock)
        try:
            yield Chat(box.rt, box.fakes, hub, box.jobs)
        finally:
            hub.stop()


def test_a_post_becomes_a_thread_with_names_resolved(chat: Chat) -> None:
    said = chat.say(
        PRIYA, "deploy is failing &amp; <@U0USER002> is on it, see <https://ci.example/42|build 42>"
    )
    assert said["status"] == 200
    (event,) = chat.events()
    assert (event.provider, event.account_key, event.dedupe_key) == (
        "slack",
        SLACK_TEAM_ID,
        said["event_id"],
    )
    assert event.payload["kind"] == "message"

    chat.run_jobs()

    (thread,) = chat.threads()
    assert (
        thread.subject
        == "#general: deploy is failing & @Marco Rossi is on it, see build 42 (https://ci.example/42)"
    )
    (message,) = chat.messages(thread)
    assert message.provider_message_id == f"{SLACK_TEAM_CHANNEL}:{said['ts']}"
    assert (message.sender_name, message.sender_email) == ("Priya Shah", "priya@example.org")
    assert message.visible_text.startswith("deploy is failing & @Marco Rossi is on it")
    assert thread.summary  # the local AI provider analyzed it
    with chat.rt.sessions() as session:
        assert chat.events()[0].status == EventStatus.HANDLED
        notices = session.scalars(select(Outbox).where(Outbox.org_id == thread.org_id)).all()
    assert notices == []  # no Slack notice about a conversation that is in Slack already


def test_replies_join_the_roots_thread_and_names_are_asked_once(chat: Chat) -> None:
    root = chat.say(PRIYA, "Who can review the Q3 budget by Friday?")
    chat.say(MARCO, "I can, send it over", thread_ts=str(root["ts"]))
    chat.say(PRIYA, "Thanks!", thread_ts=str(root["ts"]))
    chat.run_jobs()

    (thread,) = chat.threads()
    assert thread.message_count == 3
    assert [m.sender_name for m in chat.messages(thread)] == [
        "Priya Shah",
        "Marco Rossi",
        "Priya Shah",
    ]
    assert chat.fakes.slack.calls["users.info"] == 2
    assert chat.fakes.slack.calls["conversations.info"] == 1


def test_a_retried_delivery_is_recorded_and_taken_once(chat: Chat) -> None:
    said = chat.say(PRIYA, "Retry me")
    status = chat.fakes.slack.redeliver(str(said["event_id"]), retry_num=1)
    assert status == 200
    assert len(chat.events()) == 1
    chat.run_jobs()
    (thread,) = chat.threads()
    assert thread.message_count == 1


def test_an_edit_replaces_the_text_and_asks_for_a_new_analysis(chat: Chat) -> None:
    said = chat.say(PRIYA, "The launch is on Monday")
    chat.run_jobs()
    (thread,) = chat.threads()
    first_hash = thread.analyzed_hash

    chat.fakes.slack.edit(
        SLACK_TEAM_ID, SLACK_TEAM_CHANNEL, str(said["ts"]), "The launch moves to Tuesday"
    )
    chat.run_jobs()

    (thread,) = chat.threads()
    (message,) = chat.messages(thread)
    assert message.text == "The launch moves to Tuesday"
    assert thread.message_count == 1
    assert thread.analyzed_hash != first_hash


def test_deleting_the_only_message_forgets_it_and_what_was_derived(chat: Chat) -> None:
    said = chat.say(PRIYA, "My card number is 4111 1111 1111 1111, oops")
    chat.run_jobs()
    (thread,) = chat.threads()
    assert thread.summary

    chat.fakes.slack.delete(SLACK_TEAM_ID, SLACK_TEAM_CHANNEL, str(said["ts"]))
    chat.run_jobs()

    (thread,) = chat.threads()
    assert chat.messages(thread) == []
    assert (thread.message_count, thread.summary, thread.category) == (0, None, None)
    with chat.rt.sessions() as session:
        outputs = session.scalars(
            select(AIResult.output).where(AIResult.thread_id == thread.id)
        ).all()
    assert outputs
    assert all(output == {} for output in outputs)


def test_a_forged_event_is_refused_and_records_nothing(chat: Chat) -> None:
    chat.fakes.slack.configure_events(f"{chat.hub.base_url}/slack/events", "not-the-secret")
    said = chat.say(PRIYA, "I am not Slack")
    assert said["status"] == 401
    assert chat.events() == []


def test_a_names_lookup_that_is_rate_limited_keeps_the_event_for_a_retry(chat: Chat) -> None:
    chat.fakes.slack.fail_next("users.info", status=429, retry_after=0)
    chat.say(PRIYA, "Anyone up for lunch?")
    with pytest.raises(RetryLater, match="RateLimited"):
        chat.run_jobs()
    (event,) = chat.events()
    assert event.status == EventStatus.PENDING
    assert "RateLimited" in (event.last_error or "")

    process_inbound_event(event.id, rt=chat.rt)
    (thread,) = chat.threads()
    assert thread.message_count == 1


def test_a_root_taken_after_its_reply_still_names_the_thread(chat: Chat) -> None:
    root = chat.say(PRIYA, "Can someone renew the TLS cert?")
    chat.say(MARCO, "On it", thread_ts=str(root["ts"]))
    chat.jobs.sent.reverse()  # the reply's job runs first, as a busy worker may do
    chat.run_jobs()

    (thread,) = chat.threads()
    assert thread.subject == "#general: Can someone renew the TLS cert?"
    assert thread.message_count == 2


BOT = "<@U0BOT0001>"


def test_a_mention_is_answered_in_its_thread_with_summary_and_action_items(chat: Chat) -> None:
    root = chat.say(PRIYA, "The TLS cert for api.example.com expires next week.")
    chat.say(MARCO, "Can you renew the TLS cert by Friday, Priya?", thread_ts=str(root["ts"]))
    asked = chat.say(PRIYA, f"{BOT} summarize please", thread_ts=str(root["ts"]))
    assert asked["mention"]["status"] == 200
    chat.run_jobs()

    (answer,) = chat.answers()
    assert answer["thread_ts"] == root["ts"]
    blocks = json.dumps(answer["blocks"])
    assert "TLS cert" in blocks
    assert "Action items" in blocks
    assert "summarize please" not in blocks  # the request is not part of the summary
    (thread,) = chat.threads()
    assert thread.message_count == 3  # the mention is a message of the thread too


def test_a_task_mention_creates_the_task_and_says_where(chat: Chat) -> None:
    root = chat.say(PRIYA, "Deploys fail on the staging cluster")
    chat.say(MARCO, f"{BOT} task: fix the staging deploy by Friday", thread_ts=str(root["ts"]))
    chat.run_jobs()

    (created,) = chat.fakes.clickup.tasks.values()
    assert "staging deploy" in created["name"].lower()
    assert created["due_date"] is not None
    (answer,) = chat.answers()
    assert answer["thread_ts"] == root["ts"]
    assert "Creating in ClickUp" in answer["text"]
    with chat.rt.sessions() as session:
        (task,) = session.scalars(select(Task)).all()
        (thread,) = chat.threads()
    assert task.thread_id == thread.id  # the Slack thread is a hub thread


def test_a_retried_mention_is_answered_once(chat: Chat) -> None:
    asked = chat.say(PRIYA, f"{BOT} what is going on here?")
    assert chat.fakes.slack.redeliver(str(asked["mention"]["event_id"]), retry_num=1) == 200
    chat.run_jobs()
    assert len(chat.answers()) == 1


def test_a_task_mention_without_a_task_tool_says_so(chat: Chat) -> None:
    with chat.rt.sessions.begin() as session:
        session.execute(
            update(Account)
            .where(Account.provider == "clickup")
            .values(status=AccountStatus.DISABLED)
        )
    chat.say(PRIYA, f"{BOT} task: order new badges")
    chat.run_jobs()
    (answer,) = chat.answers()
    assert "No task created: no connected task tool" in answer["text"]
