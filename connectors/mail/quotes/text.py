"""Plain-text reply splitting: classify lines, then cut at the first quote boundary.

The line classes follow the idea of discourse's email_reply_trimmer (MIT): a body is a
sequence of text, blank, quoted, attribution, header-block and footer lines, and the
reply is what comes before the first boundary that opens older mail.
"""

from __future__ import annotations

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
_MAX_LINE = 1000  # longer lines are prose (or base64), never a marker


@dataclass(frozen=True)
class _Boundary:
    start: int  # first line of the older mail (marker or header block)
    end: int  # first line after the marker itself (attribution may span lines)
    forward: bool


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_quote(line: str) -> bool:
    return bool(p.QUOTE_LINE.match(line))


def _attribution_end(lines: list[str], i: int, nested: bool = False) -> int:
    """Index after an attribution starting at line i, or -1 when there is none.

    nested: called to test whether a continuation line opens an attribution of its own;
    such a call does not look further ahead again, so the work stays linear.
    """
    if _is_quote(lines[i]) or not lines[i].strip() or len(lines[i]) > _MAX_LINE:
        return -1
    # An attribution that opens with a lead word and a date ("On Tue, Apr 11, 2017 at
    # 10:07 PM John Smith") may be wrapped over blank lines (Polymail, some webmails).
    lead = bool(p.LEAD_START.match(lines[i]) and p.ATTRIBUTION_EVIDENCE.search(lines[i]))
    limit = _MAX_LEAD_ATTRIBUTION_LINES if lead else _MAX_ATTRIBUTION_LINES
    joined = ""
    k = i
    taken = 0
    while k < len(lines) and taken < limit:
        if k > i:
            if lead and not lines[k].strip() and _blank_run(lines, k) <= _MAX_ATTRIBUTION_GAP:
                k += 1
                continue
            if not _continues_attribution(lines, i, k, nested):
                break
        joined = f"{joined} {lines[k].strip()}" if joined else lines[k].strip()
        taken += 1
        # "...<a@b.c>" then "> wrote:": the attribution ends on the tail, not before it.
        tail_next = k + 1 < len(lines) and p.ATTRIBUTION_TAIL.match(lines[k + 1])
        if not tail_next and _matches_attribution(lines, joined, k):
            return k + 1
        k += 1
    return -1


def _blank_run(lines: list[str], k: int) -> int:
    start = k
    while k < len(lines) and not lines[k].strip() and k - start <= _MAX_ATTRIBUTION_GAP:
        k += 1
    return k - start


def _matches_attribution(lines: list[str], joined: str, k: int) -> bool:
    """Whether joined (lines up to k) is a whole attribution."""
    tail = joined[-24:].rstrip()
    if not (tail.endswith((":", "\uff1a", "-")) or "@" in joined or p.WROTE_END.search(tail)):
        return False
    # Without a date or address ("On Thu, Sam wrote:") the quote under it is the evidence.
    if p.ATTRIBUTION.match(joined) and (
        p.ATTRIBUTION_EVIDENCE.search(joined) or _quote_follows(lines, k + 1)
    ):
        return True
    if p.DASHED_ATTRIBUTION.match(joined) or p.DATED_ADDRESS_ATTRIBUTION.match(joined):
        return True
    if p.LEADING_DATE_ADDRESS.match(joined):
        return True
    if p.DATED_ADDRESS.match(joined) or p.LOOSE_ATTRIBUTION.match(joined):
        return _quote_follows(lines, k + 1)
    return False


def _continues_attribution(lines: list[str], i: int, k: int, nested: bool) -> bool:
    """Whether line k may continue an attribution that starts on line i."""
    if p.ATTRIBUTION_TAIL.match(lines[k]):
        return True
    if not lines[k].strip() or _is_quote(lines[k]) or len(lines[k]) > _MAX_LINE:
        return False
    # The first line must itself look like the start of one (a date, an address, a lead
    # word: "Hello" above "2011/4/7 Name <a@b.c>" stays the reply), and a line that opens
    # a whole attribution of its own starts a new one.
    first = lines[i]
    if not (p.ATTRIBUTION_EVIDENCE.search(first) or p.LEAD_START.match(first)):
        return False
    if nested or not p.LEAD_START.match(lines[k]):
        return True
    return _attribution_end(lines, k, nested=True) < 0


def _quote_follows(lines: list[str], i: int) -> bool:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i < len(lines) and _is_quote(lines[i])


