"""Turning a message's new text into the sentences the heuristics rank and read.

The mail normalizer already removed quoted history; what is left still carries a
greeting, a sign-off, a signature and sometimes a system footer, none of which says
what the mail is about, so they are set aside here (the greeting is kept apart because
it tells who is addressed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai.local.lexicon import GREETING_RE, SIGNOFF_RE

_SIGNATURE_DELIMITER = re.compile(r"^(?:--|__+|—|-- )\s*$")
_FOOTER = re.compile(
    r"^(?:you are receiving this|you'?re receiving this|to unsubscribe|unsubscribe|"
    r"manage your (?:notification|email) (?:settings|preferences)|reply to this email directly|"
    r"this (?:email|message) was sent|sent from my)",
    re.IGNORECASE,
)
_FORWARD_HEADER = re.compile(
    r"^(?:-{2,}\s*(?:forwarded|original) message\s*-{2,}|begin forwarded message)",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^\W*(?:https?://\S+|www\.\S+)\W*$", re.IGNORECASE)
# Split after ., ! or ? when the next chunk starts like a sentence (any script's capital,
# an opening ¿/¡ or a digit), so "Nov. 5" style abbreviations mostly stay whole.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[¿¡\"'“(]?[A-ZÀ-ÖØ-Þ0-9@])")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|vs|etc|e\.g|i\.e|approx|no|nr|sr|sra|jan|feb|mar|apr|jun|jul|aug|"
    r"sep|sept|oct|nov|dec|st|u\.s)\.)$",
    re.IGNORECASE,
)
_MONTH_START = re.compile(
    r"(?:januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|"
    r"november|dezember)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|\d{1,2}[.)]|[a-z][.)])\s+")


@dataclass(frozen=True, slots=True)
class CleanText:
    greeting: str
    sentences: tuple[str, ...]
    # True when the body after clean-up is a system footer or nothing at all.
    empty: bool


def _strip_tail(lines: list[str]) -> list[str]:
    """Cut at the first sign-off, signature delimiter or system footer."""
    for index, raw in enumerate(lines):
        line = raw.strip()
        if index == 0:
            continue
        if _SIGNATURE_DELIMITER.match(line) or _FOOTER.match(line) or _FORWARD_HEADER.match(line):
            return lines[:index]
        # A sign-off is a short line on its own ("Thanks,", "Best, Jonah"); a long line
        # starting with "Thanks" is content ("Thanks for the numbers, one question...").
        if len(line) <= 45 and SIGNOFF_RE.match(line) and not line.endswith("?"):
            return lines[:index]
    return lines


def _split_line(line: str) -> list[str]:
    pieces = _SENTENCE_SPLIT.split(line)
    merged: list[str] = []
    for piece in pieces:
        # "bis Dienstag, 17. November": a German ordinal dot before a month, not an end.
        ordinal_date = bool(merged) and bool(
            re.search(r"\b\d{1,2}\.$", merged[-1]) and _MONTH_START.match(piece)
        )
        if merged and (_ABBREVIATION_END.search(merged[-1]) or ordinal_date):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return [p.strip() for p in merged if p.strip()]


def clean(text: str) -> CleanText:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    greeting = ""
    if lines and GREETING_RE.match(lines[0].strip()) and len(lines[0].strip()) <= 60:
        greeting = lines.pop(0).strip()
    lines = _strip_tail(lines)
    sentences: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            sentences.extend(_split_line(" ".join(paragraph)))
            paragraph.clear()

    for raw in lines:
        line = raw.strip()
        if not line or _URL_ONLY.match(line):
            flush()
            continue
        if line.startswith(">"):
            # Quotes the normalizer missed are history, not new content.
            flush()
            continue
        if _BULLET.match(line) or line.endswith(":"):
            # List items and "When:"-style field lines stand alone rather than
            # being glued to the paragraph around them.
            flush()
            sentences.extend(_split_line(_BULLET.sub("", line)))
            continue
        paragraph.append(line)
        # A line ending in a full stop or question mark closes its sentence even when
        # the writer did not leave a blank line after it.
        if line.endswith((".", "?", "!")) and len(line) < 60:
            flush()
    flush()
    cleaned = tuple(s for s in sentences if len(s) > 1)
    return CleanText(greeting=greeting, sentences=cleaned, empty=not cleaned)


def first_name(author: str) -> str:
    """The given name of a "Name <addr>" author, or the address's first part."""
    match = re.match(r"\s*\"?([^\"<@]+?)\"?\s*<", author)
    if match:
        return match.group(1).split()[0]
    if "@" not in author:  # a bare display name (a chat author): its first word as written
        return next(iter(author.split()), "")
    local = author.split("@")[0].strip(" <")
    return re.split(r"[._\-+]", local)[0].capitalize() if local else ""


def address_of(author: str) -> str:
    match = re.search(r"<([^>]+)>", author)
    return (match.group(1) if match else author).strip().lower()


def owner_names(owner: str) -> tuple[str, ...]:
    """Names the owner may be addressed by, taken from the address ("maya.lindqvist")."""
    local = address_of(owner).split("@")[0]
    parts = [p for p in re.split(r"[._\-+]", local) if len(p) > 1]
    names = [*parts]
    if len(parts) > 1:
        names.append("-".join(parts))
    return tuple(dict.fromkeys(n.lower() for n in names))
