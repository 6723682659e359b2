"""Threading on PostgreSQL: copies across providers, ancestry, aliases, subject fallback."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.mail.types import Address, ParsedMessage
from db.encryption import configure
from db.migrate import upgrade
from db.models import Account, Organization, Thread
from db.session import make_engine, make_session_factory
from hub.threads.service import ingest_messages

pytestmark = pytest.mark.integration

WHEN = datetime(2026, 11, 2, 9, tzinfo=UTC)


def mail(provider_id: str, **fields: object) -> ParsedMessage:
    base = ParsedMessage(
        provider_id=provider_id,
        provider_thread_id=None,
        message_id=None,
        in_reply_to=None,
        references=(),
        subject="Budget review",
        sender=Address("Ana", "ana@example.org"),
        to=(Address("Alex", "alex@example.com"),),
        cc=(),
        date=WHEN,
        text="text",
        visible_text="text",
        quoted_text="",
    )
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


@pytest.fixture
def session(postgres_url: str) -> Iterator[Session]:
    upgrade(postgres_url)
    configure(["x" * 43 + "="])
    engine = make_engine(postgres_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def accounts(session: Session) -> tuple[Account, Account]:
    org = Organization(name="Org")
    session.add(org)
    session.flush()
    gmail = Account(org_id=org.id, provider="gmail", external_id="alex@example.com")
    outlook = Account(org_id=org.id, provider="outlook", external_id="alex@corp.example")
    session.add_all([gmail, outlook])
    session.flush()
    return gmail, outlook


def thread_of(session: Session, account: Account, parsed: ParsedMessage) -> uuid.UUID:
    result = ingest_messages(session, account, [parsed])
    assert result.new_messages == 1
    return result.threads[0]


def test_gmail_and_outlook_copies_of_a_conversation_share_a_thread(
    session: Session, accounts: tuple[Account, Account]
) -> None:
    gmail, outlook = accounts
    first = thread_of(session, gmail, mail("g1", provider_thread_id="G", message_id="a@x"))
    copy = mail("o1", provider_thread_id="C", message_id="a@x")
    assert thread_of(session, outlook, copy) == first
    reply = mail("o2", provider_thread_id="C", message_id="b@x", in_reply_to="a@x")
    assert thread_of(session, outlook, reply) == first
    later = mail("o3", provider_thread_id="C", message_id="c@x")  # no references at all
    assert thread_of(session, outlook, later) == first  # Outlook's conversation id alias
    same_gmail_thread = mail("g2", provider_thread_id="G", message_id="d@x")
    assert thread_of(session, gmail, same_gmail_thread) == first
    assert session.scalar(select(func.count()).select_from(Thread)) == 1


def test_reply_that_arrives_before_its_parent(
    session: Session, accounts: tuple[Account, Account]
) -> None:
    gmail, _ = accounts
    reply = thread_of(session, gmail, mail("r", message_id="r@x", in_reply_to="p@x"))
    parent = thread_of(session, gmail, mail("p", message_id="p@x"))
    assert parent == reply


def test_subject_fallback_only_among_the_same_people_and_recent(
    session: Session, accounts: tuple[Account, Account]
) -> None:
    gmail, _ = accounts
    first = thread_of(session, gmail, mail("m1", message_id="m1@x"))
    session.get(Thread, first).last_message_at = WHEN  # type: ignore[union-attr]
    same_people = mail("m2", message_id="m2@x", subject="RE: Budget review")
    assert thread_of(session, gmail, same_people) == first
    strangers = mail(
        "m3",
        message_id="m3@x",
        subject="Re: Budget review",
        sender=Address("Zed", "zed@else.example"),
        to=(Address("Kim", "kim@else.example"),),
    )
    assert thread_of(session, gmail, strangers) != first
    much_later = mail(
        "m4", message_id="m4@x", subject="Re: Budget review", date=WHEN + timedelta(days=60)
    )
    assert thread_of(session, gmail, much_later) != first
