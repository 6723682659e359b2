"""Language of a message's own text, for prompts and per-language quote rules."""

from __future__ import annotations

import functools
import re
from typing import Any

_URLS = re.compile(r"\S+://\S+|\S+@\S+")
_LETTERS = re.compile(r"[^\W\d_]")
_MIN_LETTERS = 12  # fewer letters than this ("ok", "thx!") say nothing about a language
_MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 600  # enough for a confident guess; the model costs grow with length


@functools.cache
def _identifier() -> Any:
    # Loading the model takes most of a second: only when the first message needs it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text, None when it is too short or the guess is weak."""
    sample = _URLS.sub(" ", text[:_SAMPLE_CHARS])
    if len(_LETTERS.findall(sample)) < _MIN_LETTERS:
        return None
    try:
        language, confidence = _identifier().classify(sample)
    except (ValueError, IndexError):  # the model rejects some inputs; a guess is optional
        return None
    if confidence < _MIN_CONFIDENCE or language == "zxx":
        return None
    return str(language)
