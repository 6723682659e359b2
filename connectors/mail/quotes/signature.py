"""Signature separation: the "-- " delimiter, rule lines before a short tail, footers.

Policy (also in the package docstring): a signature is the block after a "-- " (or
"--") delimiter line, a short block after a rule line ("____", "-----"), and every
mobile or client footer line ("Sent from my iPhone", "Get Outlook for iOS", localized).
Sign-offs such as "Thanks,\\nAlex" stay in the visible text: they are part of what the
sender wrote and cost little; only the block a client or the sender marks as a
signature is set apart.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from connectors.mail.quotes import patterns as p

# A rule line ends the message only when little follows it: a footer, not a section.
_MAX_RULE_TAIL = 12


@dataclass(frozen=True)
class SignatureSplit:
    text: str
    signature: str


def _is_noise(line: str) -> bool:
    return bool(p.NOISE_LINE.match(line))


_RULE_ENDS = frozenset("-_=*~#+—")


def split_signature(lines: list[str]) -> SignatureSplit:
    """Split lines of the visible part into text and signature."""
    cut = len(lines)
    in_code = False
    # Each pattern is tried only on lines that the character it needs does not rule
    # out: a fence holds "```", the delimiter starts with "--", a rule ends in its run.
    for k, line in enumerate(lines):
        if "```" in line and p.CODE_FENCE.match(line):
            in_code = not in_code
        if in_code or (">" in line and p.QUOTE_LINE.match(line)):
            # A rule inside a fenced code block ("####", "-----") is code, not a footer.
            continue
        if line.startswith("--") and p.SIG_DELIMITER.match(line):
            cut = k
            break
        end = line.rstrip()[-1:]
        if end in _RULE_ENDS and p.RULE_LINE.match(line):
            # Counted up to one past the limit: a rule over a long body costs no more.
            tail = (t for t in itertools.islice(lines, k + 1, None) if t.strip())
            if sum(1 for _ in itertools.islice(tail, _MAX_RULE_TAIL + 1)) <= _MAX_RULE_TAIL:
                cut = k
                break
    # A mobile footer closes what the sender typed: what follows is the client's.
    footer = next((k for k, line in enumerate(lines[:cut]) if _is_footer(line)), cut)
    text = lines[:footer]
    while text and _is_noise(text[-1]):
        text.pop()
    if text and p.DASH_SIGNOFF.match(text[-1]):
        footer = len(text) - 1
        text.pop()
    signature = "\n".join(lines[footer:]).strip("\n")
    return SignatureSplit("\n".join(text).strip("\n"), signature)


def _is_footer(line: str) -> bool:
    if "Outlook" in line and p.OUTLOOK_APP_FOOTER.match(line):
        return True
    if not (p.MOBILE_FOOTER_START.match(line) or "送信" in line):
        return False
    return p.MOBILE_FOOTER.match(line) is not None
