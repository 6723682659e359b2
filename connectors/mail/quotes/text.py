"""Plain-text reply splitting: classify lines, then cut at the first quote boundary.

The line classes follow the idea of discourse's email_reply_trimmer (MIT): a body is a
sequence of text, blank, quoted, attribution, header-block and footer lines, and the
reply is what comes before the first boundary that opens older mail.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from connectors.mail.quotes import patterns as p
from connectors.mail.quotes.result import ReplySplit
from connectors.mail.quotes.signature import split_signature

# Gmail and Outlook wrap long attribution lines; three lines cover every client seen.
_MAX_ATTRIBUTION_LINES = 3
# "On <date> <name>" wrapped with the address on lines of its own, blank lines between.
_MAX_LEAD_ATTRIBUTION_LINES = 4
_MAX_ATTRIBUTION_GAP = 2
# Header fields of an Outlook block are within this many lines of each other.
_HEADER_WINDOW = 6
_MAX_FIELD_LINES = 3  # a field's value wrapped over lines (a long subject, many names)
_MAX_LINE = 1000  # longer lines are prose (or base64), never a marker
_MAX_WRAPPED_NAME = 60  # a sender's name wrapped onto a line of its own
_MIN_WRAPPED_LINE = 60  # clients wrap at 72 to 80 characters: shorter lines stay whole


@dataclass(frozen=True)
class _Boundary:
    start: int  # first line of the older mail (marker or header block)
    end: int  # first line after the marker itself (attribution may span lines)
    forward: bool
    # A header block or an "Original Message" rule: Outlook writes the same for a reply
    # and a forward, so only what stands above it tells them apart.
    header: bool = False


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_quote(line: str) -> bool:
    return bool(p.QUOTE_LINE.match(line))


# An attribution ends at most this many lines after its first (lead lines wrapped over
# blank-line gaps): the window in which _Lines.next_hot must find a line.
_REACH = (_MAX_LEAD_ATTRIBUTION_LINES - 1) * (_MAX_ATTRIBUTION_GAP + 1)
_TAIL = 24  # the end of an attribution that the verb test looks at


def _may_end_attribution(stripped: str) -> bool:
    """Whether an attribution could end on this (stripped) line or include it: it has an
    "@" or ends in a colon, a dash or a verb. _matches_attribution rejects any text
    without one of these, so lines far from all such lines need no attribution test."""
    last = stripped[-1:]
    if "@" in stripped or last in (":", "\uff1a", "-"):
        return True
    if not _may_end_verb(last):
        return False
    # A short line may end a verb that began on the line above it.
    return len(stripped) < _TAIL or _ends_with_verb(stripped[-_TAIL:])


@functools.lru_cache(maxsize=4096)
def _may_end_verb(last: str) -> bool:
    """Whether the character last ends some verb (p.WROTE_LAST, remembered per character)."""
    return bool(last) and p.WROTE_LAST.match(last) is not None


def _ends_with_verb(tail: str) -> bool:
    """p.WROTE_END.search(tail) for a right-stripped tail, tried at one position only."""
    return p.WROTE_END_REVERSED.match(tail[::-1]) is not None


def _strip_bidi(line: str) -> str:
    """line without the spaces around it, nor the bidi controls that RTL clients wrap
    around names and addresses ("<\u202aa@b.c\u202c\u200f>:\u202c")."""
    return p.BIDI_CONTROLS.sub("", line).strip()


class _Lines:
    """The lines of a body and the per-line facts the boundary tests use, computed once."""

    __slots__ = ("blank", "lines", "next_hot", "quote", "quote_after", "stripped")

    def __init__(self, lines: list[str]) -> None:
        n = len(lines)
        self.lines = lines
        self.stripped = stripped = [
            line.strip() if line.isascii() else _strip_bidi(line) for line in lines
        ]
        self.blank = [not line for line in stripped]
        # A quoted line holds a ">": the pattern runs on those only.
        self.quote = [">" in line and p.QUOTE_LINE.match(line) is not None for line in lines]
        hot = [_may_end_attribution(line) for line in stripped]
        # quote_after[k]: whether the first non-blank line at or after k is quoted.
        self.quote_after = quote_after = [False] * (n + 1)
        # next_hot[k]: the first line at or after k that _may_end_attribution.
        self.next_hot = next_hot = [n + _REACH + 1] * (n + 1)
        for k in range(n - 1, -1, -1):
            quote_after[k] = quote_after[k + 1] if self.blank[k] else self.quote[k]
            next_hot[k] = k if hot[k] else next_hot[k + 1]

    def __len__(self) -> int:
        return len(self.lines)


def _attribution_end(t: _Lines, i: int, nested: bool = False) -> int:
    """Index after an attribution starting at line i, or -1 when there is none.

    nested: called to test whether a continuation line opens an attribution of its own;
    such a call does not look further ahead again, so the work stays linear.
    """
    lines = t.lines
    gap = t.next_hot[i] - i  # the attribution must reach a line that can end one
    if t.quote[i] or t.blank[i] or len(lines[i]) > _MAX_LINE or gap > _REACH:
        return -1
    # An attribution that opens with a lead word and a date ("On Tue, Apr 11, 2017 at
    # 10:07 PM John Smith") may be wrapped over blank lines (Polymail, some webmails).
    lead = bool(p.LEAD_START.match(lines[i]) and p.ATTRIBUTION_EVIDENCE.search(lines[i]))
    if not lead and gap >= _MAX_ATTRIBUTION_LINES:  # no blank gaps: consecutive lines
        return -1
    limit = _MAX_LEAD_ATTRIBUTION_LINES if lead else _MAX_ATTRIBUTION_LINES
    first_opens: bool | None = None  # whether line i may start a wrapped attribution
    joined = ""
    k = i
    taken = 0
    n = len(lines)
    after_gap = False
    while k < n and taken < limit:
        if k > i:
            if lead and t.blank[k] and _blank_run(t, k) <= _MAX_ATTRIBUTION_GAP:
                after_gap = True
                k += 1
                continue
            if first_opens is None:
                first = lines[i]
                first_opens = bool(
                    p.ATTRIBUTION_EVIDENCE.search(first) or p.LEAD_START.match(first)
                )
            if not _continues_attribution(t, k, first_opens, nested):
                break
            if after_gap and not nested and _attribution_end(t, k, nested=True) >= 0:
                # Across a blank line, an attribution whole by itself is no part of one
                # that the reply's lines above seemed to open ("On Monday at 15:00 ok.").
                break
            after_gap = False
        joined = f"{joined} {t.stripped[k]}" if joined else t.stripped[k]
        taken += 1
        # "...<a@b.c>" then "> wrote:": the attribution ends on the tail, not before it.
        tail_next = k + 1 < n and _is_attribution_tail(t, k + 1)
        if not tail_next and _matches_attribution(t, joined, k):
            return k + 1
        k += 1
    return -1


def _is_attribution_tail(t: _Lines, k: int) -> bool:
    # The pattern opens with "\s*>": a line that does not start so cannot match.
    return t.stripped[k][:1] == ">" and p.ATTRIBUTION_TAIL.match(t.lines[k]) is not None


def _blank_run(t: _Lines, k: int) -> int:
    start = k
    while k < len(t) and t.blank[k] and k - start <= _MAX_ATTRIBUTION_GAP:
        k += 1
    return k - start


def _matches_attribution(t: _Lines, joined: str, k: int) -> bool:
    """Whether joined (lines up to k, stripped) is a whole attribution.

    Each pattern is tried only when the cheap tests its match implies hold (its last
    character, an "@"): most lines of prose fail those, and the patterns cost far more.
    """
    tail = joined[-_TAIL:].rstrip()
    last = tail[-1:]
    colon = last in (":", "\uff1a")
    dash = last == "-"
    at = "@" in joined
    # A verb ends the text only if the last character ends some verb.
    verb_last = _may_end_verb(last)
    if not (colon or dash or at or (verb_last and _ends_with_verb(tail))):
        return False
    # Without a date or address ("On Thu, Sam wrote:") the quote under it is the evidence.
    if (
        _may_be_attribution(joined, colon, verb_last)
        and p.ATTRIBUTION.match(joined)
        and (p.ATTRIBUTION_EVIDENCE.search(joined) or t.quote_after[k + 1])
    ):
        return True
    if dash and p.DASHED_ATTRIBUTION.match(joined):
        return True
    if at and colon and p.DATED_ADDRESS_ATTRIBUTION.match(joined):
        return True
    if at and p.LEADING_DATE_ADDRESS.match(joined):
        return True
    if (at or colon) and t.quote_after[k + 1]:
        return bool(
            (at and p.DATED_ADDRESS.match(joined)) or (colon and p.LOOSE_ATTRIBUTION.match(joined))
        )
    return False


def _may_be_attribution(joined: str, colon: bool, verb_last: bool) -> bool:
    """What p.ATTRIBUTION's branches imply, tested cheaply: a lead word ("On", "Am")
    before a verb or a colon at the end; a verb before the final colon; or a CJK verb."""
    if colon:
        return bool(
            p.LEAD_START.match(joined)
            or _ends_with_verb(joined[:-1].rstrip())
            or not joined.isascii()
        )
    return verb_last and bool(p.LEAD_START.match(joined)) and _ends_with_verb(joined)


def _continues_attribution(t: _Lines, k: int, first_opens: bool, nested: bool) -> bool:
    """Whether line k may continue an attribution whose first line is first_opens."""
    if _is_attribution_tail(t, k):
        return True
    if t.blank[k] or t.quote[k] or len(t.lines[k]) > _MAX_LINE:
        return False
    # The first line must itself look like the start of one (a date, an address, a lead
    # word: "Hello" above "2011/4/7 Name <a@b.c>" stays the reply), and a line that opens
    # a whole attribution of its own starts a new one.
    if not first_opens:
        return False
    if nested or not p.LEAD_START.match(t.lines[k]):
        return True
    return _attribution_end(t, k, nested=True) < 0


def _header_block(lines: list[str], i: int) -> bool:
    """Whether an Outlook-style header block ("From: ... Sent: ...") starts at line i.

    It names a sender or a date and more fields, each with a value of its kind: a person
    is a name or an address, a date has digits. Labels alone are not enough: a journey or
    a booking in the sender's own text ("From: Amsterdam Centraal / To: Utrecht / Date:
    Saturday, March 14") has them too. A mail client writes an address, or a sent date
    with its time of day ("Sent: Friday, 6 March 2026 08:15"); such a list has neither.
    """
    if not _field(lines[i]) or _is_quote(lines[i]):
        return False
    fields = [(kind, line) for line in lines[i : i + _HEADER_WINDOW] if (kind := _field(line))]
    if len(fields) < 2 or not any(kind in ("from", "sent") for kind, _ in fields):
        return False
    if any("@" in line for _, line in fields):
        return True
    return len(fields) >= 3 and any(kind == "sent" and _has_time(line) for kind, line in fields)


def _has_time(line: str) -> bool:
    """Whether the field's value holds a time of day ("08:15", "8.15"), also when bidi
    marks split it, as Outlook's Russian and Hebrew dates have them."""
    return p.TIME_OF_DAY.search(p.BIDI_CONTROLS.sub("", _value(line))) is not None


