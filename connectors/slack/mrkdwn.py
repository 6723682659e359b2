"""Make untrusted text (email subjects, senders, bodies) safe for Slack messages.

Slack treats `&`, `<` and `>` as control characters in mrkdwn and in a message's
top-level `text`: `<!channel>`, `<@U123>`, `<#C123>`, `<!subteam^S1>`, `<!date^...>`
and `<https://evil|innocent label>` are all built from them. Escaping those three (and
only those three, `&` first) turns every such sequence into literal text. A bare
`@channel` / `@here` / `@everyone` may still notify (unconfirmed), so a word joiner is
inserted after its `@`. Bare URLs and channel names are not auto-linked because the
renderers set `verbatim: true` on mrkdwn objects that carry untrusted text.

plain_text objects never parse mentions or links, so text going there is not
entity-escaped (Slack would show `&amp;` literally); it is only cleaned of control and
bidirectional-override characters, which could disguise what the reader sees.

Limits (Block Kit): section text 3000, header 150 (plain_text), context element 2000,
message fallback `text` 40,000. The truncation helpers count code points and never cut
an escape entity in half.
"""

from __future__ import annotations

import re

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
CONTEXT_TEXT_LIMIT = 2000
FALLBACK_TEXT_LIMIT = 40_000

ELLIPSIS = "\u2026"
# Word joiner: invisible, and stops Slack from reading "@here" as a broadcast.
_WORD_JOINER = "\u2060"

_BROADCAST = re.compile(r"@(channel|here|everyone|group)\b", re.IGNORECASE)
# C0/C1 controls except tab and newline, plus bidi embeddings/overrides/isolates
# (U+202A-U+202E, U+2066-U+2069) that can make "exe.pdf" read as "fdp.exe".
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_WHITESPACE_RUN = re.compile(r"\s+")
# A trailing, incomplete escape entity left by a cut ("&am", "&l", "&").
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def strip_unsafe_chars(text: str) -> str:
    """Drop control and bidi-override characters; keep newlines and tabs."""
    return _UNSAFE_CHARS.sub("", text)


def escape_mrkdwn(text: str) -> str:
    """Escape untrusted text for a mrkdwn text object or a message's fallback text.

    The result cannot ping anyone, cannot form a link with a misleading label and
    shows the original characters to the reader.
    """
    cleaned = strip_unsafe_chars(text)
    escaped = cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), escaped)


def clean_plain_text(text: str, *, single_line: bool = False) -> str:
    """Prepare untrusted text for a plain_text object (no entity escaping needed)."""
    cleaned = strip_unsafe_chars(text)
    if single_line:
        cleaned = _WHITESPACE_RUN.sub(" ", cleaned).strip()
    return cleaned


def truncate_plain(text: str, limit: int) -> str:
    """Cut text to at most limit characters, marking the cut with an ellipsis."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def truncate_mrkdwn(escaped: str, limit: int) -> str:
    """Cut already-escaped mrkdwn to at most limit characters.

    A cut through `&amp;` would leave `&am`, which Slack shows as garbage, so a partial
    entity at the cut is dropped whole.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(escaped) <= limit:
        return escaped
    head = _PARTIAL_ENTITY.sub("", escaped[: limit - 1])
    return head.rstrip() + ELLIPSIS


def safe_mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    """Escape untrusted text and fit it into a mrkdwn field of the given limit."""
    return truncate_mrkdwn(escape_mrkdwn(text), limit)


def safe_plain_text(text: str, limit: int = HEADER_TEXT_LIMIT, *, single_line: bool = True) -> str:
    """Clean untrusted text and fit it into a plain_text field of the given limit."""
    return truncate_plain(clean_plain_text(text, single_line=single_line), limit)
