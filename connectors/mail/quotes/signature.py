"""Signature separation: delimiters, rule lines, footers and contact blocks.

Policy (also in the package docstring): a signature is the block after a "-- " (or
"--") delimiter line; a short block after a rule line ("____", "-----") that is no list;
every mobile or client footer line ("Sent from my iPhone", "Get Outlook for iOS", in
any language) and what follows it; and, after the sign-off (a closing and the name on
its line or under it, both of which stay), what reads as contact details, registration
lines or a disclaimer, attached under the name or in blocks of their own, even a single
line (under contact details, prose that may be a disclaimer in words we do not know goes
too). Prose after the name is the message; a P.S. under the details stays visible.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
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


# The full-width "=", "-" and "_" written as escapes: they look like the ASCII ones.
_RULE_ENDS = frozenset("-_=*~#+—―─━═\uff1d\uff0d\uff3f")


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
        if end in _RULE_ENDS and p.RULE_LINE.match(line) and _footer_after_rule(lines, k):
            cut = k
            break
    # A mobile footer closes what the sender typed: what follows is the client's.
    footer = next((k for k in range(cut) if _is_footer(lines[k])), cut)
    text = _without_noise_tail(lines[:footer])
    sig_start, sig_end = _unmarked_signature(text)
    if sig_start < len(text):
        # A P.S. under the signature is the sender's again: it stays, the block above goes.
        kept = text[sig_end:]
        taken = [*text[sig_start:sig_end], *lines[footer:]] if kept else lines[sig_start:]
        signature = "\n".join(taken)
        text = _without_noise_tail(text[:sig_start]) + ([""] if kept else []) + kept
        return SignatureSplit("\n".join(text).strip("\n"), signature.strip("\n"))
    signature = "\n".join(lines[footer:]).strip("\n")
    return SignatureSplit("\n".join(text).strip("\n"), signature)


def _without_noise_tail(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and _is_noise(lines[end - 1]):
        end -= 1
    return lines[:end]


def _unmarked_signature(text: list[str]) -> tuple[int, int]:
    """Where a signature nobody marked starts and ends ((len, len) if none): what reads
    as contact details under the sign-off's name, the contact block under the sign-off,
    or a "-Name" dash sign-off on the last line. It ends before the end only where a
    P.S. follows it."""
    signed = _under_signed_name(text)
    if signed is not None:
        return signed
    block = _contact_block(text)
    if block < len(text):
        return block, len(text)
    if text and p.DASH_SIGNOFF.match(text[-1]):
        return len(text) - 1, len(text)
    return len(text), len(text)


def _footer_after_rule(lines: list[str], k: int) -> bool:
    """Whether what follows the rule at line k is a footer: short, and no list (a rule
    over "Decisions:\n- ..." separates sections of the message)."""
    # Taken up to one past the limit: a rule over a long body costs no more.
    tail = (lines[j] for j in range(k + 1, len(lines)) if lines[j].strip())
    taken = list(itertools.islice(tail, _MAX_RULE_TAIL + 1))
    return len(taken) <= _MAX_RULE_TAIL and not any(p.LIST_ITEM.match(t) for t in taken)


def _blocks_from_end(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-blank lines, the last first: a signature is at
    the end, so only as many lines are read as the signature and its sign-off hold."""
    end = len(lines)
    while end > 0:
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        if start < end:
            yield start, end
        end = start


# Blocks read from the end for a signature: legal blocks, a contact block, the sign-off.
_MAX_TAIL_BLOCKS = 8
# Prose blocks nobody could tell for a disclaimer (a language or wording we do not know)
# that may stand under a contact block and go with it.
_MAX_UNKNOWN_TAIL = 2