def _value(line: str) -> str:
    """What follows a field's name and its colon."""
    return line[_colon(line) + 1 :]


def _colon(line: str) -> int:
    """Index of the first colon, ASCII or full-width (-1 if none)."""
    colon = line.find(":")
    wide = line.find("\uff1a", 0, colon if colon >= 0 else len(line))
    return wide if wide >= 0 else colon


def _field(line: str) -> str:
    """The kind of header field line opens with ("from", "sent", "to", "other") when its
    value fits that kind, else ""."""
    # _colon, written out: this runs on every line.
    colon = line.find(":")
    wide = line.find("\uff1a", 0, colon if colon >= 0 else len(line))
    colon = wide if wide >= 0 else colon
    if colon < 0:
        return ""
    kind = _field_head_kind(line[: colon + 1])
    if not kind:
        return ""
    value = line[colon + 1 :].strip()
    if kind in ("from", "to") and value[:1].isdigit() and "@" not in value:
        return ""  # "From: 12 March": a person or an address does not open with a number
    if kind == "sent" and value and not any(c.isdigit() for c in value):
        return ""
    return kind


@functools.lru_cache(maxsize=1024)
def _field_head_kind(head: str) -> str:
    """The kind of header field head (a line up to its first colon) names, or "".

    Only a field name stands before that colon (letters, "-" and spaces, at most
    FIELD_NAME_MAX others) with ">" and "*": a cheap test most lines fail comes first.
    Remembered per head, as logs and tables repeat theirs.
    """
    name = "".join(head[:-1].split()).lstrip(">").strip("*")
    if not (0 < len(name) <= p.FIELD_NAME_MAX and name.replace("-", "").isalpha()):
        return ""
    match = p.HEADER_FIELD.match(head)
    return "" if match is None else str(match.lastgroup)


