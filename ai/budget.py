"""Fitting a thread into a per-call token budget before it is rendered into a prompt.

Estimation: one token per four characters, rounded up. It is deterministic (the same
thread always costs the same), needs no tokenizer download, and is close to what
OpenAI-style tokenizers produce for English mail; for other scripts it undercounts,
which is why callers should leave headroom in the budget.

What goes, in order, until the rendered thread fits:
1. quoted history: already removed upstream by the mail normalizer (visible text only);
2. long signatures: a signature block of more than three lines is dropped;
3. the oldest messages, one at a time, always keeping the newest;
4. the longest remaining message is truncated (its head is kept: the ask is usually
   at the top of a mail, the footer at the bottom).
"""

from __future__ import annotations

import math
import re

from ai.prompts import render_thread
from ai.types import MessageInput, ThreadInput

_SIGNATURE_START = re.compile(r"^(?:--\s?|__+|—)$")
_SIGNOFF = re.compile(
    r"^(?:best|best regards|regards|kind regards|cheers|thanks|thank you|many thanks|"
    r"sincerely|viele grüße|beste grüße|mit freundlichen grüßen|saludos|un saludo|"
    r"cordialement|bien à vous|atenciosamente|abraços|obrigad[oa])\b[,!.]?\s*$",
    re.IGNORECASE,
)
_LONG_SIGNATURE_LINES = 3
_TRUNCATION_MARK = "\n[… truncated to fit the token budget]"
_MIN_KEEP_CHARS = 200


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def thread_tokens(thread: ThreadInput) -> int:
    """What the thread costs once rendered with its fences."""
    return estimate_tokens(render_thread(thread))


def strip_long_signature(text: str) -> str:
    """Drop a signature block longer than three lines; a short sign-off stays."""
    lines = text.rstrip().split("\n")
    for index, raw in enumerate(lines):
        line = raw.strip()
        if _SIGNATURE_START.match(line):
            if len(lines) - index - 1 > _LONG_SIGNATURE_LINES:
                return "\n".join(lines[:index]).rstrip()
            return text
        # "Thanks,\nName\nTitle\nCompany\nPhone": keep the sign-off and the name only.
        if index > 0 and _SIGNOFF.match(line) and len(lines) - index - 1 > _LONG_SIGNATURE_LINES:
            return "\n".join(lines[: index + 2]).rstrip()
    return text


def _with_messages(thread: ThreadInput, messages: list[MessageInput]) -> ThreadInput:
    return thread.model_copy(update={"messages": tuple(messages)})


def fit_thread(thread: ThreadInput, max_tokens: int) -> ThreadInput:
    """The thread reduced (as above) until thread_tokens(result) <= max_tokens.

    When even the newest message's head does not fit, the newest message is cut to
    whatever the budget allows; the result may then still exceed a budget smaller than
    the fences and headers alone.
    """
    if thread_tokens(thread) <= max_tokens:
        return thread
    messages = [
        m.model_copy(update={"text": strip_long_signature(m.text)}) for m in thread.messages
    ]
    current = _with_messages(thread, messages)
    while len(messages) > 1 and thread_tokens(current) > max_tokens:
        messages.pop(0)
        current = _with_messages(thread, messages)
    while messages and thread_tokens(current) > max_tokens:
        longest = max(range(len(messages)), key=lambda i: len(messages[i].text))
        text = messages[longest].text
        excess_chars = (thread_tokens(current) - max_tokens) * 4 + len(_TRUNCATION_MARK)
        keep = len(text) - excess_chars
        if keep < _MIN_KEEP_CHARS and len(text) <= _MIN_KEEP_CHARS:
            break
        keep = max(keep, 0)
        cut = text[:keep].rsplit(" ", 1)[0] if " " in text[:keep] else text[:keep]
        messages[longest] = messages[longest].model_copy(update={"text": cut + _TRUNCATION_MARK})
        current = _with_messages(thread, messages)
    return current
