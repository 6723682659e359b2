"""Extractive summaries: rank a message's sentences and keep the best, never canned text.

A sentence scores for sharing words with the subject and with the rest of the message
(centrality), for coming early, and for carrying an ask or a date, since "who wants
what by when" is what a reader of a summary needs. Greetings, sign-offs and footers
were already set aside by ai.local.text.
"""

from __future__ import annotations

import re
from datetime import date

from ai.local.dates import find_dates
from ai.local.lexicon import LOW_RE, REPLY_RE, REQUEST_RE
from ai.local.text import CleanText, clean, first_name
from ai.types import MessageInput, ThreadInput

_WORD = re.compile(r"[^\W\d_]{3,}|\d+[a-z%]*", re.UNICODE)
_STOPWORDS_TEXT = """the and for you your with that this from have are was were will would could
    can our their they them there here about into just also been has had not but all any
    its it's which what when where who how than then some more most very much such only
    over der die das und mit für ist sie ein eine einen nicht auch wir ich bitte den dem
    des los las una del por para con que como pero más está son nos les des une pour avec
    qui dans est sur pas nous vous tout mais uma com dos das não mais são nós você"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_FIELD_LINE = re.compile(r"^(?:where|who|calendar|repository|duration|link|url)\s*:", re.IGNORECASE)
_MAX_SENTENCE = 220
_TRAILING_PUNCTUATION = ",;:\u2013- "
# Only used to ask "does this sentence mention a date at all"; the value is irrelevant.
_EPOCH = date(2000, 1, 3)


def words(text: str) -> list[str]:
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOPWORDS]


def rank(sentences: tuple[str, ...], subject: str) -> list[tuple[float, int]]:
    """(score, index) pairs, best first; ties keep the earlier sentence."""
    subject_words = set(
        words(re.sub(r"^(?:(?:re|fwd?|aw|wg|tr|rv)\s*:\s*)+", "", subject, flags=re.I))
    )
    frequency: dict[str, int] = {}
    for sentence in sentences:
        for w in set(words(sentence)):
            frequency[w] = frequency.get(w, 0) + 1
    scored: list[tuple[float, int]] = []
    for index, sentence in enumerate(sentences):
        tokens = words(sentence)
        if not tokens:
            scored.append((-5.0, index))
            continue
        unique = set(tokens)
        score = 2.0 * len(unique & subject_words) / (len(subject_words) or 1)
        score += sum(frequency[w] - 1 for w in unique) / (len(unique) + 3)
        score += 1.0 / (1 + index)
        if REQUEST_RE.search(sentence) or REPLY_RE.search(sentence) or sentence.endswith("?"):
            score += 0.8
        if find_dates(sentence, _EPOCH):
            score += 0.4
        if len(sentence) < 25:
            score -= 0.6
        if len(sentence) > 300:
            score -= 0.5
        if _FIELD_LINE.match(sentence):
            score -= 1.0
        if LOW_RE.match(sentence) and len(tokens) < 6:
            score -= 0.5
        scored.append((score, index))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1]))


def shorten(sentence: str, limit: int = _MAX_SENTENCE) -> str:
    sentence = re.sub(r"\s+", " ", sentence).strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(_TRAILING_PUNCTUATION)
    return f"{cut}…"


def best_sentences(message: MessageInput, subject: str, count: int) -> list[str]:
    cleaned: CleanText = clean(message.text)
    if cleaned.empty:
        return []
    ranked = rank(cleaned.sentences, subject)[:count]
    # Back in reading order so a two-sentence summary reads naturally.
    return [shorten(cleaned.sentences[index]) for _, index in sorted(ranked, key=lambda p: p[1])]


def one_sentence(thread: ThreadInput) -> str:
    """The latest message's best sentence, attributed to its author."""
    for message in reversed(thread.messages):
        picked = best_sentences(message, thread.subject, 1)
        if picked:
            name = first_name(message.author)
            return shorten(f"{name}: {picked[0]}" if name else picked[0], 300)
    return shorten(re.sub(r"^(?:(?:re|fwd?|aw)\s*:\s*)+", "", thread.subject, flags=re.I), 300)


def _split_summary(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?…])\s+", text.strip()) if s.strip()]


def incremental(previous: str | None, thread: ThreadInput, *, bound: int = 900) -> str:
    """The previous summary plus the best of the new messages, within bound characters.

    When the bound is hit, the previous summary's weakest sentences go first, but its
    first sentence (the thread's gist, written when the thread started) always stays.
    """
    new_parts: list[str] = []
    for message in thread.messages:
        count = 2 if len(message.text) > 600 else 1
        picked = best_sentences(message, thread.subject, count)
        if not picked:
            continue
        name = first_name(message.author)
        sentence = " ".join(s if s.endswith((".", "?", "!", "…")) else f"{s}." for s in picked)
        new_parts.append(f"{name}: {sentence}" if name else sentence)
    new_text = " ".join(new_parts)
    if not previous or not previous.strip():
        return shorten(new_text, bound) if new_text else ""
    old = _split_summary(previous)
    # New content may take at most two thirds, so the history never vanishes entirely.
    new_text = shorten(new_text, bound * 2 // 3) if new_text else ""
    budget = bound - len(new_text) - 1
    keep = list(range(len(old)))
    ranked = rank(tuple(old), thread.subject)
    for _, index in reversed(ranked):
        if sum(len(old[i]) + 1 for i in keep) <= budget or len(keep) == 1:
            break
        if index != 0:
            keep.remove(index)
    previous_text = " ".join(old[i] for i in keep)
    if len(previous_text) > budget:
        previous_text = shorten(previous_text, max(budget, 40))
    return " ".join(p for p in (previous_text, new_text) if p)
