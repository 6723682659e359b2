"""The outbox when an answer is lost, on PostgreSQL against the fakes over HTTP: the
provider acted but the hub saw a 5xx or a timeout (or a worker died mid-send). The next
attempt finds what the first one created by the row's marker instead of doubling it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from connectors.sandbox import SLACK_CHANNEL, Sandbox
from db.enums import OutboxStatus, TaskStatus
from db.models import Outbox, Task
from hub.errors import RetryLater
from hub.outbox.flows import deliver, sweep_outbox
from hub.outbox.service import SLACK_THREAD_NOTICE, TASK_CREATE, add_to_outbox
from hub.tasks.service import NewTask, write_task
from hub.wiring import Runtime
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration

NOTICE = {
    "subject": "Invoice 7731",
    "sender": "Morgan <morgan@fabrikam.example>",
    "summary": "Morgan asks for approval by Monday.",
    "category": "to_respond",
    "priority": "high",
    "needs_reply": True,
}


@dataclass
class Box:
    rt: Runtime
    fakes: Sandbox
    org_id: uuid.UUID

    def queue_notice(self) -> uuid.UUID:
        with self.rt.sessions.begin() as session:
            row_id = add_to_outbox(
                session,
                org_id=self.org_id,
                kind=SLACK_THREAD_NOTICE,
                idempotency_key=f"test:{uuid.uuid4()}",
                payload={"channel": SLACK_CHANNEL, "thread_id": "t", "notice": NOTICE},
            )
        assert row_id is not None
        return row_id

    def queue_task(self) -> tuple[uuid.UUID, uuid.UUID]:
        with self.rt.sessions.begin() as session:
            task = write_task(session, self.org_id, NewTask(title="Approve invoice 7731"), None)
            rows = session.scalars(select(Outbox).where(Outbox.kind == TASK_CREATE)).all()
            (outbox,) = [r for r in rows if r.payload["task_id"] == str(task.id)]
            return task.id, outbox.id

    def row(self, outbox_id: uuid.UUID) -> Outbox:
        with self.rt.sessions() as session:
            row = session.get(Outbox, outbox_id)
            assert row is not None
            return row

    def deliver_now(self, outbox_id: uuid.UUID) -> None:
        """Deliver without waiting out the backoff the last failure set."""
        with self.rt.sessions.begin() as session:
            session.execute(
                update(Outbox)
                .where(Outbox.id == outbox_id)
                .values(next_attempt_at=datetime.now(UTC))
            )
        deliver(outbox_id, rt=self.rt)


@pytest.fixture
def box(postgres_url: str, tmp_path: Path) -> Iterator[Box]:
    with sandbox_runtime(postgres_url, tmp_path) as sandbox:
        yield Box(sandbox.rt, sandbox.fakes, sandbox.demo.principal.org_id)


def test_a_notice_whose_answer_was_lost_is_found_not_posted_again(box: Box) -> None:
    slack = box.fakes.slack
    outbox_id = box.queue_notice()
    slack.fail_next("chat.postMessage", status=500, after_processing=True)
    with pytest.raises(RetryLater):
        deliver(outbox_id, rt=box.rt)
    assert box.row(outbox_id).outcome_unknown
    (posted,) = slack.messages_in(SLACK_CHANNEL)

    box.deliver_now(outbox_id)

    row = box.row(outbox_id)
    assert (row.status, row.remote_id, row.outcome_unknown) == (
        OutboxStatus.SENT,
        posted["ts"],
        False,
    )
    assert len(slack.messages_in(SLACK_CHANNEL)) == 1
    assert slack.calls["chat.postMessage"] == 1


def test_a_lost_post_that_never_happened_is_posted_on_the_retry(box: Box) -> None:
    slack = box.fakes.slack
    outbox_id = box.queue_notice()
    slack.fail_next("chat.postMessage", status=503)
    with pytest.raises(RetryLater):
        deliver(outbox_id, rt=box.rt)
    assert slack.messages_in(SLACK_CHANNEL) == []

    box.deliver_now(outbox_id)

    assert box.row(outbox_id).status == OutboxStatus.SENT
    assert len(slack.messages_in(SLACK_CHANNEL)) == 1
    assert slack.calls["conversations.history"] == 1  # looked first, found nothing


def test_a_rate_limited_post_is_retried_without_looking(box: Box) -> None:
    slack = box.fakes.slack
    outbox_id = box.queue_notice()
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    with pytest.raises(RetryLater):
        deliver(outbox_id, rt=box.rt)
    assert not box.row(outbox_id).outcome_unknown  # a 429 is refused before anything happens

    box.deliver_now(outbox_id)

    assert box.row(outbox_id).status == OutboxStatus.SENT
    assert slack.calls["conversations.history"] == 0


def test_a_task_created_behind_a_timeout_is_recorded_once(box: Box) -> None:
    clickup = box.fakes.clickup
    task_id, outbox_id = box.queue_task()
    clickup.fail_next("/clickup/api/v2/list", 504, after_processing=True)
    with pytest.raises(RetryLater):
        deliver(outbox_id, rt=box.rt)
    (created,) = clickup.tasks.values()

    box.deliver_now(outbox_id)

    assert len(clickup.tasks) == 1
    with box.rt.sessions() as session:
        task = session.get(Task, task_id)
        assert task is not None
        assert (task.status, task.remote_id, task.remote_url) == (
            TaskStatus.CREATED,
            created["id"],
            created["url"],
        )


def test_a_send_a_dead_worker_left_behind_is_looked_for_first(box: Box) -> None:
    slack = box.fakes.slack
    outbox_id = box.queue_notice()
    deliver(outbox_id, rt=box.rt)
    (posted,) = slack.messages_in(SLACK_CHANNEL)
    # As if the worker died after Slack answered but before the row was marked sent.
    with box.rt.sessions.begin() as session:
        session.execute(
            update(Outbox)
            .where(Outbox.id == outbox_id)
            .values(status=OutboxStatus.SENDING, updated_at=datetime.now(UTC) - timedelta(hours=1))
        )
    sweep_outbox(rt=box.rt)
    assert box.row(outbox_id).outcome_unknown

    box.deliver_now(outbox_id)

    assert box.row(outbox_id).remote_id == posted["ts"]
    assert len(slack.messages_in(SLACK_CHANNEL)) == 1