def _contact_block(lines: list[str]) -> int:
    """Where a signature without a delimiter starts in lines (len(lines) if none).

    It is what follows the sender's sign-off ("Thanks,\nAlex"), in blocks of their own:
    a block of contact details (name, title, company, phone, web address), then any
    disclaimers and company registration lines. The sign-off itself stays: it is what
    the sender wrote.
    """
    blocks = _Blocks(lines)
    legal = 0
    while blocks.get(legal + 1) and _is_legal(blocks.text(legal)):
        legal += 1
    contact = _find_contact(blocks, legal)
    if contact < 0 and legal == 0:
        return len(lines)
    above_at = contact + 1 if contact >= 0 else legal
    if not blocks.get(above_at):
        return len(lines)
    above = blocks.text(above_at)
    if not _is_sign_off(above[-1]):
        return len(lines)
    # The evidence that the block above signs off: a closing word, or the name that the
    # contact block repeats ("Chris" over "Chris Whitfield"). "Here is the link" over
    # "Dashboard\nhttps://..." has neither. A disclaimer alone under a line needs the
    # closing or some text above it: "Hi Kim," over a paragraph on confidentiality is
    # the message.
    closing = any(p.CLOSING.match(line) for line in above[-2:])
    if contact >= 0:
        signed = closing or _repeats_name(above[-1], blocks.text(contact)[0])
    else:
        signed = closing or len(above) > 1 or blocks.get(above_at + 1)
    return blocks.spans[above_at - 1][0] if signed else len(lines)


class _Blocks:
    """The blocks of lines, the last first, read only as far as they are asked for."""

    __slots__ = ("lines", "source", "spans")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.source = _blocks_from_end(lines)
        self.spans: list[tuple[int, int]] = []

    def get(self, k: int) -> bool:
        """Whether block k exists (reading up to it)."""
        while len(self.spans) <= k and len(self.spans) < _MAX_TAIL_BLOCKS:
            span = next(self.source, None)
            if span is None:
                return False
            self.spans.append(span)
        return k < len(self.spans)

    def text(self, k: int) -> list[str]:
        start, end = self.spans[k]
        return self.lines[start:end]


def _find_contact(blocks: _Blocks, at: int) -> int:
    """Index of the contact block at `at`, or under at most _MAX_UNKNOWN_TAIL prose
    blocks from there (a disclaimer we do not recognise); -1 if none. A contact block
    needs a block above it (the sign-off)."""
    for k in range(at, at + _MAX_UNKNOWN_TAIL + 1):
        if not blocks.get(k + 1):
            return -1
        block = blocks.text(k)
        if _is_contact_block(block):
            return k
        if not _is_prose_tail(block):
            return -1
    return -1


# Legal prose is long: a line of a message that mentions confidentiality is not. A CJK
# character counts twice, as it says about as much as two letters of a Latin script.
_MIN_DISCLAIMER = 60
_WIDE = "\u2e80"  # CJK radicals: the first of the wide scripts
# What of a block the disclaimer tests read: a disclaimer says early what it is.
_DISCLAIMER_HEAD = 300
# Two languages of a disclaimer wrapped at 72 columns fit: more is the message.
_MAX_DISCLAIMER_LINES = 30


def _head(block: list[str]) -> str:
    """The opening of a block as one line, at most _DISCLAIMER_HEAD characters."""
    parts: list[str] = []
    size = 0
    for line in block:
        if size >= _DISCLAIMER_HEAD:
            break
        part = line.strip()
        parts.append(part)
        size += len(part) + 1
    return " ".join(parts)[:_DISCLAIMER_HEAD]


def _long_enough(head: str) -> bool:
    size = len(head)
    if size < _MIN_DISCLAIMER and not head.isascii():
        size += sum(1 for c in head if c >= _WIDE)
    return size >= _MIN_DISCLAIMER


def _is_legal(block: list[str]) -> bool:
    """Whether a block under the signature is legal boilerplate: a disclaimer (by its
    label or opening words, or by what it speaks of) or company registration lines."""
    if p.POSTSCRIPT.match(block[0]):
        return False
    if p.DISCLAIMER.match(block[0]):
        return True
    head = _head(block)
    lowered = head.lower()
    if (
        _long_enough(head)
        and p.DISCLAIMER_LEGAL.search(lowered)
        and p.DISCLAIMER_MESSAGE.search(lowered)
    ):
        return True
    return len(block) <= _MAX_CONTACT_LINES and bool(
        p.REGISTRATION_ID.search(head) or p.REGISTRATION.search(lowered)
    )


def _is_prose_tail(block: list[str]) -> bool:
    """Whether a block may be a disclaimer in words we do not know: sentences of some
    length, no P.S., list nor quote (what a sender adds under a signature)."""
    return (
        len(block) <= _MAX_DISCLAIMER_LINES
        and _long_enough(_head(block))
        and not p.POSTSCRIPT.match(block[0])
        and not any(p.LIST_ITEM.match(line) or p.QUOTE_LINE.match(line) for line in block)
    )