_DASHES = frozenset("-_=*~")


def _dash_lead(text: str) -> bool:
    """Whether text opens with two rule characters or spaces, as a "----- X -----"
    marker (p.ORIGINAL_MESSAGE, p.FORWARD_MARKER) must."""
    return (
        len(text) >= 2
        and (text[0] in _DASHES or text[0].isspace())
        and (text[1] in _DASHES or text[1].isspace())
    )


def _cut_indent(line: str) -> str:
    """line with its indent (and the spaces after a leading ">") cut to two characters.

    ORIGINAL_MESSAGE and FORWARD_MARKER match the cut line exactly when they match line:
    before their text they need a run of at least two spaces or rule characters, whose
    rule characters span at most 40; a longer indent only makes them try every way to
    split it among their nested quantifiers (milliseconds on a deep indent).
    """
    body = line.lstrip()
    indent = line[: min(2, len(line) - len(body))]
    if body[:1] == ">":
        inner = body[1:].lstrip()
        body = ">" + body[1 : 1 + min(2, len(body) - 1 - len(inner))] + inner
    return indent + body


def _boundary_at(t: _Lines, i: int) -> _Boundary | None:
    lines = t.lines
    line = lines[i]
    stripped = t.stripped[i]
    if not stripped or len(line) > _MAX_LINE:  # a blank line is never a boundary
        return None
    # Both markers open with a rule ("-----", after one ">" for a forward); the forward
    # phrases without one end in a colon (full-width in Chinese and Japanese).
    dash_lead = _dash_lead(line)
    forward = (
        dash_lead
        or stripped[-1] in ":\uff1a"  # ASCII or full-width colon
        or (stripped[0] == ">" and _dash_lead(stripped[1:]))
    )
    if forward or dash_lead:
        probe = _cut_indent(line)
        if forward and p.FORWARD_MARKER.match(probe):
            return _Boundary(i, i + 1, forward=True)
        if dash_lead and p.ORIGINAL_MESSAGE.match(probe):
            return _Boundary(i, i + 1, forward=False, header=True)
    if t.quote[i]:
        return _Boundary(i, i + 1, forward=False) if _heads_quote_block(t, i) else None
    end = _attribution_end(t, i) if t.next_hot[i] - i <= _REACH else -1
    if end > 0:
        return _Boundary(i - 1 if _name_above(t, i) else i, end, forward=False)
    # _header_block needs a field at line i, and a field a colon (ASCII or full-width).
    has_colon = ":" in line or "\uff1a" in line
    if (has_colon and _header_block(lines, i)) or (
        line.startswith(_TABLE_INDENT) and _table_header(t, i)
    ):
        return _Boundary(i, i, forward=False, header=True)
    if (
        stripped[0] in _DASHES
        and stripped[0] != "~"
        and p.LABELLED_RULE.match(line)
        and i + 1 < len(lines)
        and _header_block(lines, i + 1)
    ):
        return _Boundary(i, i + 1, forward=False, header=True)
    return None


