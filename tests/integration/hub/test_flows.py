"""The flows on PostgreSQL against the fakes over HTTP: failures become the right state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from connectors.errors import AuthExpired
from connectors.fakeserver import free_port
from connectors.sandbox import MAILBOX, Sandbox
from db.enums import AccountStatus, OutboxStatus
from db.models import Account, Message, Organization, Outbox, Subscription, Thread
from hub.analysis.flows import analyze_thread, sweep_analyses
from hub.connections.flows import renew_watches, sync_account
from hub.errors import RetryLater
from hub.outbox.flows import deliver
from hub.queue import JobName
from hub.storage.flows import purge_expired_objects
from hub.wiring import Runtime
from tests.support.recording import RecordingPublisher
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration


@dataclass
class World:
    rt: Runtime
    fakes: Sandbox
    jobs: RecordingPublisher
    account_id: uuid.UUID

    def queued(self, job: JobName) -> list[str]:
        return [next(iter(kwargs.values())) for name, kwargs in self.jobs.sent if name == job]


@pytest.fixture
def world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    # No hub listens at the public URL, whatever else runs on this machine (make run).
    dead = f"http://127.0.0.1:{free_port()}"
    with sandbox_runtime(postgres_url, tmp_path, public_base_url=dead) as box:
        yield World(box.rt, box.fakes, box.jobs, box.demo.gmail_account.id)


def test_first_sync_imports_then_only_new_messages_are_fetched(world: World) -> None:
    first = sync_account(world.account_id, rt=world.rt)
    assert first.resynced is True  # no cursor yet: a bounded import of recent mail
    assert first.new_messages == 2  # the seeded "Quarterly report draft" thread
    world.fakes.gmail.deliver(
        MAILBOX, "Kim <kim@example.net>", "Invoice 42", "Please pay by Monday."
    )
    second = sync_account(world.account_id, rt=world.rt)
    assert second.new_messages == 1
    assert sync_account(world.account_id, rt=world.rt).new_messages == 0
    assert len(world.queued(JobName.ANALYZE_THREAD)) == len(first.threads) + 1


def test_expired_cursor_resyncs_without_losing_or_duplicating(world: World) -> None:
    sync_account(world.account_id, rt=world.rt)
    world.fakes.gmail.deliver(MAILBOX, "Kim <kim@example.net>", "After the gap", "Still here?")
    world.fakes.gmail.expire_history(MAILBOX)
    result = sync_account(world.account_id, rt=world.rt)
    assert result.resynced is True
    assert result.new_messages == 1
    with world.rt.sessions() as session:
        subjects = list(session.scalars(select(Thread.subject)))
    assert subjects.count("After the gap") == 1


def test_a_failed_group_keeps_earlier_groups_and_the_old_cursor(world: World) -> None:
    sync_account(world.account_id, rt=world.rt)
    world.rt.settings.sync_group_size = 2
    with world.rt.sessions() as session:
        cursor_before = session.get(Account, world.account_id).sync_cursor  # type: ignore[union-attr]
    delivered = [
        world.fakes.gmail.deliver(MAILBOX, "Kim <kim@example.net>", f"Part {n}", "See attached.")
        for n in range(5)
    ]
    last_id = delivered[-1]["message_id"]
    world.fakes.gmail.fail_next(f"/gmail/v1/users/me/messages/{last_id}", 503)
    with pytest.raises(RetryLater):
        sync_account(world.account_id, rt=world.rt)
    with world.rt.sessions() as session:
        subjects = set(session.scalars(select(Thread.subject)))
        assert session.get(Account, world.account_id).sync_cursor == cursor_before  # type: ignore[union-attr]
    assert {f"Part {n}" for n in range(4)} <= subjects
    assert "Part 4" not in subjects
    retried = sync_account(world.account_id, rt=world.rt)
    assert retried.new_messages == 1
    with world.rt.sessions() as session:
        parts = [s for s in session.scalars(select(Thread.subject)) if s.startswith("Part ")]
    assert sorted(parts) == [f"Part {n}" for n in range(5)]


def test_revoked_refresh_token_marks_the_account_for_reauth(world: World) -> None:
    world.fakes.gmail.revoke_refresh_token("1//sandbox-refresh-token")
    with pytest.raises(AuthExpired):
        sync_account(world.account_id, rt=world.rt)
    with world.rt.sessions() as session:
        account = session.get(Account, world.account_id)
        assert account is not None
        assert account.status == AccountStatus.NEEDS_REAUTH
        assert account.access_token is None


def test_refresh_token_is_encrypted_at_rest(world: World) -> None:
    with world.rt.engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT refresh_token FROM accounts WHERE provider = 'gmail'"
        ).scalar_one()
    assert "sandbox-refresh-token" not in stored


def _analyzed_thread(world: World) -> uuid.UUID:
    result = sync_account(world.account_id, rt=world.rt)
    thread_id = result.threads[0]
    assert analyze_thread(thread_id, rt=world.rt) is True
    return thread_id


def test_unchanged_thread_is_not_analyzed_twice(world: World) -> None:
    thread_id = _analyzed_thread(world)
    assert analyze_thread(thread_id, rt=world.rt) is False
    assert len(world.queued(JobName.DELIVER)) == 1


def test_slack_rate_limit_keeps_the_row_and_honors_retry_after(world: World) -> None:
    _analyzed_thread(world)
    outbox_id = uuid.UUID(world.queued(JobName.DELIVER)[0])
    world.fakes.slack.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(RetryLater) as retry:
        deliver(outbox_id, rt=world.rt)
    assert retry.value.after == 7
    with world.rt.sessions() as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        assert row.status == OutboxStatus.PENDING
        assert row.last_error is not None
        assert "RateLimited" in row.last_error
    assert world.fakes.slack.messages == []

    with pytest.raises(RetryLater) as early:  # not due yet: nothing is sent early
        deliver(outbox_id, rt=world.rt)
    assert 0 < (early.value.after or 0) <= 7
    assert world.fakes.slack.messages == []
    with world.rt.sessions.begin() as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        row.next_attempt_at = row.created_at
    deliver(outbox_id, rt=world.rt)
    deliver(outbox_id, rt=world.rt)  # a duplicate job sends nothing more
    assert len(world.fakes.slack.messages) == 1
    with world.rt.sessions() as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        assert row.status == OutboxStatus.SENT
        assert row.remote_id == world.fakes.slack.messages[0]["ts"]


def test_unknown_slack_channel_is_a_recorded_failure(world: World) -> None:
    _analyzed_thread(world)
    outbox_id = uuid.UUID(world.queued(JobName.DELIVER)[0])
    with world.rt.sessions.begin() as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        row.payload = {**row.payload, "channel": "C0GONE"}
    deliver(outbox_id, rt=world.rt)
    with world.rt.sessions() as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        assert row.status == OutboxStatus.FAILED
        assert row.last_error is not None
        assert "channel_not_found" in row.last_error


def test_watches_are_started_then_renewed_only_when_due(world: World) -> None:
    # Gmail's watch starts; Graph cannot validate this hub (no HTTP server here), so the
    # Outlook subscription is refused, logged, and does not stop the others.
    assert renew_watches(rt=world.rt) == 1
    assert [v["status"] for v in world.fakes.graph.validations] == [None]
    with world.rt.sessions() as session:
        subscription = session.scalars(select(Subscription)).one()
        assert subscription.expires_at > datetime.now(UTC) + timedelta(days=6)
    assert renew_watches(rt=world.rt) == 0
    assert world.fakes.gmail.calls["watch"] == 1


def test_a_lost_analysis_job_is_swept(world: World) -> None:
    result = sync_account(world.account_id, rt=world.rt)
    world.jobs.sent.clear()  # the analysis jobs were lost with a crashed worker
    with world.rt.sessions.begin() as session:
        thread = session.get(Thread, result.threads[0])
        assert thread is not None
        thread.analysis_requested_at = datetime.now(UTC) - timedelta(minutes=10)
    assert sweep_analyses(rt=world.rt) == 1
    assert world.queued(JobName.ANALYZE_THREAD) == [str(result.threads[0])]
    assert analyze_thread(result.threads[0], rt=world.rt) is True
    assert sweep_analyses(rt=world.rt) == 0


def test_budget_exceeded_holds_analysis_until_it_resets(world: World) -> None:
    thread_id = sync_account(world.account_id, rt=world.rt).threads[0]
    with world.rt.sessions.begin() as session:
        thread = session.get(Thread, thread_id)
        assert thread is not None
        org = session.get(Organization, thread.org_id)
        assert org is not None
        org.monthly_token_budget = 0
        thread.analysis_requested_at = datetime.now(UTC) - timedelta(minutes=10)
    assert analyze_thread(thread_id, rt=world.rt) is False
    assert sweep_analyses(rt=world.rt) == 0  # no point retrying while over budget
    with world.rt.sessions.begin() as session:
        thread = session.get(Thread, thread_id)
        assert thread is not None
        assert thread.summary is None
        assert thread.analysis_requested_at is not None
        org = session.get(Organization, thread.org_id)
        assert org is not None
        org.monthly_token_budget = 1_000_000
    assert sweep_analyses(rt=world.rt) == 1
    assert analyze_thread(thread_id, rt=world.rt) is True


def test_raw_messages_are_stored_and_purged_after_retention(world: World) -> None:
    sync_account(world.account_id, rt=world.rt)
    with world.rt.sessions() as session:
        rows = list(session.scalars(select(Message)))
    assert rows
    assert all(row.raw_key for row in rows)
    with world.rt.storage.open(rows[0].raw_key or "") as raw:
        assert rows[0].subject.encode() in raw.read()

    world.rt.settings.retention_days = 1
    assert purge_expired_objects(rt=world.rt) == 0  # nothing is a day old yet
    with world.rt.sessions.begin() as session:
        for row in session.scalars(select(Message)):
            row.created_at = datetime.now(UTC) - timedelta(days=2)
    assert purge_expired_objects(rt=world.rt) == len({row.raw_key for row in rows})
    with world.rt.sessions() as session:
        kept = list(session.scalars(select(Message)))
    assert all(row.raw_key is None for row in kept)
    texts = {row.id: row.visible_text for row in rows}
    assert {row.id: row.visible_text for row in kept} == texts  # derived data stays
    assert not world.rt.storage.exists(rows[0].raw_key or "")
