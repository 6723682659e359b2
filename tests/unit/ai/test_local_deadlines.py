"""Rules of the local provider for tasks and due dates stated away from the ask."""

from __future__ import annotations

from datetime import date

import pytest

from ai.local.dates import due_date, find_dates
from ai.local.deadlines import field_due, meeting_date, parse_value
from ai.local.tasks import extract
from ai.types import TaskDraft

OWNER = "maya.lindqvist@example.com"
# A Tuesday.
REF = date(2026, 11, 10)


def _tasks(*sentences: str, automated: bool = False, **kwargs: object) -> list[TaskDraft]:
    return extract(
        tuple(sentences),
        greeting="Hi Maya,",
        owner=OWNER,
        ref=REF,
        automated=automated,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please file your expenses by end of day Friday, Nov 13, thanks.", date(2026, 11, 13)),
        ("Reply with the rooms you want by EOD Thursday.", date(2026, 11, 12)),
        ("Registration runs through Monday, November 16.", date(2026, 11, 16)),
        ("Your review was due last Friday, Nov 6.", date(2026, 11, 6)),
        (
            "Pre-read: the budget memo by Thursday, Nov 12: https://example.com/memo",
            date(2026, 11, 12),
        ),
        ("Die Anmeldung läuft bis spätestens Montag, 16.11.", date(2026, 11, 16)),
        ("La inscripción está abierta hasta el viernes 13.", date(2026, 11, 13)),
    ],
)
def test_deadline_phrases(text: str, expected: date) -> None:
    assert due_date(text, REF) == expected


def test_last_weekday_looks_back() -> None:
    assert find_dates("It was due last Friday.", REF)[0].value == date(2026, 11, 6)
    assert find_dates("Sie war letzten Montag fällig.", REF)[0].value == date(2026, 11, 9)


def test_field_values_use_dateparser_only_for_short_values() -> None:
    assert parse_value("3/Dec/26", REF) == date(2026, 12, 3)
    assert field_due(("Priority: Low Due date: 3/Dec/26 Reporter: Sam Ortiz",), REF) == date(
        2026, 12, 3
    )
    assert parse_value("whenever the team has time", REF) is None


def test_meeting_date_from_when_field() -> None:
    sentences = ("Wann: Donnerstag, 19. November, 10:00 Uhr", "Bitte bringt eure Zahlen mit.")
    assert meeting_date("", sentences, 1, REF) == date(2026, 11, 19)


def test_conditional_main_clause_is_the_ask() -> None:
    tasks = _tasks("If that works, please send the signed order form to Lena by Friday, Nov 13.")
    assert [(t.title, t.due) for t in tasks] == [
        ("Send the signed order form to Lena by Friday, Nov 13", date(2026, 11, 13))
    ]


def test_conditional_consequence_is_not_an_ask() -> None:
    assert _tasks("If the card is not updated by Dec 1, your workspace will be paused.") == []


def test_optional_condition_is_not_an_ask() -> None:
    assert _tasks("If you have anything to add, drop it in the planning doc.") == []
    assert _tasks("Si tienes dudas, escríbeme.") == []


def test_polite_condition_is_the_ask_es() -> None:
    tasks = _tasks("Si puedes traer el informe de ventas el jueves 12, mejor.")
    assert tasks
    assert tasks[0].due == date(2026, 11, 12)
    assert tasks[0].title.startswith("Traer el informe")


def test_answer_deadline_dates_the_question() -> None:
    tasks = _tasks(
        "Should we keep the old pricing page live for another month?",
        "A decision by tomorrow morning would be great, as the agency starts Thursday.",
    )
    assert [t.due for t in tasks] == [date(2026, 11, 11)]


def test_fragment_deadline_joins_the_ask_before_it() -> None:
    tasks = _tasks(
        "Sam \u2013 please double-check the VAT numbers on the Q4 invoices.",
        "Ideally by Thursday noon, please.",
    )
    assert len(tasks) == 1
    assert tasks[0].due == date(2026, 11, 12)