_NAME_ENDS = frozenset(".!?:,;")


def _name_above(t: _Lines, i: int) -> bool:
    """Whether the attribution at line i opens with the address because the sender's
    name was wrapped onto the line above (Gmail for Android: "Anna Lee\n<a@b.c> schrieb
    am ..."): that line, short and no sentence, is the attribution's first."""
    if i == 0 or not t.stripped[i].startswith(("<", "(<")) or t.blank[i - 1] or t.quote[i - 1]:
        return False
    name = t.stripped[i - 1]
    return (
        len(name) <= _MAX_WRAPPED_NAME
        # A client wraps only a line too long for it: "Thanks" over "<a@b.c> wrote:" is not.
        and len(name) + len(t.stripped[i]) > _MIN_WRAPPED_LINE
        and name[-1] not in _NAME_ENDS
        and not any(c.isdigit() for c in name)
    )


# Lotus Notes lays its header out as a text table: sender and date in a column indented
# this far, and the field labels ("To", "cc", "Subject") right-aligned alone on a line.
_TABLE_INDENT = " " * 8
_TABLE_REACH = 4  # lines from the sender's name to the "To" label


def _table_header(t: _Lines, i: int) -> bool:
    """Whether a Lotus Notes header table opens at line i: indented lines down to a lone
    "To" label far to the right."""
    for k in range(i + 1, min(i + 1 + _TABLE_REACH, len(t))):
        line = t.lines[k]
        if not (t.blank[k] or line.startswith(_TABLE_INDENT)):
            return False
        if p.TABLE_TO_LABEL.match(line):
            return True
    return False


