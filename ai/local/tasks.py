"""Task drafts from request sentences: who is asked to do what, by when.

A sentence is a task when it asks the reader for something (a request cue in any of
the five languages, or an imperative verb with a deadline). Offers, closings ("let me
know if you have questions") and invitations to attend are not tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ai.local.dates import due_date, find_dates
from ai.local.deadlines import (
    ANSWER_DUE,
    PREP,
    SAME_DEADLINE,
    field_due,
    last_deadline,
    meeting_date,
    stems,
)
from ai.local.lexicon import GROUP_RE, REQUEST_RE
from ai.local.lexicon.asks import IMPERATIVE_START
from ai.local.text import owner_names
from ai.types import TaskDraft

_IMPERATIVE = re.compile(IMPERATIVE_START, re.IGNORECASE)
_NOT_A_TASK = re.compile(
    r"(?:(?:let me know|reach out|ping me|get in touch|contact me|shout)\b.{0,25}\b(?:if|should)\s+"
    r"(?:you|there)|don'?t hesitate|feel free|please find|please see|please note|find attached|"
    r"please join|join us|see you|looking forward|hope you|thanks? for|would you be open|"
    r"if you'?d rather|reply \"?no thanks|happy to help|if you need anything|"
    r"no (?:action|reply) (?:needed|required)|nothing needed from you|"
    r"no need to (?:reply|respond)|"
    r"no es necesario|não é preciso|pas besoin|keine antwort|"
    # Prohibitions ("please don't forward this invitation") ask nothing to be done.
    r"^(?:please\s+)?(?:don'?t|do not|never)\s+(?!forget)|"
    r"\bplease (?:don'?t|do not)\s+(?!forget))",
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
    r"action (?:required|needed)|renew|expires?|downgraded|suspended|deactivated|"
    r"stop working|lose access|will be deleted|overdue)\b",
    re.IGNORECASE,
)
_MAX_TASKS = 5
# "Contractor accruals - confirm the hours by Tuesday": a topic label, then the ask.
# "Pre-work: fill in ..." and "By Tuesday (Dec 1) EOD: confirm ..." label with a colon.
_LABEL = re.compile(r"^[^\W\d][\w /&.'()-]{2,40}?(?:\s[\u2013\u2014-]|\s?:)\s+")
# The reader named or an obligation stated: with a deadline this is an ask even without
# "please" ("I need a one-pager from you by 11:30", "expenses must be submitted by ...").
_READER_OR_DUTY = re.compile(
    r"\b(?:you|your|from you|need(?:s|ed)?|must|required|have to|has to|(?:is|are|still) due|"
    r"overdue|besoin|br[äa]uchte?|"
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


_CONDITION = re.compile(r"^(?:if|wenn|falls|si|se)\b", re.IGNORECASE)
# "If you could send it by Friday, great", "si puedes traer una propuesta, mejor": the
# condition is itself the (polite) ask.
_POLITE_CONDITION = re.compile(
    r"^(?:if you (?:could|can|have time to|get a chance to)|si (?:puedes|pudieras|pod[eé]is|"
    r"usted puede|tu peux|vous pouvez|tu pouvais|vous pouviez)|se (?:puder|puderes|"
    r"voc[êe] puder)|wenn (?:du|sie) [^,]{0,60}?k[öo]nnte?(?:st|n)?)\s+",
    re.IGNORECASE,
)
# Words a deadline fragment ("Also by Thursday 5pm, please.") is made of besides its date.
# Conditions that make the ask optional ("If you have anything else, add it to the doc"):
# only an obligation in the main clause still makes it a task.
_OPTIONAL_CONDITION = re.compile(
    r"^(?:if (?:you have (?:any|anything)|there(?:'s| is) anything|you(?:'d)? (?:like|want)|"
    r"needed|you need anything)|si (?:tienes|ten[eé]is|vous avez|tu as|quieres|vous voulez)|"
    r"se (?:tiver|quiser)|falls|wenn (?:du|sie|ihr) (?:noch )?(?:fragen|etwas|lust))\b",
    re.IGNORECASE,
)
_OBLIGATION = re.compile(
    r"\b(?:must|have to|has to|need to|required|m[üu]ssen|musst|tienes que|debes|"
    r"hay que|dois|devez|il faut|tem de|tem que|precisa)\b",
    re.IGNORECASE,
)
# "Could you also ...", "Leo, könntest du zusätzlich ...": an add-on to the ask before it,
# due when that one is.
_ALSO = re.compile(
    r"\b(?:also|additionally|as well|too|zus[äa]tzlich|auch|tambi[ée]n|adem[áa]s|aussi|"
    r"[ée]galement|tamb[ée]m)\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|du|dich|dir|ihr|euch|sie|ihnen|usted|t[úu]|te|vous|votre|toi|voc[êe]s?)\b",
    re.IGNORECASE,
)
_FILLER_TEXT = """also and please pls too as well same for both that one this the by before until
    no later than bitte auch bis por favor tambi\u00e9n antes de del merci aussi avant
    d'ici s'il plait pla\u00eet favor tamb\u00e9m at\u00e9 ate eod cob end of day noon
    midday pm am et cet pt est"""
_FILLER = frozenset(_FILLER_TEXT.split())


def _clause(sentence: str) -> str | None:
    """The part of a sentence that can hold an ask.

    A conditional's ask is in its main clause ("If yes, please send your slides ..."),
    or, for a polite condition, in the condition itself; "If payment fails, your plan
    will be downgraded" holds none.
    """
    if not _CONDITION.match(sentence):
        return sentence
    polite = _POLITE_CONDITION.match(sentence)
    if polite:
        return sentence[polite.end() :].split(",")[0].strip() or None
    _condition, comma, main = sentence.partition(",")
    if _OPTIONAL_CONDITION.match(sentence) and not _OBLIGATION.search(main):
        return None
    return main.strip() or None if comma else None


def _is_fragment(clause: str, ref: date | None) -> bool:
    """A bare deadline ("Also by Thursday 5pm, please.") that belongs to a nearby ask."""
    if ref is None:
        return False
    mentions = find_dates(clause, ref)
    if not mentions:
        return False
    rest = clause
    for mention in reversed(mentions):
        rest = rest[: mention.start] + " " + rest[mention.end :]
    words = [w for w in re.findall(r"[^\W\d_][\w']*", rest.lower()) if w not in _FILLER]
    return len(words) <= 1


@dataclass
class _Candidate:
    index: int
    clause: str
    task: bool
    due: date | None
    # Asked only by a stated deadline with nobody addressed ("Grace needs the names by
    # tomorrow"): lends that deadline to an undated ask right before it.
    soft: bool = False


def _classify(
    sentence: str, clause: str, ref: date | None, automated: bool, neighbours: str, marketing: bool
) -> bool:
    """Whether a clause asks the reader to do something."""
    asked = bool(REQUEST_RE.search(clause)) or _deadline_on_reader(clause, ref)
    bare = _VOCATIVE.sub("", clause)
    imperative = bool(_IMPERATIVE.match(bare) or _IMPERATIVE.match(_LABEL.sub("", bare)))
    due = bool(ref and find_dates(clause, ref))
    if automated:
        # System and bulk mail asks many things of everyone; only hard actions count,
        # stated in the sentence or, for a system's "Update your card:", right next to it.
        strong = bool(_STRONG_ACTION.search(sentence))
        if not strong and imperative and not marketing:
            strong = bool(_STRONG_ACTION.search(neighbours))
        if marketing:
            # A promotion's "offer expires Friday" is no task; "please migrate" is.
            return strong and (asked or imperative)
        return strong and (due or asked or imperative)
    return asked or (imperative and (due or len(clause) < 160))


def _own_due(candidates: list[_Candidate], sentences: tuple[str, ...], ref: date) -> None:
    """Dates written in the ask itself, or pointed at ("by the same deadline")."""
    for c in candidates:
        c.due = due_date(c.clause, ref)
        if c.due is None and SAME_DEADLINE.search(c.clause):
            c.due = last_deadline(sentences, c.index, ref)


def _borrowed_dues(
    candidates: list[_Candidate],
    sentences: tuple[str, ...],
    ref: date,
    *,
    subject: str,
    meeting: bool,
) -> None:
    """Deadlines stated outside the ask: headers, fragments, prep, neighbours, fields."""
    by_index = {c.index: c for c in candidates}
    tasks = [c for c in candidates if c.task]
    # A list header ("Before Tuesday EOD, please:") dates the asks listed under it.
    for c in candidates:
        if not c.clause.rstrip().endswith(":") or c.due is None:
            continue
        following = c.index + 1
        while following in by_index and by_index[following].task:
            item = by_index[following]
            item.due = item.due or c.due
            following += 1
    # A fragment dates the latest undated ask before it, else the next one.
    for c in candidates:
        if c.task or not _is_fragment(c.clause, ref):
            continue
        before = [t for t in tasks if c.index - 3 <= t.index < c.index and t.due is None]
        after = [t for t in tasks if c.index < t.index <= c.index + 1 and t.due is None]
        target = before[-1] if before else (after[0] if after else None)
        if target is not None:
            target.due = due_date(c.clause, ref)
    # A soft ask right after an undated one dates it and is then part of it.
    for c in candidates:
        previous = by_index.get(c.index - 1)
        if c.soft and c.due and previous and previous.task and previous.due is None:
            previous.due, c.task = c.due, False
    tasks = [c for c in candidates if c.task]
    # "Could you also ...": due with the ask before it.
    for t in tasks:
        previous = by_index.get(t.index - 1)
        if t.due is None and previous and previous.task and _ALSO.search(t.clause):
            t.due = previous.due
    field = field_due(sentences, ref)
    plain = {c.index for c in candidates if not c.task}
    for t in tasks:
        if t.due is not None:
            continue
        if meeting and PREP.search(t.clause):
            t.due = meeting_date(subject, sentences, t.index, ref)
        if t.due is None:
            t.due = _neighbour_deadline(sentences, t.index, ref, plain)
        t.due = t.due or field or _topic_deadline(sentences, t, ref, plain)


def _neighbour_deadline(
    sentences: tuple[str, ...], index: int, ref: date, plain: set[int]
) -> date | None:
    """A deadline stated next to the ask in a sentence that asks nothing itself."""
    for other in (index + 1, index - 1):
        if other in plain and 0 <= other < len(sentences):
            deadlines = [m.value for m in find_dates(sentences[other], ref) if m.deadline]
            if deadlines:
                return deadlines[0]
    return None


def _topic_deadline(
    sentences: tuple[str, ...], task: _Candidate, ref: date, plain: set[int]
) -> date | None:
    """A deadline elsewhere in the mail about the same thing ("enrollment runs through
    Nov 20" ... "you have to actively enroll"): they share a word stem."""
    topic = stems(task.clause)
    for index in sorted(plain, key=lambda i: abs(i - task.index)):
        if stems(sentences[index]) & topic:
            deadlines = [m.value for m in find_dates(sentences[index], ref) if m.deadline]
            if deadlines:
                return deadlines[0]
    return None


def _answer_deadlines(candidates: list[_Candidate], sentences: tuple[str, ...], ref: date) -> None:
    """ "Which way do you want to go? ... an answer by tomorrow morning would be ideal":
    a deadline for the answer makes the question before it a dated ask."""
    for c in candidates:
        if c.task or not ANSWER_DUE.search(c.clause):
            continue
        mentions = find_dates(c.clause, ref)
        if not mentions:
            continue
        for previous in reversed(candidates[max(0, c.index - 3) : c.index]):
            if sentences[previous.index].rstrip().endswith("?"):
                previous.task = True
                previous.due = previous.due or mentions[0].value
                break


def extract(
    sentences: tuple[str, ...],
    *,
    greeting: str,
    owner: str,
    ref: date | None,
    automated: bool,
    subject: str = "",
    meeting: bool = False,
    marketing: bool = False,
) -> list[TaskDraft]:
    """Tasks asked of the recipients, in reading order, deduplicated by title."""
    candidates: list[_Candidate] = []
    for index, sentence in enumerate(sentences):
        clause = None if _NOT_A_TASK.search(sentence) else _clause(sentence)
        if clause is None or _NOT_A_TASK.search(clause):
            candidates.append(_Candidate(index, sentence, task=False, due=None))
            continue
        near = " ".join(sentences[max(0, index - 1) : index + 2])
        task = _classify(sentence, clause, ref, automated, near, marketing)
        # "Si puedes traer ..., mejor": a polite condition is the ask itself.
        task = task or (not automated and bool(_POLITE_CONDITION.match(sentence)))
        if task and _is_fragment(clause, ref):
            task = False
        direct = REQUEST_RE.search(clause) or _IMPERATIVE.match(_VOCATIVE.sub("", clause))
        soft = task and not direct and not _SECOND_PERSON.search(clause)
        candidates.append(_Candidate(index, clause, task=task, due=None, soft=soft))
    # A header that only introduces asks listed after it is not an ask of its own.
    for c in candidates:
        following = c.index + 1
        if c.task and c.clause.rstrip().endswith(":") and following < len(candidates):
            c.task = not candidates[following].task
    if ref is not None:
        _own_due(candidates, sentences, ref)
        if not automated:
            _answer_deadlines(candidates, sentences, ref)
        _borrowed_dues(candidates, sentences, ref, subject=subject, meeting=meeting)
    tasks: list[TaskDraft] = []
    seen: set[str] = set()
    for c in candidates:
        if not c.task:
            continue
        title = _title(c.clause)
        key = title.lower()
        if len(title) < 4 or key in seen:
            continue
        seen.add(key)
        assignee = _assignee(sentences[c.index], greeting, owner)
        tasks.append(TaskDraft(title=title, due=c.due, assignee=assignee))
        if len(tasks) == _MAX_TASKS:
            break
    return tasks
