"""Signature separation: the "-- " delimiter, rule lines before a short tail, footers.

Policy (also in the package docstring): a signature is the block after a "-- " (or
"--") delimiter line, a short block after a rule line ("____", "-----"), and every
mobile or client footer line ("Sent from my iPhone", "Get Outlook for iOS", localized).
Sign-offs such as "Thanks,\\nAlex" stay in the visible text: they are part of what the
sender wrote and cost little; only the block a client or the sender marks as a
signature is set apart.
"""

from __future__ import annotations

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


def split_signature(lines: list[str]) -> SignatureSplit:
    """Split lines of the visible part into text and signature."""
    cut = len(lines)
    in_code = False
    for k, line in enumerate(lines):
        if p.CODE_FENCE.match(line):
            in_code = not in_code
        if in_code or p.QUOTE_LINE.match(line):
            # A rule inside a fenced code block ("####", "-----") is code, not a footer.
            continue
        if p.SIG_DELIMITER.match(line):
            cut = k
            break
        if p.RULE_LINE.match(line):
            tail = [t for t in lines[k + 1 :] if t.strip()]
            if len(tail) <= _MAX_RULE_TAIL:
                cut = k
                break
    # A mobile footer closes what the sender typed: what follows is the client's.
    footer = next((k for k in range(cut) if p.MOBILE_FOOTER.match(lines[k])), cut)
    text = lines[:footer]
    while text and _is_noise(text[-1]):
        text.pop()
    if text and p.DASH_SIGNOFF.match(text[-1]):
        footer = len(text) - 1
        text.pop()
    signature = "\n".join(lines[footer:]).strip("\n")
    return SignatureSplit("\n".join(text).strip("\n"), signature)
