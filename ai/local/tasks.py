"""Task drafts from request sentences: who is asked to do what, by when.

A sentence is a task when it asks the reader for something (a request cue in any of
the five languages, or an imperative verb with a deadline). Offers, closings ("let me
know if you have questions") and invitations to attend are not tasks.
"""

from __future__ import annotations

import re
from datetime import date

from ai.local.dates import due_date, find_dates
from ai.local.lexicon import GROUP_RE, REQUEST_RE
from ai.local.text import owner_names
from ai.types import TaskDraft

_IMPERATIVE = re.compile(
    r"^(?:please\s+)?(?:send|review|submit|add|update|book|enroll|renew|approve|complete|sign|"
    r"confirm|share|fill(?: out| in)?|register|migrate|prepare|read|reply|respond|upload|"
    r"schedule|check|verify|rotate|acknowledge|estimate|rsvp|return|provide|finish|file|"
    r"block|reserve|pick|choose|decide|let me know|get|make)\b",
    re.IGNORECASE,
)
_NOT_A_TASK = re.compile(
    r"(?:(?:let me know|reach out|ping me|get in touch|contact me|shout)\b.{0,25}\b(?:if|should)\s+"
    r"(?:you|there)|don'?t hesitate|feel free|please find|please see|please note|find attached|"
    r"please join|join us|see you|looking forward|hope you|thanks? for|would you be open|"
    r"if you'?d rather|reply \"?no thanks|happy to help|if you need anything|"
    r"no (?:action|reply) (?:needed|required)|nothing needed from you|"
    r"no es necesario|não é preciso|pas besoin|keine antwort)",
    re.IGNORECASE,
)
# "Jonah - can you ..." (any dash) / "Sam, please ...": the ask goes to the named person.
_VOCATIVE = re.compile(r"^@?([A-ZÀ-Ö][\w.-]+)\s*(?:[,\u2013\u2014:-]|\s-\s)\s*")
_REQUEST_PREFIX = re.compile(
    r"^(?:(?:and|also|oh|so|one more thing|finally|lastly|plus|außerdem|además|aussi|também)"
    r"[,:]?\s+)*"
    r"(?:(?:could|can|would|will) you(?: (?:please|also|kindly|maybe))?|please|pls|kindly|"
    r"i need you to|need you to|i'?d like you to|make sure (?:to|you)|don'?t forget to|"
    r"remember to|you(?:'ll)? need to|you must|be sure to|"
    r"k[öo]nnten sie(?: mir)?(?: bitte)?|k[öo]nnen sie(?: bitte)?|kannst du(?: bitte)?|bitte|"
    r"podr[ií]as|puedes|por favor|pourrais-tu|pourriez-vous|peux-tu|pouvez-vous|merci de|"
    r"veuillez|poderia|podes|pode)\s+",
    re.IGNORECASE,
)
_STRONG_ACTION = re.compile(
    r"\b(?:must|required|will be (?:retired|deprecated|shut down|removed|disabled)|migrate|"
    r"action (?:required|needed)|renew|expires?)\b",
    re.IGNORECASE,
)
_MAX_TASKS = 5
# "Contractor accruals - confirm the hours by Tuesday": a topic label, then the ask.
_LABEL = re.compile(r"^[^\W\d][\w /&.'()-]{2,40}?\s[\u2013\u2014-]\s+")
# The reader named or an obligation stated: with a deadline this is an ask even without
# "please" ("I need a one-pager from you by 11:30", "expenses must be submitted by ...").
_READER_OR_DUTY = re.compile(
    r"\b(?:you|your|from you|need(?:s|ed)?|must|required|have to|has to|"
    r"du|dich|dir|ihr|sie|ihre|m[üu]ssen|muss|brauche|ben[öo]tige|"
    r"usted|te|tu|tus|vous|votre|vos|toi|você|voce|vocês|seu|sua|"
    r"necesit\w*|debe\w*|doi[st]|devez|faut|precis\w*|deve\w*)\b",
    re.IGNORECASE,
)


def _deadline_on_reader(sentence: str, ref: date | None) -> bool:
    """A deadline ("by", "bis", "antes de" + a date) in a sentence about the reader."""
    if ref is None or not _READER_OR_DUTY.search(sentence):
        return False
    return any(m.deadline for m in find_dates(sentence, ref))