def _extend_over_rule(lines: list[str], start: int) -> int:
    """Include the rule line ("____", "-----") that Outlook draws above a header block."""
    k = start - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k >= 0 and p.RULE_LINE.match(lines[k]) and not p.SIG_DELIMITER.match(lines[k]):
        return k
    return start


def _heads_quote_block(t: _Lines, i: int) -> bool:
    """Whether line i is an attribution quoted as the first line of its quote block
    ("> On <date>, <who> wrote:", as Apple Mail puts it inside the blockquote): when an
    answer keeps the block, the attribution still goes."""
    if not t.quote[i] or (i > 0 and t.quote[i - 1]) or not t.quote_after[i + 1]:
        return False
    text = t.stripped[i].lstrip("> ")
    return bool(p.ATTRIBUTION.match(text) and p.ATTRIBUTION_EVIDENCE.search(text))


def _quote_block_end(t: _Lines, i: int) -> int:
    """Index after the quoted block (with its blank lines) starting at or after line i."""
    end = i
    k = i
    n = len(t)
    while k < n:
        if t.quote[k]:
            end = k + 1
        elif not t.blank[k] and not (k + 1 < n and t.quote[k + 1] and _wraps_quote(t, k)):
            break
        k += 1
    return end


_SENTENCE_ENDS = frozenset(".?!:)\u3002\uff1f\uff01")
_QUESTION_ENDS = frozenset("?\uff1f")


def _wraps_quote(t: _Lines, k: int) -> bool:
    """Whether the lone unquoted line k, between quoted lines, is the rest of the quoted
    line above that a client wrapped badly. An answer written right under a question
    (no blank line) opens like a sentence where the quote above ended one."""
    if not t.quote[k - 1]:
        return False
    first = t.stripped[k][:1]
    above = t.stripped[k - 1].rstrip()[-1:]
    if above in _QUESTION_ENDS:
        return False  # "> Kommst du?\nja, klar.": nothing wraps right after a question
    return not (first.isalpha() and not first.islower() and above in _SENTENCE_ENDS)


def _answers_inline(t: _Lines, k: int) -> bool:
    """Whether the answer that starts at line k is followed by another quote of the same
    message: the mark of an inline reply. Each call reads only up to that quote, a
    boundary or a signature, which the caller's loop reads next anyway: linear."""
    n = len(t)
    if k >= n or t.quote[k]:
        return False
    while k < n and not t.quote[k]:
        line = t.lines[k]
        if line.startswith("--") and p.SIG_DELIMITER.match(line):
            return False
        if not t.blank[k] and _boundary_at(t, k) is not None:
            return False
        k += 1
    return k < n and not _heads_quote_block(t, k)