def _header_block(lines: list[str], i: int) -> bool:
    """Whether an Outlook-style header block ("From: ... Sent: ...") starts at line i."""
    if not p.HEADER_ANY.match(lines[i]) or _is_quote(lines[i]):
        return False
    fields = 0
    has_key = False
    for k in range(i, min(i + _HEADER_WINDOW, len(lines))):
        if p.HEADER_ANY.match(lines[k]):
            fields += 1
            has_key = has_key or bool(p.HEADER_KEY.match(lines[k]))
    return fields >= 2 and (has_key or fields >= 3)


def _boundary_at(lines: list[str], i: int) -> _Boundary | None:
    line = lines[i]
    if len(line) > _MAX_LINE:
        return None
    if p.FORWARD_MARKER.match(line):
        return _Boundary(i, i + 1, forward=True)
    if p.ORIGINAL_MESSAGE.match(line):
        return _Boundary(i, i + 1, forward=False)
    end = _attribution_end(lines, i)
    if end > 0:
        return _Boundary(i, end, forward=False)
    if _header_block(lines, i):
        return _Boundary(i, i, forward=False)
    if p.LABELLED_RULE.match(line) and i + 1 < len(lines) and _header_block(lines, i + 1):
        return _Boundary(i, i + 1, forward=False)
    return None


def _extend_over_rule(lines: list[str], start: int) -> int:
    """Include the rule line ("____", "-----") that Outlook draws above a header block."""
    k = start - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k >= 0 and p.RULE_LINE.match(lines[k]) and not p.SIG_DELIMITER.match(lines[k]):
        return k
    return start


def _quote_block_end(lines: list[str], i: int) -> int:
    """Index after the quoted block (with its blank lines) starting at or after line i."""
    end = i
    k = i
    while k < len(lines):
        if _is_quote(lines[k]):
            end = k + 1
        elif lines[k].strip() and not (k + 1 < len(lines) and _is_quote(lines[k + 1])):
            break
        # A lone unquoted line between quoted ones is a quote a client wrapped badly.
        k += 1
    return end


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
        k += 1
    return k


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


def _split_inline_attributions(lines: list[str]) -> list[str]:
    """Put an attribution that shares a line with the reply on its own line."""
    out: list[str] = []
    for i, line in enumerate(lines):
        match = p.INLINE_LEAD.search(line) if len(line) < _MAX_LINE else None
        if match and not _is_quote(line) and _quote_follows(lines, i + 1):
            tail = line[match.end() :]
            if p.ATTRIBUTION.match(tail) and p.ATTRIBUTION_EVIDENCE.search(tail):
                out.extend([line[: match.start()].rstrip(" -"), tail])
                continue
        out.append(line)
    return out


def split_text(text: str) -> ReplySplit:
    """Split a plain-text body into visible reply, quoted history, signature and forward."""
    lines = _split_inline_attributions(_lines(text))
    visible: list[str] = []
    quoted: list[str] = []
    held = -1  # lines before the first attribution or header block: the sender's own
    i = 0
    while i < len(lines):
        boundary = _boundary_at(lines, i)
        if boundary is None:
            visible.append(lines[i])
            i += 1
            continue
        if held < 0:
            held = len(visible)
        if boundary.forward:
            return _split_forward(lines, visible, boundary)
        if boundary.start != boundary.end and _quote_follows(lines, boundary.end):
            # "On ... wrote:" over a ">" block: set the block aside, keep reading, since
            # an answer may follow it (bottom posting, inline replies).
            end = _quote_block_end(lines, boundary.end)
            # The blank lines after the block go with it: the text before it keeps
            # its own spacing to what follows.
            while end < len(lines) and not lines[end].strip():
                end += 1
            quoted.extend(lines[i:end])
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
    texts = [k for k, line in enumerate(lines) if line.strip() and not _is_quote(line)]
    last_text = max(texts, default=-1)
    if texts and texts[0] < held:
        # Some text of the sender's own precedes the held quotes: they stay with it.
        last_text = max([last_text, *(k for k in range(min(held, len(lines))) if lines[k].strip())])
    if last_text >= 0:
        tail = lines[last_text + 1 :]
        if any(_is_quote(line) for line in tail):
            return lines[: last_text + 1], tail
    return lines, []


def ends_with_boundary(text: str) -> bool:
    """Whether the last lines of text are an attribution or header block (HTML helper)."""
    lines = [line for line in _lines(text) if line.strip()][-_HEADER_WINDOW:]
    probe = [*lines, ">"]  # the quote that the caller found right after text
    return any(_boundary_at(probe, i) is not None for i in range(len(lines)))
