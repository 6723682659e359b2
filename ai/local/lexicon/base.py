"""The cue-list type and how cue lists become one case-insensitive pattern."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Cues per language code ("en", "es", "de", "fr", "pt"); each cue is a regex fragment.
Lexicon = Mapping[str, tuple[str, ...]]


def union(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(cue for cues in lexicon.values() for cue in cues)


def compile_cues(cues: Iterable[str]) -> re.Pattern[str]:
    # Lookarounds instead of \b so cues ending in punctuation ("1:1", "thoughts?") match.
    body = "|".join(f"(?:{c})" for c in cues)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)
