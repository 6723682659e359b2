"""Offline triage of a thread: category, priority, needs_reply, summary, tasks, reason.

The latest message decides: a thread is "to respond" when its newest message asks the
owner something, whatever older messages said. Header signals (passed as auto_signals)
and the sender address separate system and bulk mail from people; the cleaned text
then tells meetings, asks and FYIs apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ai.local import lexicon as lx
from ai.local.summary import one_sentence
from ai.local.tasks import extract, vocative
from ai.local.text import CleanText, address_of, clean, owner_names
from ai.types import Category, MessageInput, Priority, TaskDraft, ThreadInput, Triage

_LIST_SIGNALS = frozenset({"list-unsubscribe", "list-id", "precedence:bulk", "precedence:list"})
_SUBJECT_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg|tr|rv|res|enc)\s*:\s*)+", re.IGNORECASE)
_BRACKET_SUBJECT = re.compile(r"^\s*\[[^\]]+\]")
_COLD_OUTREACH = re.compile(
    r"would you be open to|rather not hear from me|\d+-minute (?:chat|call)|book a (?:demo|call)|"
    r"account executive|quick call|worth a (?:quick )?(?:chat|call)|reply \"?no thanks|"
    r"teams (?:at|like) your|companies like yours",
    re.IGNORECASE,
)
_CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|\b\d{1,2}:\d\d\b|\b\d{1,2}h\d{0,2}\b|\buhr\b", re.I
)
_AFTER_MEETING = re.compile(
    r"\b(?:recording|minutes|notes from|takeaways|went great|thanks (?:all|everyone) for|"
    r"great (?:demo|meeting|session)|recap)\b",
    re.IGNORECASE,
)
_GENERIC_QUESTION = re.compile(
    r"^(?:any (?:questions|thoughts)|questions)\?$|(?:let me know|ping me|reach out|shout)\b.{0,25}"
    r"\b(?:if|should) (?:you|there)",
    re.IGNORECASE,
)
_LOW_NOTIFICATION = re.compile(
    r"\b(?:invoice|receipt|has shipped|shipped|accepted|declined|completed|resolved|"
    r"out of (?:the )?office|automatic reply|has been signed|contributions|statement)\b",
    re.IGNORECASE,
)
_HIGH_NOTIFICATION = re.compile(
    r"\b(?:deployment failed|deploy failed|payment failed|action (?:required|needed)|critical|"
    r"security advisory|rolled back|auto-?rollback)\b",
    re.IGNORECASE,
)
_URGENT_NOTIFICATION = re.compile(
    r"\b(?:triggered|escalated to you|outage|is down|sev ?1|p0)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Signals:
    subject: str
    raw: str
    body: CleanText
    signals: frozenset[str]
    ref: date | None


def _signals_of(message: MessageInput, subject: str) -> _Signals:
    signals = {s.lower() for s in message.auto_signals}
    address = address_of(message.author)
    if lx.NOREPLY_SENDER_RE.search(address):
        signals.add("noreply-sender")
    if lx.BULK_SENDER_RE.search(address):
        signals.add("bulk-sender")
    return _Signals(
        subject=_SUBJECT_PREFIX.sub("", subject).strip(),
        raw=message.text,
        body=clean(message.text),
        signals=frozenset(signals),
        ref=message.sent_at.date() if message.sent_at else None,
    )


def _addressed_elsewhere(sentence: str, names: tuple[str, ...]) -> bool:
    """A question opened with someone else's name or handle is theirs to answer."""
    named = vocative(sentence)
    if named and named not in names:
        return True
    handle = re.match(r"^@([\w.-]+)", sentence)
    return bool(handle and not any(n in handle.group(1).lower() for n in names))


def _asks_owner(s: _Signals, owner: str) -> tuple[bool, str]:
    """Whether the newest text waits for the owner's answer, and the sentence that says so."""
    names = owner_names(owner)
    automated_text = False
    own = [x for x in s.body.sentences if not _addressed_elsewhere(x, names)]
    text = " ".join(own)
    # Only a "no reply needed" said to the owner cancels an ask, not one said to others.
    no_reply = lx.NO_REPLY_RE.search(text)
    for sentence in s.body.sentences:
        if _GENERIC_QUESTION.search(sentence) or _addressed_elsewhere(sentence, names):
            continue
        if not automated_text and sentence.strip().lower() in {"going?", "yes", "no", "maybe"}:
            continue
        if sentence.lower().startswith(("if ", "wenn ", "si ", "se ", "falls ")):
            continue
        question = sentence.rstrip().endswith("?") or sentence.lstrip().startswith("¿")
        position = text.find(sentence)
        before_no_reply = no_reply is None or position < no_reply.start()
        after_no_reply = no_reply is not None and position > no_reply.end()
        if question and (no_reply is None or after_no_reply):
            return True, sentence
        if lx.REPLY_RE.search(sentence) and (before_no_reply or after_no_reply):
            return True, sentence
    return False, ""


def _other_domain(thread: ThreadInput, _raw: str) -> bool:
    latest = address_of(thread.messages[-1].author).rpartition("@")[2]
    owner = address_of(thread.owner).rpartition("@")[2]
    return bool(latest and owner and latest != owner)


