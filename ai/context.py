"""Company-context retrieval: BM25 over the entries' titles and bodies (rank-bm25).

Entries are ranked against the text a reply has to answer, so the facts and policies
that share its rare words come first. BM25Plus is used rather than BM25Okapi because
Okapi's idf is zero or negative for a word found in half of a small collection, and a
company's context is often a handful of entries; BM25Plus keeps every idf positive.
Its lower-bound term gives every entry the same floor, so an entry that shares no
word with the query is left out rather than ranked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rank_bm25 import BM25Plus

from ai.types import ContextEntry

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS_TEXT = """a an the and or of to in on for with at by from is are was were be been
    it its this
    that these those we you your our i me my he she they them do does did can could would
    will shall should may might have has had not no yes if so as but about into than then
    there here what which who whom how when where why please thanks hi hello
    der die das und ist nicht ich sie wir el la los las que de y en por para con le les des
    et est pour avec o os que com não"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def tokens(text: str) -> list[str]:
    """Lower-cased words without stop words; a crude plural fold helps short texts match."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS or len(word) < 2:
            continue
        out.append(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return out


def rank_context(query_text: str, entries: Sequence[ContextEntry], k: int) -> list[ContextEntry]:
    """The k entries most relevant to query_text, best first; ties keep input order."""
    if k <= 0 or not entries:
        return []
    query = tokens(query_text)
    documents = [tokens(f"{entry.title} {entry.title} {entry.body}") for entry in entries]
    if not query or not any(documents):
        return []
    # BM25 needs at least one non-empty document; an empty one simply never matches.
    scores = BM25Plus([doc or ["\u0000"] for doc in documents]).get_scores(query)
    query_set = set(query)
    ranked = sorted(
        (index for index, doc in enumerate(documents) if query_set & set(doc)),
        key=lambda index: (-float(scores[index]), index),
    )
    return [entries[index] for index in ranked[:k]]
