"""Local triage on realistic mail: one test per kind, plus languages and due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from ai import Category, LocalProvider, MessageInput, Priority, ThreadInput, Triage
from ai.local.dates import due_date
from ai.steps import triage

OWNER = "maya.lindqvist@example.com"
# A Wednesday, so "by Friday" has one right answer: 2026-11-06.
WEDNESDAY = datetime(2026, 11, 4, 9, 30, tzinfo=timezone(timedelta(hours=-5)))


def _thread(
    subject: str, author: str, text: str, *signals: str, sent_at: datetime = WEDNESDAY
) -> ThreadInput:
    message = MessageInput(author=author, sent_at=sent_at, text=text, auto_signals=signals)
    return ThreadInput(subject=subject, messages=(message,), owner=OWNER)


def _triage(thread: ThreadInput) -> Triage:
    return triage.run(LocalProvider(), thread).output


def test_marketing_with_list_unsubscribe() -> None:
    result = _triage(
        _thread(
            "Black Friday starts now: 50% off DevTools Pro annual plans",
            "DevTools Pro <deals@example.net>",
            "Our biggest sale of the year is here.\n\nGet 50% off every annual plan until "
            "Monday midnight. Upgrade now and lock in the price for 2027.\n\n"
            "Unsubscribe: https://example.net/u/123",
            "list-unsubscribe",
            "precedence:bulk",
        )
    )
    assert result.category is Category.MARKETING
    assert result.priority is Priority.LOW
    assert not result.needs_reply
    assert result.tasks == []


def test_notification_from_noreply_sender() -> None:
    result = _triage(
        _thread(
            "Your password expires in 5 days",
            "SignOnce <signonce-noreply@example.net>",
            "Your Quillmark SSO password expires on Nov 9, 2026.\n\n"
            "Change it at https://example.net/password before then to keep access.\n\n"
            "This is an automated message, please do not reply.",
            "noreply-sender",
            "auto-submitted",
        )
    )
    assert result.category is Category.NOTIFICATION
    assert not result.needs_reply


def test_meeting_invitation_with_calendar_part() -> None:
    result = _triage(
        _thread(
            "Invitation: Roadmap review @ Thu Nov 12, 2026 2pm - 3pm (EST)",
            "Jonah Whitaker <jonah.whitaker@example.com>",
            "Hi Maya,\n\nSending the invite for the roadmap review with the product leads.\n\n"
            "When: Thursday, Nov 12, 2:00-3:00pm ET\nWhere: Harbor room\n\nThanks,\nJonah",
            "calendar",
        )
    )
    assert result.category is Category.MEETING
    assert not result.needs_reply


def test_direct_question_needs_reply() -> None:
    result = _triage(
        _thread(
            "Retry budget for the webhook worker - 5 or 8?",
            "Tomás Ferreira <tomas.ferreira@example.com>",
            "Hey Maya,\n\nQuick one before I finish the webhook worker config. Should the "
            "retry budget be 5 or 8 attempts? I need your call by tomorrow so it makes the "
            "release.\n\nThanks,\nTomás",
        )
    )
    assert result.category is Category.TO_RESPOND
    assert result.needs_reply
    assert result.priority in {Priority.URGENT, Priority.HIGH}


def test_fyi_without_ask() -> None:
    result = _triage(
        _thread(
            "Heads up: nightly warehouse load runs later this week",
            "Kenji Mori <kenji.mori@example.com>",
            "Hi all,\n\nThe nightly warehouse load will run about two hours later this week "
            "while we migrate the staging cluster. Dashboards will refresh by 9am instead "
            "of 7am. No action needed on your side.\n\nKenji",
        )
    )
    assert result.category is Category.FYI
    assert not result.needs_reply


def test_german_request_with_bis_freitag() -> None:
    result = _triage(
        _thread(
            "Angebot für Lizenzverlängerung 2027",
            "Martin Keller <m.keller@example.org>",
            "Hallo Frau Lindqvist,\n\nwir möchten die Lizenz für 2027 auf 250 Nutzer "
            "erweitern.\n\nKönnten Sie mir bitte bis Freitag ein aktualisiertes Angebot "
            "schicken?\n\nMit freundlichen Grüßen\nMartin Keller",
        )
    )
    assert result.category is Category.TO_RESPOND
    assert result.needs_reply
    assert [t.due for t in result.tasks] == [date(2026, 11, 6)]
    assert result.tasks[0].assignee == OWNER


def test_spanish_request_with_explicit_day() -> None:
    result = _triage(
        _thread(
            "Pedido 4500-2291 - faltan datos para tramitar el pago",
            "Rosa Jiménez <rosa.jimenez@example.org>",
            "Hola Maya:\n\nNos falta el certificado de titularidad de la cuenta bancaria.\n\n"
            "¿Podrías enviarnos el certificado antes del jueves 12?\n\nUn saludo,\nRosa",
        )
    )
    assert result.category is Category.TO_RESPOND
    assert result.needs_reply
    assert result.tasks[0].due == date(2026, 11, 12)


def test_by_friday_resolves_against_the_wednesday_it_was_sent() -> None:
    result = _triage(
        _thread(
            "Q4 close numbers",
            "Aisha Okafor <aisha.okafor@example.com>",
            "Hi Maya,\n\nCould you send me the platform accruals by Friday?\n\nThanks,\nAisha",
        )
    )
    assert [t.due for t in result.tasks] == [date(2026, 11, 6)]
    assert due_date("please send it by Friday", WEDNESDAY.date()) == date(2026, 11, 6)


def test_relative_dates_across_languages() -> None:
    ref = WEDNESDAY.date()
    assert due_date("reply by tomorrow EOD", ref) == date(2026, 11, 5)
    assert due_date("avant lundi midi", ref) == date(2026, 11, 9)
    assert due_date("até sexta-feira, dia 6", ref) == date(2026, 11, 6)
    assert due_date("by end of month", ref) == date(2026, 11, 30)
    assert due_date("no later than Nov 20", ref) == date(2026, 11, 20)
    assert due_date("by 2026-12-03", ref) == date(2026, 12, 3)
    assert due_date("next week", ref) == date(2026, 11, 9)


def test_request_to_a_group_has_no_assignee() -> None:
    result = _triage(
        _thread(
            "Benefits enrollment closes Nov 20",
            "Inés Castillo <ines.castillo@example.com>",
            "Hi everyone,\n\nOpen enrollment for 2027 benefits is now open. Please enroll "
            "in the portal by Nov 20.\n\nInés",
            sent_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        )
    )
    assert result.tasks
    assert result.tasks[0].assignee is None
    assert result.tasks[0].due == date(2026, 11, 20)


def test_summary_is_drawn_from_the_text() -> None:
    first = _triage(
        _thread(
            "Bluepine go-live",
            "Daniel Osei <daniel.osei@example.org>",
            "Hi Maya,\n\nWe are moving the Bluepine go-live from Nov 30 to Monday, Dec 7.\n\n"
            "Daniel",
        )
    )
    second = _triage(
        _thread(
            "Bluepine go-live",
            "Daniel Osei <daniel.osei@example.org>",
            "Hi Maya,\n\nThe Bluepine go-live stays on Nov 30 after all; training starts "
            "Nov 16.\n\nDaniel",
        )
    )
    assert "Dec 7" in first.summary
    assert "training starts Nov 16" in second.summary
    assert first.summary != second.summary


def test_outputs_validate_and_carry_usage() -> None:
    thread = _thread("Hello", "Sam <sam@example.com>", "Can you review the runbook?")
    result = triage.run(LocalProvider(), thread)
    assert Triage.model_validate(result.output.model_dump()) == result.output
    assert result.model == "local-heuristic-1"
    assert result.prompt_version == triage.PROMPT_VERSION
    assert result.usage.tokens_in >= (len(triage.SYSTEM) + len(triage.render(thread))) // 4
    assert result.usage.tokens_out > 0


def test_empty_thread_still_validates() -> None:
    result = _triage(ThreadInput(subject="(no subject)", messages=()))
    assert result.category is Category.FYI
