from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from connectors.mail.threading import (
    ancestors,
    normalize_subject,
    subject_fallback_matches,
    thread_messages,
)
from connectors.mail.types import Address, ParsedMessage

BASE = ParsedMessage(
    provider_id="p",
    provider_thread_id=None,
    message_id=None,
    in_reply_to=None,
    references=(),
    subject="Budget",
    sender=Address("Ana", "ana@example.org"),
    to=(Address("Bo", "bo@example.org"),),
    cc=(),
    date=datetime(2026, 11, 2, 9, tzinfo=UTC),
    text="",
    visible_text="",
    quoted_text="",
)


def msg(message_id: str, *parents: str, **changes: object) -> ParsedMessage:
    return dataclasses.replace(
        BASE,
        provider_id=message_id,
        message_id=message_id,
        references=parents[:-1],
        in_reply_to=parents[-1] if parents else None,
        **changes,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Fwd: Hello", "hello"),
        ("AW: WG: Angebot", "angebot"),
        ("[team] Re: [team] Launch", "launch"),
        ("RE[2]: Invoice", "invoice"),
        ("Sv: Vs: Møte", "møte"),
        ("回复\uff1a会议", "会议"),
        ("Réf : Dossier", "dossier"),
        ("Regarding the plan", "regarding the plan"),
    ],
)
def test_normalize_subject(subject: str, expected: str) -> None:
    assert normalize_subject(subject) == expected


def test_ancestors_are_ordered_and_exclude_the_message_itself() -> None:
    parsed = msg("c", "a", "b")
    assert ancestors(parsed) == ("a", "b")
    assert ancestors(dataclasses.replace(parsed, references=("a", "c", "a"))) == ("a", "b")


def test_jwz_groups_by_reference_chains_even_out_of_order() -> None:
    grandchild = msg("c", "a", "b")
    root = msg("a")
    other = msg("x", subject="Budget")  # same subject, no references: its own thread
    reply = msg("b", "a")
    groups = thread_messages([grandchild, other, root, reply])
    as_ids = sorted(sorted(m.message_id or "" for m in group) for group in groups)
    assert as_ids == [["a", "b", "c"], ["x"]]


def test_jwz_links_through_missing_ancestors_and_survives_loops() -> None:
    left = msg("b", "a")  # "a" never arrived
    right = msg("c", "a")
    looped = msg("d", "e")
    back = msg("e", "d")
    groups = thread_messages([left, right, looped, back])
    as_ids = sorted(sorted(m.message_id or "" for m in group) for group in groups)
    assert as_ids == [["b", "c"], ["d", "e"]]


def test_subject_fallback_needs_people_and_time_in_common() -> None:
    parsed = dataclasses.replace(BASE, subject="Re: budget")
    when = BASE.date
    assert when is not None
    assert subject_fallback_matches(
        parsed, other_subject="Budget", other_participants={"bo@example.org"}, other_time=when
    )
    assert not subject_fallback_matches(
        parsed, other_subject="Budget", other_participants={"zed@else.example"}, other_time=when
    )
    assert not subject_fallback_matches(
        parsed,
        other_subject="Budget",
        other_participants={"bo@example.org"},
        other_time=when - timedelta(days=60),
    )
    assert not subject_fallback_matches(
        parsed, other_subject="Travel", other_participants={"bo@example.org"}, other_time=when
    )