def _repeats_name(sign_off: str, first: str) -> bool:
    """Whether a word of the sign-off's last line (the name) opens the contact block."""
    words = [w.strip(",.;:!-").lower() for w in sign_off.split()]
    return any(len(w) > 1 and first.lower().lstrip().startswith(w) for w in words)


# A contact block is a few short lines: more, or longer, is a paragraph of the message.
_MAX_CONTACT_LINES = 10
_MAX_CONTACT_LINE = 80
_MAX_CONTACT_WORDS = 10
_MAX_NAME = 40
_MAX_NAME_WORDS = 4
_MAX_CLOSING_WORDS = 3
_NAME_ENDS = frozenset(".?!:;,")


def _is_contact_block(block: list[str]) -> bool:
    # It opens with a name or a title: not with a number, a question or a "P.S.".
    first = block[0].rstrip()
    if (
        len(block) > _MAX_CONTACT_LINES
        or first[-1:] in ("?", "!", ":")
        or any(c.isdigit() for c in first)
        or p.POSTSCRIPT.match(first)
    ):
        return False
    if any(
        len(line.strip()) > _MAX_CONTACT_LINE
        or len(line.split()) > _MAX_CONTACT_WORDS
        or p.LIST_ITEM.match(line)
        for line in block
    ):
        return False
    return any(p.CONTACT_DETAIL.search(line) for line in block)


def _is_sign_off(line: str) -> bool:
    """Whether line can end a sign-off: a name, a closing with one ("Regards, Roman"), or
    a short closing whose name the signature below carries ("Best regards,")."""
    name = line.strip()
    words = len(name.split())
    return (
        0 < len(name) <= _MAX_NAME
        and name[0] != ">"
        and words <= _MAX_NAME_WORDS
        and (name[-1] not in _NAME_ENDS or (name[-1] == "," and words <= _MAX_CLOSING_WORDS))
        and any(c.isalpha() for c in name)
        and not any(c.isdigit() for c in name)
    )


# Longer lines are prose: every footer pattern is bounded well below this.
_MAX_FOOTER = 160
_MAX_DEVICE_FOOTER = 60  # the longest, "Wysłane z aplikacji Poczta dla systemu Windows"
_FOOTER_BRACKETS = "()<>[]"


def _is_footer(line: str) -> bool:
    if len(line) > _MAX_FOOTER:
        return False
    if "Outlook" in line and p.OUTLOOK_APP_FOOTER.match(p.LINK.sub("", line)):
        return True
    if (p.MOBILE_FOOTER_START.match(line) or "送信" in line) and p.MOBILE_FOOTER.match(line):
        return True
    return len(line) <= _MAX_DEVICE_FOOTER and _is_device_footer(line)


def _is_device_footer(line: str) -> bool:
    """A "sent" verb as the first or last word, no clause break, a device named."""
    text = line.strip().strip(_FOOTER_BRACKETS).strip()
    # The device test first: most short lines name none, and it costs least.
    if not text or p.FOOTER_DEVICE.search(text.lower()) is None:
        return False
    first = text.split(None, 1)[0].lower()
    last = text.rsplit(None, 1)[-1].rstrip(".").lower()
    if not (p.SENT_FIRST_WORD.fullmatch(first) or p.SENT_LAST_WORD.fullmatch(last)):
        return False
    return p.CLAUSE_BREAK.search(text) is None


# A closing line is short: "Thanks for the quick turnaround on the contract" is prose.
_MAX_CLOSING_LINE = 60
# A line ending in "." with this many words in lower case is a sentence ("See you soon.").
_MIN_SENTENCE_LOWER = 2
# "Title | Company", "Street 7 · 79108 City": the separators of a contact line.
# The full-width bar written as an escape: it looks like the ASCII one.
_CONTACT_SEPARATOR = re.compile("\\s[|·•\uff5c]\\s|^[^|]{1,40}\\|[^|]{1,40}$")