def test_list_header_dates_its_items() -> None:
    tasks = _tasks(
        "Before Friday EOD, please:",
        "read the incident write-up and add your comments",
        "Maya \u2013 confirm the new escalation rota",
        "The retro itself is on Monday.",
    )
    assert [t.due for t in tasks] == [date(2026, 11, 13), date(2026, 11, 13)]


def test_labelled_deadline_prefix_fr() -> None:
    tasks = _tasks("D'ici jeudi 12 novembre : envoie-moi la liste des invités.")
    assert tasks
    assert tasks[0].due == date(2026, 11, 12)


def test_prep_work_is_due_on_the_meeting_day() -> None:
    tasks = _tasks(
        "Date : jeudi 19 novembre 2026, 14h00",
        "Prévois ton ordinateur pour la démo.",
        meeting=True,
    )
    assert tasks
    assert tasks[0].due == date(2026, 11, 19)


def test_also_ask_shares_the_previous_deadline_de() -> None:
    tasks = _tasks(
        "Bitte tragt bis Freitag eure Urlaubstage ins Tool ein.",
        "Jonas, könntest du zusätzlich die Vertretungen prüfen?",
    )
    assert [t.due for t in tasks] == [date(2026, 11, 13), date(2026, 11, 13)]


def test_stated_deadline_of_someone_else_lends_its_date() -> None:
    tasks = _tasks(
        "Maya \u2013 please list the customers affected by the outage.",
        "Legal needs the list by tomorrow 10am.",
    )
    assert [(t.title, t.due) for t in tasks] == [
        ("List the customers affected by the outage", date(2026, 11, 11))
    ]


def test_topic_deadline_elsewhere_in_the_mail() -> None:
    tasks = _tasks(
        "The pension election window runs through Friday, Nov 20.",
        "Nothing changes for most of you.",
        "If you want to switch funds, you have to submit the election form.",
    )
    assert tasks
    assert tasks[0].due == date(2026, 11, 20)


def test_same_deadline_pt() -> None:
    tasks = _tasks(
        "As despesas têm de ser lançadas até sexta-feira, 13 de novembro.",
        "Envie também os recibos em papel até lá.",
    )
    assert [t.due for t in tasks] == [date(2026, 11, 13), date(2026, 11, 13)]


def test_system_mail_imperative_next_to_a_consequence() -> None:
    tasks = _tasks(
        "If payment hasn't gone through by Dec 4, your account will be suspended.",
        "Update your billing details: https://example.net/billing",
        automated=True,
    )
    assert [t.due for t in tasks] == [date(2026, 12, 4)]


def test_marketing_imperative_does_not_borrow_urgency() -> None:
    tasks = _tasks(
        "Our early-bird price expires Friday.",
        "Register today: https://example.net/summit",
        automated=True,
        marketing=True,
    )
    assert tasks == []


def test_prohibition_and_no_reply_are_not_tasks() -> None:
    assert _tasks("The notes are confidential; please don't forward them.") == []
    assert _tasks("No need to reply \u2013 bring questions to the Thursday Q&A.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "¿Te vendría bien el martes a las 11:00?",
        "Merci de me confirmer le nombre de couverts d'ici mercredi.",
        "Est-ce que jeudi 15h te convient ?",
        "Passt es Ihnen am Donnerstag um 10 Uhr?",
        "Quinta às 14h funciona para você?",
    ],
)
def test_availability_and_confirmation_cues_want_a_reply(sentence: str) -> None:
    from ai.local.lexicon import REPLY_RE

    assert REPLY_RE.search(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "You'll have to re-enroll in the new plan.",
        "Tienes que firmar el anexo antes del cierre.",
        "Vous devez renouveler le certificat.",
        "Sie müssen die Reisekosten noch freigeben.",
        "Você precisa atualizar o cadastro.",
    ],
)
def test_obligations_on_the_reader_are_requests(sentence: str) -> None:
    from ai.local.lexicon import REQUEST_RE

    assert REQUEST_RE.search(sentence)
