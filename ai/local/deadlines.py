"""Due dates stated away from the ask: fields, list headers, the meeting's own date.

A request sentence often carries no date of its own while the mail still says when it
is due: a tracker's "Due date: 12/Nov/26" field, a list header ("Before Tuesday EOD,
please:"), a trailing fragment ("Also by Thursday 5pm, please."), "by the same
deadline", or, for prep work in an invitation, the meeting itself. These helpers find
those dates; tasks.py decides which task they belong to.

Field values in formats the hand-written patterns do not cover ("12/Nov/26") go to
dateparser, but only the short value after a field label, never free text: it reads
ordinary words as dates too eagerly and is slow on long input.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ai.local.dates import find_dates

_LANGUAGES = ["en", "de", "es", "fr", "pt"]

# Due-date fields of trackers and forms, e.g. Due date 12/Nov/26 or Fällig 17.11.
_DUE_FIELD = re.compile(
    r"\b(?:due(?: date)?|deadline|f[äa]llig(?:keitsdatum| am)?|frist|fecha l[ií]mite|"
    r"vencimiento|[ée]ch[ée]ance|date limite|prazo|vencimento|data limite)\s*:\s*"
    r"([^\s,;]+(?:[ \t][^\s,;:]+){0,3})",
    re.IGNORECASE,
)
# The meeting-time field of an invitation (When, Date, Wann, Cuándo, Quand, Quando).
_WHEN_FIELD = re.compile(
    r"\b(?:when|date|wann|datum|cu[áa]ndo|fecha|quand|quando|data)\s*:\s*"
    r"([^\n;]{3,60})",
    re.IGNORECASE,
)
# "by the same deadline", "by then", "bis dahin", "para entonces", "d'ici là", "até lá"
SAME_DEADLINE = re.compile(
    r"\b(?:(?:by|before) (?:the same (?:deadline|date|time)|then)|bis dahin|"
    r"para entonces|antes de esa fecha|d'ici l[àa]|avant cette date|at[ée] l[áa]|"
    r"no mesmo prazo|en el mismo plazo|dans le m[êe]me d[ée]lai)\b",
    re.IGNORECASE,
)
# Prep work for the meeting itself: due on the meeting's day.
PREP = re.compile(
    r"\b(?:bring|come (?:with|prepared)|have [^.]{0,40}\bready|prepare[sd]? for|"
    r"pr[ée]voi[sr]|pr[ée]voyez|apporte[rz]?|amène|traer|trae|traiga|trigas|"
    r"mitbringen|bringen sie|bring\b|levar|leve|traga|tragam)\b",
    re.IGNORECASE,
)
# Words whose presence in a sentence means "the answer is due then".
ANSWER_DUE = re.compile(
    r"\b(?:answer|reply|response|decision|feedback|confirmation|go-ahead|heads-up|"
    r"need to (?:tell|let|give|update|get back to)|antwort|r[üu]ckmeldung|entscheidung|"
    r"respuesta|decisi[óo]n|confirmaci[óo]n|r[ée]ponse|d[ée]cision|retour|resposta|"
    r"decis[ãa]o|retorno|confirma[çc][ãa]o)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _parser(ref: date) -> Any:
    """One dateparser parser per reference day: building one loads the language data."""
    from dateparser.date import DateDataParser

    settings = {
        # dateparser compares against a naive base when asked for naive results.
        "RELATIVE_BASE": datetime(ref.year, ref.month, ref.day),  # noqa: DTZ001
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month"],
    }
    return DateDataParser(languages=_LANGUAGES, settings=settings)


def parse_value(value: str, ref: date) -> date | None:
    """A date written as a field value, with this module's patterns or dateparser."""
    mentions = find_dates(value, ref)
    if mentions:
        return mentions[0].value
    # Only short values with a digit go to dateparser ("12/Nov/26"), never prose.
    value = value.strip(" .()")
    if not re.search(r"\d", value) or len(value) > 40:
        return None
    parsed = _parser(ref).get_date_data(value).date_obj
    return parsed.date() if isinstance(parsed, datetime) else None


def field_due(sentences: tuple[str, ...], ref: date) -> date | None:
    """The due date a tracker or form states as a field ("Due date: 12/Nov/26")."""
    for sentence in sentences:
        match = _DUE_FIELD.search(sentence)
        if match:
            # The value runs into the next field ("12/Nov/26 Reporter"): try it shorter.
            words = match.group(1).split()
            for count in range(len(words), 0, -1):
                value = parse_value(" ".join(words[:count]), ref)
                if value is not None:
                    return value
    return None


def meeting_date(subject: str, sentences: tuple[str, ...], index: int, ref: date) -> date | None:
    """The day of the meeting an invitation is about, for prep work asked in it.

    A "When:" or "Date:" field names it; without one, the nearest date before the ask
    (the proposed slot), then the subject's.
    """
    for sentence in sentences:
        match = _WHEN_FIELD.search(sentence)
        if match:
            value = parse_value(match.group(1), ref)
            if value is not None:
                return value
    for sentence in reversed(sentences[: index + 1]):
        mentions = find_dates(sentence, ref)
        if mentions:
            return mentions[-1].value if sentence is not sentences[index] else mentions[0].value
    mentions = find_dates(subject, ref)
    return mentions[0].value if mentions else None


def last_deadline(sentences: tuple[str, ...], index: int, ref: date) -> date | None:
    """The latest deadline stated before sentences[index] ("by the same deadline")."""
    for sentence in reversed(sentences[:index]):
        deadlines = [m.value for m in find_dates(sentence, ref) if m.deadline]
        if deadlines:
            return deadlines[-1]
    return None


_STEM_STOP_TEXT = """about after again before being could first other their there these thing
    things those today tomorrow would should which where while every never still"""
_STEM_STOP = frozenset(_STEM_STOP_TEXT.split())


def stems(sentence: str) -> set[str]:
    """Five-letter stems of the longer words, to tell whether two sentences share a topic."""
    words = re.findall(r"[^\W\d_]{5,}", sentence.lower())
    return {w[:5] for w in words if w not in _STEM_STOP}
