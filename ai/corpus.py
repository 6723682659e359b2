"""Reading the labeled triage corpus format (one JSON object per line) into ThreadInput.

The format is the one of shared/corpus/triage/emails.jsonl: subject, from, to, cc,
date, body_text and optionally labels. Quote removal belongs to the mail normalizer,
which ai must not import, so callers pass it in as split_quotes; without it the body
is used as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ai.local.text import address_of
from ai.types import MessageInput, ThreadInput

SplitQuotes = Callable[[str], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class CorpusRecord:
    id: str
    thread: ThreadInput
    # The participants' addresses (from, to, cc), lower-cased.
    participants: tuple[str, ...]
    labels: Mapping[str, Any]
    language: str


# A few very common words per language: enough to tell five languages apart in
# business mail, which is all the per-language figures need.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LANGUAGE_WORDS = {
    "de": _words("und der die das ist nicht bitte wir ich sie mit für bis zum den"),
    "es": _words("el la los las que para por con una del gracias hola antes está"),
    "fr": _words("le les des est pour avec une vous nous merci bonjour avant dans pas"),
    "pt": _words("o os que para com uma não obrigado olá até você vocês do da"),
    "en": _words("the and is to of for you we please with this that by on"),
}


def guess_language(text: str) -> str:
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _LANGUAGE_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > scores["en"] else "en"


def _sender_signals(author: str) -> tuple[str, ...]:
    # The corpus has no headers; the one header-like fact it carries is the sender.
    local = address_of(author).split("@")[0]
    noreply = local.replace("-", "").replace("_", "").replace(".", "")
    return ("noreply-sender",) if noreply.startswith(("noreply", "donotreply")) else ()


def record_from_json(
    raw: Mapping[str, Any], *, split_quotes: SplitQuotes | None = None
) -> CorpusRecord:
    body = str(raw.get("body_text", ""))
    if split_quotes is not None:
        visible, _quoted = split_quotes(body)
        # A forward with nothing above it carries its whole point in the quoted part.
        body = visible or body
    to = [str(a) for a in raw.get("to", [])]
    cc = [str(a) for a in raw.get("cc", [])]
    author = str(raw.get("from", ""))
    sent = raw.get("date")
    message = MessageInput(
        author=author,
        sent_at=datetime.fromisoformat(str(sent)) if sent else None,
        text=body,
        auto_signals=tuple(raw.get("auto_signals", ())) or _sender_signals(author),
    )
    thread = ThreadInput(
        subject=str(raw.get("subject", "")),
        messages=(message,),
        owner=address_of(to[0]) if to else "",
    )
    record_id = str(raw.get("id", ""))
    language = str(raw.get("lang") or raw.get("language") or guess_language(body))
    participants = tuple(dict.fromkeys(address_of(a) for a in [author, *to, *cc] if a))
    return CorpusRecord(
        id=record_id,
        thread=thread,
        participants=participants,
        labels=raw.get("labels") or {},
        language=language,
    )


def read_jsonl(path: Path, *, split_quotes: SplitQuotes | None = None) -> Iterator[CorpusRecord]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield record_from_json(json.loads(line), split_quotes=split_quotes)