def _category(s: _Signals, thread: ThreadInput, asks: bool) -> tuple[Category, str]:
    full = f"{s.subject}\n{s.raw}"
    listed = bool(s.signals & _LIST_SIGNALS)
    if lx.AUTO_REPLY_SUBJECT_RE.search(s.subject) or (
        "auto-submitted" in s.signals and not listed and "calendar" not in s.signals
    ):
        return Category.NOTIFICATION, "automatic reply or calendar receipt"
    marketing = len(lx.MARKETING_RE.findall(full)) + 2 * len(_COLD_OUTREACH.findall(s.raw))
    notification = len(lx.NOTIFICATION_RE.findall(full))
    if "precedence:bulk" in s.signals or "bulk-sender" in s.signals:
        marketing += 2
    if "list-unsubscribe" in s.signals or "list-id" in s.signals:
        marketing += 1
    if "noreply-sender" in s.signals:
        notification += 2
    if _BRACKET_SUBJECT.match(s.subject):
        notification += 2
    automated = listed or bool(s.signals & {"noreply-sender", "bulk-sender", "auto-submitted"})
    # System mail rarely greets anyone; without headers, its wording has to tell.
    automated = automated or (notification >= 3 and not s.body.greeting)
    if automated:
        if marketing > notification:
            return Category.MARKETING, "bulk sender with promotional wording"
        return Category.NOTIFICATION, "automated sender"
    if _COLD_OUTREACH.search(s.raw) and (marketing >= 3 or _other_domain(thread, s.raw)):
        return Category.MARKETING, "cold sales outreach"
    meeting = 0.0
    if "calendar" in s.signals:
        meeting += 3
    if lx.MEETING_SUBJECT_RE.search(s.subject):
        meeting += 3
    meeting += 1.5 * min(2, len(lx.MEETING_RE.findall(s.subject)))
    if _CLOCK_TIME.search(s.subject):
        meeting += 1.5
    if re.search(r"^(?:when|wann|cuándo|quand|quando)\s*:", s.raw, re.I | re.M):
        meeting += 1.5
    meeting += 0.5 * min(3, len(lx.MEETING_RE.findall(" ".join(s.body.sentences))))
    if _SUBJECT_PREFIX.match(thread.subject) and "calendar" not in s.signals:
        meeting -= 2
    if _AFTER_MEETING.search(s.raw):
        meeting -= 2.5
    if meeting >= 3:
        return Category.MEETING, "meeting invitation, change or agenda"
    if asks:
        return Category.TO_RESPOND, "asks the owner for an answer"
    return Category.FYI, "keeps the owner informed; no answer expected"


def _priority(category: Category, s: _Signals, tasks: list[TaskDraft]) -> Priority:
    text = f"{s.subject}\n{' '.join(s.body.sentences)}"
    dues = [t.due for t in tasks if t.due is not None]
    soonest = min(dues) if dues and s.ref else None
    days = (soonest - s.ref).days if soonest and s.ref else None
    if category is Category.MARKETING:
        return Priority.NORMAL if tasks else Priority.LOW
    if category is Category.NOTIFICATION:
        if _URGENT_NOTIFICATION.search(s.subject) and not re.search(r"resolved", s.subject, re.I):
            return Priority.URGENT
        if _HIGH_NOTIFICATION.search(text):
            return Priority.HIGH
        if _LOW_NOTIFICATION.search(s.subject) or not tasks:
            return Priority.LOW if _LOW_NOTIFICATION.search(s.subject) else Priority.NORMAL
        return Priority.NORMAL
    urgent_cue = lx.URGENT_RE.search(text)
    if urgent_cue and (category is Category.TO_RESPOND or (days is not None and days <= 1)):
        return Priority.URGENT
    if days is not None and days <= 1 and category is Category.TO_RESPOND:
        return Priority.URGENT
    if days is not None and days <= 6 and category in {Category.TO_RESPOND, Category.MEETING}:
        return Priority.HIGH if category is Category.TO_RESPOND or days <= 2 else Priority.NORMAL
    if lx.HIGH_RE.search(text) and category is Category.TO_RESPOND:
        return Priority.HIGH
    if category is Category.FYI and not tasks and lx.LOW_RE.search(text):
        return Priority.LOW
    return Priority.NORMAL


def triage(thread: ThreadInput) -> Triage:
    if not thread.messages:
        return Triage(
            category=Category.FYI,
            priority=Priority.LOW,
            needs_reply=False,
            summary=thread.subject[:300] or "(empty thread)",
            reason="the thread has no messages",
            tasks=[],
        )
    latest = thread.messages[-1]
    s = _signals_of(latest, thread.subject)
    from_owner = bool(thread.owner) and address_of(latest.author) == address_of(thread.owner)
    asks, asking_sentence = _asks_owner(s, thread.owner)
    asks = asks and not from_owner
    category, why = _category(s, thread, asks)
    automated = category in {Category.NOTIFICATION, Category.MARKETING}
    tasks = extract(
        s.body.sentences,
        greeting=s.body.greeting,
        owner=thread.owner,
        ref=s.ref,
        automated=automated,
        subject=s.subject,
        meeting=category is Category.MEETING,
        marketing=category is Category.MARKETING,
    )
    if from_owner:
        tasks = []
    needs_reply = asks and (
        category is Category.TO_RESPOND
        or (category is Category.MEETING and bool(lx.REPLY_RE.search(asking_sentence)))
    )
    if category is Category.NOTIFICATION and asks and asking_sentence:
        # A person writing through a system (a review comment) can still wait on the owner,
        # but only when they name the owner.
        names = owner_names(thread.owner)
        needs_reply = any(f"@{n}" in asking_sentence.lower() for n in names)
    priority = _priority(category, s, tasks)
    reason = why
    if needs_reply and asking_sentence:
        reason = f"{why}: “{asking_sentence[:120]}”"
    elif tasks:
        reason = f"{why}; {len(tasks)} request(s) found"
    return Triage(
        category=category,
        priority=priority,
        needs_reply=needs_reply,
        summary=one_sentence(thread),
        reason=reason[:400],
        tasks=tasks,
    )
