"""Offline reply drafts: answer the questions found, from the best-matching context facts.

Simple but real: the newest message's questions and requests are found with the same
cues triage uses; each is answered with the first sentences of the fact or policy
that BM25 ranks highest for it (and cited), or with a promise to check when nothing
matches. The greeting and sign-off follow a tone entry ("formal") or, failing that,
the owner's own sent messages; a signature entry ends the draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ai.context import rank_context, tokens
from ai.local.lexicon import REPLY_RE, REQUEST_RE
from ai.local.summary import shorten
from ai.local.text import clean, first_name
from ai.types import ContextEntry, ContextKind, ReplyDraft, ThreadInput

_FORMAL = re.compile(r"\b(?:formal|polite|sie\b|vous\b|usted|dear|respectful)", re.IGNORECASE)
_SIGNOFF_LINE = re.compile(
    r"^(?:best|best regards|regards|kind regards|cheers|thanks|thank you|many thanks|"
    r"sincerely|viele grüße|beste grüße|saludos|cordialement|abraços|atenciosamente)\b.{0,20}$",
    re.IGNORECASE,
)
_GREETING_WORD = re.compile(r"^(hi|hey|hello|dear|hallo|hola|bonjour|olá|ola)\b", re.IGNORECASE)
_MAX_ANSWERS = 4


def _questions(thread: ThreadInput) -> list[str]:
    if not thread.messages:
        return []
    sentences = clean(thread.messages[-1].text).sentences
    asked = [
        s
        for s in sentences
        if s.rstrip().endswith("?") or REQUEST_RE.search(s) or REPLY_RE.search(s)
    ]
    return asked[:_MAX_ANSWERS]


def _first_sentences(text: str, count: int = 2) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return shorten(" ".join(parts[:count]), 400)


def _style(style_examples: Sequence[str], formal: bool) -> tuple[str, str]:
    """The greeting word and sign-off line the owner uses."""
    greeting, signoff = ("Dear", "Kind regards,") if formal else ("Hi", "Best,")
    if formal:
        return greeting, signoff
    for example in style_examples:
        lines = [line.strip() for line in example.strip().splitlines() if line.strip()]
        if lines and (match := _GREETING_WORD.match(lines[0])):
            greeting = match.group(1).capitalize()
        for line in lines[1:]:
            if _SIGNOFF_LINE.match(line):
                signoff = line
                break
    return greeting, signoff


def draft_reply(
    thread: ThreadInput,
    context: Sequence[ContextEntry],
    style_examples: Sequence[str],
    instructions: str | None,
) -> ReplyDraft:
    tone = [e for e in context if e.kind is ContextKind.TONE]
    signature = next((e for e in context if e.kind is ContextKind.SIGNATURE), None)
    knowledge = [e for e in context if e.kind in {ContextKind.FACT, ContextKind.POLICY}]
    formal = any(_FORMAL.search(f"{e.title} {e.body}") for e in tone)
    greeting_word, signoff = _style(style_examples, formal)
    cited: list[str] = [e.id for e in tone]
    answers: list[str] = []
    for question in _questions(thread):
        query = f"{question} {instructions or ''}"
        best = rank_context(query, knowledge, 1)
        # A fact answers a question only when they share a real word, not just a stop word.
        if best and set(tokens(question)) & set(tokens(f"{best[0].title} {best[0].body}")):
            if best[0].id not in cited:  # two questions on one fact get one answer
                answers.append(_first_sentences(best[0].body))
                cited.append(best[0].id)
        else:
            topic = shorten(question.rstrip("?.! "), 120)
            answers.append(f"About “{topic}”: I'll check and come back to you.")
    if not answers:
        answers.append("Thanks for your message, noted.")
    author = thread.messages[-1].author if thread.messages else ""
    name = first_name(author) if author else ""
    lines = [f"{greeting_word} {name},".replace(" ,", ","), "", *answers, "", signoff]
    if signature is not None:
        lines.append(signature.body.strip())
        cited.append(signature.id)
    body = "\n".join(lines).strip()
    return ReplyDraft(body=body[:6000], cited_context_ids=list(dict.fromkeys(cited)))
