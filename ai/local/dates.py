"""Date expressions in mail text, resolved against the message's own date.

"By Friday" means the Friday after the day the sender wrote it, in the sender's local
calendar, so the reference is the sent_at date as the sender saw it (the hub passes
sent_at with the sender's offset). Covers en, es, de, fr and pt: weekdays, today /
tomorrow, next week, end of week / month, "in N days", and explicit dates written with
month names or numbers.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan enero januar jänner janvier janeiro",
        "february feb febrero februar février fevrier fevereiro",
        "march mar marzo märz maerz mars março marco",
        "april apr abril avril",
        "may mayo mai maio",
        "june jun junio juni juin junho",
        "july jul julio juli juillet julho",
        "august aug agosto août aout",
        "september sep sept septiembre setiembre septembre setembro",
        "october oct octubre oktober octobre outubro",
        "november nov noviembre novembre novembro",
        "december dec diciembre dezember décembre decembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "monday mon montag lunes lundi segunda segunda-feira",
        "tuesday tue tues dienstag martes mardi terça terca terça-feira terca-feira",
        "wednesday wed mittwoch miércoles miercoles mercredi quarta quarta-feira",
        "thursday thu thur thurs donnerstag jueves jeudi quinta quinta-feira",
        "friday fri freitag viernes vendredi sexta sexta-feira",
        "saturday samstag sábado sabado samedi",
        "sunday sonntag domingo dimanche",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _number

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in _WEEKDAYS), key=len, reverse=True))

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d)(?:,?\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|\.|º|°)?\s+(?:de\s+|of\s+)?({_MONTH_ALT})\b\.?"
    rf"(?:,?\s+(?:de\s+)?(\d{{4}}))?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"\b(\d{1,2})([/.])(\d{1,2})(?:\2(\d{2,4}))?\b(?![/.]\d)(?!\s*(?:%|h\b|am|pm))"
)
_WEEKDAY_DAY = re.compile(
    rf"\b({_WEEKDAY_ALT})\b,?\s+(?:(?:the|dia|den|le)\s+)?(\d{{1,2}})\b(?![:.h]\d|\s*(?:am|pm|h\b|uhr))",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    rf"\b(?:(next|this|coming|nächsten?|kommenden?|diesen|próximo|proximo|próxima|proxima|"
    rf"prochain|ce)\s+)?({_WEEKDAY_ALT})\b\.?(?:\s+(next week|que vem|prochain|próximo|proximo))?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(day after tomorrow|übermorgen|pasado mañana|après-demain|depois de amanh[ãa]|"
    r"tomorrow|morgen|mañana|demain|amanh[ãa]|"
    r"today|tonight|eod|end of (?:the )?day|cob|heute|hoy|aujourd'hui|hoje|"
    r"end of (?:the |this )?week|this week|diese woche|esta semana|cette semaine|"
    r"end of next week|next week|nächste woche|la semana que viene|la próxima semana|"
    r"la semaine prochaine|semana que vem|próxima semana|proxima semana|"
    r"end of (?:the |this )?month|month[- ]end|ende des monats|monatsende|fin de mes|"
    r"finales de mes|fin du mois|fim do m[êe]s)\b",
    re.IGNORECASE,
)
_IN_N = re.compile(
    r"\b(?:in|within|en|dans|em|innerhalb(?: von)?|binnen)\s+(\d{1,3}|a|one|two|three|a few)\s+"
    r"(days?|business days?|hours?|weeks?|tagen?|stunden|wochen?|d[ií]as|horas|semanas|"
    r"jours|heures|semaines)\b",
    re.IGNORECASE,
)
_DEADLINE_BEFORE = re.compile(
    r"(?:\bby|\bbefore|\buntil|\btill|no later than|\bdue(?: on| by)?|deadline(?: is)?|"
    r"cut-?off(?: is)?|\bbis(?: zum| spätestens)?|spätestens(?: am| bis)?|\bvor dem|"
    r"\bantes de(?:l)?|\bhasta(?: el)?|\bpara el|\bavant(?: le)?|au plus tard(?: le)?|"
    r"d'ici(?: à)?|\bat[ée](?: ao?| à)?|"
    r"\bprazo|\bclose[sd]?|\bends?|\bexpires?(?: on)?|\bthrough|\bthru|\bjusqu'(?:au|à)|"
    r"\bhasta|\bsp[äa]testens)"
    r"[\s,:(]*(?:\d{1,2}(?:[:.h]\d\d)?\s?(?:am|pm|h|uhr)?\s+(?:on\s+)?)?"
    r"(?:(?:the )?(?:end of (?:the )?day|eod|cob),?\s+)?"
    r"(?:(?:last|this|next|coming|the|el|le|la|o|a|am|dem|den)\s+)?"
    r"(?:(?:the |el |le |la |o |a |am |dem |this |next |coming |[a-zà-ü]+day,?\s+|"
    r"[a-zà-ü]+(?:-feira)?,?\s+)(?:\(\s*)?)?$",
    re.IGNORECASE,
)

# "by 11:30", "before 9:45", "bis 14 Uhr", "avant midi": a deadline later the same day.
_CLOCK_DEADLINE = re.compile(
    r"\b(?:by|before|until|no later than|bis|vor|avant|antes de las?|antes das?|até [àa]s?)\s+"
    r"(\d{1,2}(?::\d\d|h\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.|h|uhr)?|noon|midday|mittag|midi|"
    r"mediod[ií]a|meio-dia)(?![\d/.]\d)\b",
    re.IGNORECASE,
)

# "end of day Friday, Nov 13": the day named right after a time-of-day phrase.
_DAY_AFTER = re.compile(
    rf"[\s,]*(?:on\s+)?(?:(?:this|next)\s+)?(?:{_WEEKDAY_ALT}|{_MONTH_ALT}|\d)\b", re.IGNORECASE
)

_LAST = re.compile(r"\b(?:last|letzten|[úu]ltimo|dernier)\s+$", re.IGNORECASE)

_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "a few": 3}


@dataclass(frozen=True, slots=True)
class DateMention:
    value: date
    start: int
    end: int
    # Introduced by "by", "before", "bis", "antes de"...: a due date, not just a date.
    deadline: bool


def _infer_year(month: int, day: int, ref: date) -> date | None:
    """The year that puts a yearless date nearest to the reference, leaning forward."""
    for year in (ref.year, ref.year + 1, ref.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        # Mail talks about the coming months; a date over two months back is next year's.
        if year == ref.year and candidate < ref - timedelta(days=60):
            continue
        if year == ref.year - 1 and ref.month > 2:
            continue
        return candidate
    return None


def _make(year: int | None, month: int, day: int, ref: date) -> date | None:
    if year is None:
        return _infer_year(month, day, ref)
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_weekday(ref: date, weekday: int, *, skip_week: bool = False) -> date:
    days = (weekday - ref.weekday()) % 7
    # "By Friday" written on a Friday means next week's.
    if days == 0:
        days = 7
    result = ref + timedelta(days=days)
    return result + timedelta(days=7) if skip_week else result


def _next_day_of_month(ref: date, day: int) -> date | None:
    for months_ahead in range(3):
        month_index = ref.month - 1 + months_ahead
        first = date(ref.year + month_index // 12, month_index % 12 + 1, 1)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            candidate = first.replace(day=day)
            if candidate >= ref:
                return candidate
    return None


def _relative(word: str, ref: date) -> date:
    w = word.lower()
    friday = ref + timedelta(days=(4 - ref.weekday()) % 7)
    if w in {"day after tomorrow", "übermorgen", "pasado mañana", "après-demain"} or w.startswith(
        "depois de"
    ):
        return ref + timedelta(days=2)
    if w in {"tomorrow", "morgen", "mañana", "demain"} or w.startswith("amanh"):
        return ref + timedelta(days=1)
    if "next week" in w and w.startswith("end"):
        return friday + timedelta(days=7)
    if (w.startswith("end of") and "week" in w) or w in {
        "this week",
        "diese woche",
        "esta semana",
        "cette semaine",
    }:
        return friday if ref.weekday() < 5 else friday + timedelta(days=7)
    if "week" in w or "woche" in w or "semana" in w or "semaine" in w:
        # A deadline of "next week" is read as its Monday: the earliest it can mean.
        return ref + timedelta(days=7 - ref.weekday())
    if "mon" in w or "mes" in w or "mois" in w or "mês" in w:
        return ref.replace(day=calendar.monthrange(ref.year, ref.month)[1])
    return ref


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def find_dates(text: str, ref: date) -> list[DateMention]:
    """Every date expression in text, in order of appearance."""
    found: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None) -> None:
        if value is not None and not _overlaps(start, end, taken):
            found.append((start, end, value))
            taken.append((start, end))

    for m in _ISO.finditer(text):
        add(m.start(), m.end(), _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), ref))
    for m in _MONTH_DAY.finditer(text):
        month = _MONTHS[m.group(1).lower()]
        # "may 5" after a modal verb is rare in mail; "mar" is also Spanish for sea.
        if m.group(1).lower() in {"may", "mar", "mai"} and not m.group(1)[0].isupper():
            continue
        year = int(m.group(3)) if m.group(3) else None
        add(m.start(), m.end(), _make(year, month, int(m.group(2)), ref))
    for m in _DAY_MONTH.finditer(text):
        if m.group(2).lower() in {"may", "mar", "mai"} and not m.group(2)[0].isupper():
            continue
        year = int(m.group(3)) if m.group(3) else None
        add(m.start(), m.end(), _make(year, _MONTHS[m.group(2).lower()], int(m.group(1)), ref))
    for m in _NUMERIC.finditer(text):
        first, sep, second = int(m.group(1)), m.group(2), int(m.group(3))
        year = int(m.group(4)) if m.group(4) else None
        if sep == "." and m.group(4) is None and text[m.end() : m.end() + 1] != ".":
            # "2.5" is a number, "12.11." a date: require the trailing dot without a year.
            continue
        # Slashes follow US order unless the first part cannot be a month; dots are d.m.
        month, day = (first, second) if sep == "/" and first <= 12 else (second, first)
        if not (1 <= month <= 12):
            continue
        add(m.start(), m.end(), _make(year, month, day, ref))
    for m in _WEEKDAY_DAY.finditer(text):
        add(m.start(), m.end(), _next_day_of_month(ref, int(m.group(2))))
    for m in _WEEKDAY.finditer(text):
        name = m.group(2).lower()
        if name in {"mon", "wed"} and m.group(2).islower():
            continue
        # A weekday right before an explicit date ("Friday, Nov 6") only names that date.
        following = text[m.end() : m.end() + 4]
        if any(t_start >= m.end() and t_start - m.end() <= 3 for t_start, _ in taken) and (
            following.strip(" ,").strip()[:1].isalnum()
        ):
            continue
        skip = bool(m.group(3)) and m.group(3).lower() == "next week"
        if _LAST.search(text[max(0, m.start() - 12) : m.start()]):
            # "last Friday", "letzten Freitag" look back.
            back = (ref.weekday() - _WEEKDAYS[name]) % 7 or 7
            add(m.start(), m.end(), ref - timedelta(days=back))
            continue
        add(m.start(), m.end(), _next_weekday(ref, _WEEKDAYS[name], skip_week=skip))
    for m in _RELATIVE.finditer(text):
        word = m.group(1).lower()
        # German "Morgen" after "Guten" and Spanish "la mañana" mean morning, not tomorrow.
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if word in {"morgen", "mañana"} and re.search(r"(guten|la|por la|de la|am)\s+$", before):
            continue
        # "Wednesday EOD", "tomorrow EOD" and "end of day Friday, Nov 13" name a time of
        # a day found on its own.
        if word in {"eod", "cob", "end of day", "end of the day", "tonight"} and any(
            0 <= m.start() - t_end <= 3 or 0 <= t_start - m.end() <= 3 for t_start, t_end in taken
        ):
            continue
        if word in {"eod", "cob", "end of day", "end of the day"} and _DAY_AFTER.match(
            text, m.end()
        ):
            continue
        add(m.start(), m.end(), _relative(word, ref))
    for m in _IN_N.finditer(text):
        raw = m.group(1).lower()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = m.group(2).lower()
        if unit.startswith(("hour", "stunde", "hora", "heure")):
            delta = timedelta(days=max(0, (count - 1) // 24 + (1 if count > 24 else 0)))
        elif unit.startswith(("week", "woche", "semana", "semaine")):
            delta = timedelta(weeks=count)
        else:
            delta = timedelta(days=count)
        add(m.start(), m.end(), ref + delta)

    for m in _CLOCK_DEADLINE.finditer(text):
        # Only when the sentence names no day: "by Friday at 5pm" is Friday's.
        if not found:
            # The mention starts at the time, so the "by"/"bis" before it marks a deadline.
            add(m.start(1), m.end(), ref)
    mentions = [
        DateMention(
            value, start, end, bool(_DEADLINE_BEFORE.search(text[max(0, start - 40) : start]))
        )
        for start, end, value in sorted(found)
    ]
    return mentions


def due_date(text: str, ref: date) -> date | None:
    """The due date a sentence sets: a deadline phrase wins over a plain date."""
    mentions = find_dates(text, ref)
    deadlines = [m for m in mentions if m.deadline]
    if deadlines:
        return deadlines[0].value
    return mentions[0].value if mentions else None