def _forward_body(lines: list[str], boundary: _Boundary) -> int:
    """First line of a forwarded message's own text, after its metadata block."""
    # A quoted forward ("> From: ...") has quoted blank lines (">") between its parts.
    k = boundary.end
    while k < len(lines) and not lines[k].lstrip("> ").strip():
        k += 1
    seen_header = False
    while k < len(lines):
        stripped = lines[k].lstrip("> ").strip()
        if p.HEADER_ANY.match(lines[k].lstrip("> ")):
            seen_header = True
        elif not seen_header:
            return k
        elif not stripped:
            # Gmail's HTML puts a blank line after each field: the block goes on if
            # another field follows the blank lines.
            n = k
            while n < len(lines) and not lines[n].lstrip("> ").strip():
                n += 1
            if n >= len(lines) or not p.HEADER_ANY.match(lines[n].lstrip("> ")):
                return k
            k = n
            continue
        elif not _continues_field(lines, k):
            # Word's HTML leaves no blank line under the block: the message starts
            # right under its last field.
            return k
        k += 1
    return k


def _continues_field(lines: list[str], k: int) -> bool:
    """Whether line k, under a field, is the rest of one that was wrapped: indented,
    after a list that ends in a separator ("To: a, b,"), holding addresses, going on
    in lower case ("spans over 2 lines"), or with another field under it."""
    line = lines[k]
    body = line[2:] if line.startswith("> ") else line.removeprefix(">")
    if (
        body[:1] in (" ", "\t")
        or lines[k - 1].rstrip()[-1:] in (",", ";")
        or "@" in line
        or body.lstrip()[:1].islower()
    ):
        return True
    # A field further down, before a blank line: this line is inside the block. Only
    # the few lines a wrapped field spans are read.
    for n in range(k + 1, min(k + _MAX_FIELD_LINES, len(lines))):
        text = lines[n].lstrip("> ")
        if not text.strip():
            return False
        if p.HEADER_ANY.match(text):
            return True
    return False


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _split_forward(lines: list[str], visible: list[str], boundary: _Boundary) -> ReplySplit:
    forwarded = _join(lines[boundary.start :])
    if any(line.strip() for line in visible):
        head = split_signature(visible)
        return ReplySplit(head.text, "", head.signature, forwarded)
    body = [line[2:] if line.startswith("> ") else line.removeprefix(">") for line in lines]
    inner = split_text(_join(body[_forward_body(lines, boundary) :]))
    return ReplySplit(inner.visible, inner.quoted, inner.signature, forwarded)


def _split_inline_attributions(t: _Lines) -> _Lines:
    """Put an attribution that shares a line with the reply on its own line."""
    out: list[str] | None = None  # built from the first line that is split on
    for i, line in enumerate(t.lines):
        parts = _inline_attribution(t, i)
        if parts is not None:
            if out is None:
                out = t.lines[:i]
            out.extend(parts)
        elif out is not None:
            out.append(line)
    return t if out is None else _Lines(out)


def _inline_attribution(t: _Lines, i: int) -> tuple[str, str] | None:
    """The reply and the attribution that line i holds side by side, if it does."""
    line = t.lines[i]
    # The cheap tests first: the search costs more than all of them.
    if not t.quote_after[i + 1] or t.quote[i] or len(line) >= _MAX_LINE:
        return None
    match = p.INLINE_LEAD.search(line)
    if match:
        tail = line[match.end() :]
        if p.ATTRIBUTION.match(tail) and p.ATTRIBUTION_EVIDENCE.search(tail):
            return line[: match.start()].rstrip(" -"), tail
    return None