def _under_signed_name(text: list[str]) -> tuple[int, int] | None:
    """The contact details under the sign-off's name, attached to it or in blocks of
    their own, as (start, end) in text; None if the tail is no such thing.

    The sign-off is a closing ("Best,", "Viele Grüße", "此致\\n敬礼") and the name on
    its line or under it (a blank line between at most): both are the sender's and
    stay. What follows must read as contact details, registration lines or legal
    boilerplate to the end, or to a P.S. (the sender's again): prose after a name is
    the message."""
    spans: list[tuple[int, int]] = list(itertools.islice(_blocks_from_end(text), _MAX_TAIL_BLOCKS))
    for start, end in spans:
        # Details attached under the name are a contact block's few lines: a closing
        # higher up in a long block has the message, not a signature, below it.
        first = max(start, end - _MAX_CONTACT_LINES - 2)
        lines = range(end - 1, first - 1, -1)
        closing = next((k for k in lines if _is_closing_line(text[k])), None)
        if closing is None:
            continue
        name = _name_after(text, closing)
        if name is None:
            return None
        return _contact_tail(text, name + 1)
    return None


def _is_closing_line(line: str) -> bool:
    return len(line.strip()) <= _MAX_CLOSING_LINE and bool(p.CLOSING.match(line))


def _name_after(text: list[str], closing: int) -> int | None:
    """The line of the name that signs the closing at `closing`: its own line when the
    name follows the closing words there ("Mvh Mette Jensen", "Regards, Roman")."""
    line = text[closing]
    match = p.CLOSING.match(line)
    rest = line[match.end() :] if match else ""
    # The name stands apart from the closing words and is capitalised: "Saludos
    # cordiales" and "よろしくお願いいたします" run on into more of the closing.
    name = rest.strip(" ,.!")
    if (
        rest[:1] in (" ", ",")
        and _is_name(name)
        and all(not word[0].islower() for word in name.split())
    ):
        return closing
    for k in (closing + 1, closing + 2):
        if k >= len(text):
            return None
        if text[k].strip():
            return k if _is_name(text[k]) else None
    return None


def _is_name(line: str) -> bool:
    return (
        _is_sign_off(line)
        and not p.CONTACT_DETAIL.search(line)
        and not p.COMPANY.search(line)
        and not _is_closing_line(line)
    )


def _contact_tail(text: list[str], at: int) -> tuple[int, int] | None:
    """(at, end) if the lines from `at` are contact details and legal blocks up to the
    end (or a P.S.), with some evidence among them; None otherwise."""
    evidence = False
    unknown = 0
    k = at
    while k < len(text):
        if not text[k].strip():
            k += 1
            continue
        end = k
        while end < len(text) and text[end].strip():
            end += 1
        block = text[k:end]
        if p.POSTSCRIPT.match(block[0]):
            return (at, k) if evidence else None
        if _is_legal(block):
            evidence = True
        elif all(_is_contact_line(line) for line in block) and len(block) <= _MAX_CONTACT_LINES:
            evidence = evidence or any(_shows_contact(line) for line in block)
        elif evidence and unknown < _MAX_UNKNOWN_TAIL and _is_prose_tail(block):
            unknown += 1
        else:
            return None
        k = end
    return (at, len(text)) if evidence else None


def _is_contact_line(line: str) -> bool:
    stripped = line.strip()
    # Words, not tokens: the groups of a phone number and the "|" between fields are none.
    words = [w for w in stripped.split() if any(c.isalpha() for c in w)]
    if (
        len(stripped) > _MAX_CONTACT_LINE
        or len(words) > _MAX_CONTACT_WORDS
        or stripped[-1:] in ("?", "!", ":")
        or p.LIST_ITEM.match(line)
        or p.QUOTE_LINE.match(line)
    ):
        return False
    # A sentence has words in lower case; a company name ("Harbor & Pine Bank, N.A.") not.
    return not (
        stripped.endswith(".")
        and sum(1 for w in words if w[0].islower()) >= _MIN_SENTENCE_LOWER
        and not _shows_contact(line)
    )


def _shows_contact(line: str) -> bool:
    """Whether a line is contact details for sure: a number, an address, a registration,
    a company's legal form ("Müller GmbH") or a "Title | Company" line."""
    return bool(
        p.CONTACT_DETAIL.search(line)
        or p.REGISTRATION_ID.search(line)
        or p.REGISTRATION.search(line.lower())
        or p.COMPANY.search(line)
        or _CONTACT_SEPARATOR.search(line.strip())
    )