# Capitalised openers that are not names ("Oh, ...", "Also: ...", "Agenda: ...").
_NOT_NAMES_TEXT = """oh ok okay also so and but then thanks thank yes no hi hey well plus btw ps
    note update agenda pre-read preread fyi heads reminder quick one finally first second
    third next today tomorrow monday tuesday wednesday thursday friday when where who what
    why how subject re fwd important urgent action context background question status
    außerdem además aussi também ainda bitte merci gracias obrigado"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def vocative(sentence: str) -> str | None:
    """The lower-cased name a sentence opens by addressing ("Jonah - can you"), if any."""
    match = _VOCATIVE.match(sentence)
    if not match:
        return None
    name = match.group(1).lower().lstrip("@").rstrip(".")
    if name in _NOT_NAMES or REQUEST_RE.match(name):
        return None
    return name


def _title(sentence: str) -> str:
    text = _VOCATIVE.sub("", sentence) if vocative(sentence) else sentence
    # Request phrasing is often mid-sentence ("Before then, could you ...").
    match = re.search(
        r"\b(?:could|can|would|will) you(?: (?:please|also|kindly))?\s+|\bplease\s+", text, re.I
    )
    if match and match.start() < 60:
        text = text[match.end() :]
    text = _REQUEST_PREFIX.sub("", text.strip().lstrip("-=_*#~ "))
    text = text.strip(" ?.!¿¡:;,")
    if len(text) > 90:
        text = text[:89].rsplit(" ", 1)[0].rstrip(",;:\u2013- ") + "…"
    return text[:1].upper() + text[1:] if text else sentence[:90]


def _assignee(sentence: str, greeting: str, owner: str) -> str | None:
    names = owner_names(owner)
    named = vocative(sentence)
    if named and named not in names:
        # Someone other than the owner is asked; their address is not known here.
        return None
    lowered = sentence.lower()
    if re.search(
        r"\b(?:everyone|everybody|all of you|you all|y'?all|please all|each of you|"
        r"a todos|alle|tout le monde|todos)\b",
        lowered,
    ):
        return None
    if greeting and GROUP_RE.search(greeting) and not any(n in greeting.lower() for n in names):
        return None
    return owner or None


def _neighbour_deadline(sentences: tuple[str, ...], index: int, ref: date) -> date | None:
    """A deadline stated next to the ask ("... Si nos lo mandáis antes del jueves 12")."""
    for other in (index + 1, index - 1):
        if 0 <= other < len(sentences):
            deadlines = [m.value for m in find_dates(sentences[other], ref) if m.deadline]
            if deadlines:
                return deadlines[0]
    return None


def extract(
    sentences: tuple[str, ...],
    *,
    greeting: str,
    owner: str,
    ref: date | None,
    automated: bool,
) -> list[TaskDraft]:
    """Tasks asked of the recipients, in reading order, deduplicated by title."""
    tasks: list[TaskDraft] = []
    seen: set[str] = set()
    for index, sentence in enumerate(sentences):
        if _NOT_A_TASK.search(sentence) or sentence.lower().startswith(
            ("if ", "wenn ", "si ", "se ")
        ):
            continue
        due = due_date(sentence, ref) if ref else None
        if due is None and ref is not None:
            due = _neighbour_deadline(sentences, index, ref)
        asked = bool(REQUEST_RE.search(sentence)) or _deadline_on_reader(sentence, ref)
        bare = _VOCATIVE.sub("", sentence)
        imperative = bool(_IMPERATIVE.match(bare) or _IMPERATIVE.match(_LABEL.sub("", bare)))
        if automated:
            # System and bulk mail asks many things of everyone; only hard actions count.
            if not (_STRONG_ACTION.search(sentence) and (due or asked or imperative)):
                continue
        elif not (asked or (imperative and (due or len(sentence) < 160))):
            continue
        title = _title(sentence)
        key = title.lower()
        if len(title) < 4 or key in seen:
            continue
        seen.add(key)
        tasks.append(TaskDraft(title=title, due=due, assignee=_assignee(sentence, greeting, owner)))
        if len(tasks) == _MAX_TASKS:
            break
    return tasks