def split_text(text: str) -> ReplySplit:
    """Split a plain-text body into visible reply, quoted history, signature and forward."""
    t = _split_inline_attributions(_Lines(_lines(text)))
    lines = t.lines
    visible: list[str] = []
    quoted: list[str] = []
    held = -1  # lines before the first attribution or header block: the sender's own
    i = 0
    while i < len(lines):
        boundary = _boundary_at(t, i)
        if boundary is None:
            visible.append(lines[i])
            i += 1
            continue
        # A boundary that opens above line i takes back what it holds of the reply.
        del visible[len(visible) - (i - boundary.start) :]
        if boundary.header and held < 0 and not any(map(_is_written, visible)):
            # Nobody replies with nothing: a header block with nothing of the sender's
            # above it opens a forward (Outlook marks neither), and its message is
            # what they meant to show.
            start = _extend_over_rule(lines, boundary.start)
            return _split_forward(lines, [], _Boundary(start, boundary.end, forward=True))
        if (
            not boundary.header
            and not boundary.forward
            and boundary.start != boundary.end
            and held < 0
            and not t.quote_after[boundary.end]
            and not any(map(_is_written, visible))
        ):
            # An attribution over unquoted text with nothing above it: that text is no
            # history (nobody replies with nothing); only the attribution goes.
            quoted.extend(lines[boundary.start : boundary.end])
            i = boundary.end
            continue
        if held < 0:
            held = len(visible)
        if boundary.forward:
            return _split_forward(lines, visible, boundary)
        if boundary.start != boundary.end and t.quote_after[boundary.end]:
            # "On ... wrote:" over a ">" block: keep reading, since an answer may follow
            # it (bottom posting, inline replies).
            end = _quote_block_end(t, boundary.end)
            # The blank lines after the block go with it: the text before it keeps
            # its own spacing to what follows.
            while end < len(lines) and t.blank[end]:
                end += 1
            # Inline replies answer this block as they answer the later ones: only the
            # attribution goes. A bottom post answers the whole block: it all goes.
            if _answers_inline(t, end):
                end = boundary.end
                while t.blank[end]:  # quote_after[boundary.end]: a quote ends the run
                    end += 1
            quoted.extend(lines[boundary.start : end])
            i = end
            continue
        start = _extend_over_rule(lines, boundary.start)
        drop = len(visible) - (boundary.start - start)
        quoted.extend(visible[drop:] + lines[boundary.start :])
        visible = visible[:drop]
        break
    return _finish(visible, quoted, max(held, 0))


def _finish(visible: list[str], quoted: list[str], held: int = 0) -> ReplySplit:
    """Drop trailing quotes (nothing answers them), then set the signature apart.

    The first `held` lines came before the quoted history started: a quote there, under
    the sender's own text, is something they cite ("Reply / > cited / On ... wrote:"),
    not history, so it stays even though the history block after it was set aside.
    """
    body, tail = _drop_trailing_quotes(visible, held)
    head = split_signature(body)
    # Quotes that only a signature or footer follows are not answered either.
    blank_head = next((k for k, line in enumerate(body) if line), len(body))
    text, more = _drop_trailing_quotes(head.text.split("\n"), held - blank_head)
    return ReplySplit(_join(text), _join(more + tail + quoted), head.signature, "")


def _drop_trailing_quotes(lines: list[str], held: int = 0) -> tuple[list[str], list[str]]:
    n = len(lines)
    last_text = next((k for k in range(n - 1, -1, -1) if _is_text(lines[k])), -1)
    if last_text >= 0 and held > 0 and next(k for k in range(n) if _is_text(lines[k])) < held:
        # Some text of the sender's own precedes the held quotes: they stay with it.
        last_held = next((k for k in range(min(held, n) - 1, -1, -1) if lines[k].strip()), -1)
        last_text = max(last_text, last_held)
    if last_text >= 0:
        tail = lines[last_text + 1 :]
        if any(_is_quote(line) for line in tail):
            return lines[: last_text + 1], tail
    return lines, []


def _is_written(line: str) -> bool:
    """Whether line holds something the sender wrote: not blank, noise nor a rule."""
    return not p.NOISE_LINE.match(line) and not p.RULE_LINE.match(line)


def _is_text(line: str) -> bool:
    return bool(line.strip()) and not _is_quote(line)


def ends_with_boundary(text: str) -> bool:
    """Whether the last lines of text are an attribution or header block (HTML helper)."""
    lines = [line for line in _lines(text) if line.strip()][-_HEADER_WINDOW:]
    probe = _Lines([*lines, ">"])  # the quote that the caller found right after text
    return any(_boundary_at(probe, i) is not None for i in range(len(lines)))
