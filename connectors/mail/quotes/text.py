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


def _attribution_end(lines: list[str], i: int) -> int:
    """Index after an attribution starting at line i, or -1 when there is none."""
    if _is_quote(lines[i]) or not lines[i].strip() or len(lines[i]) > _MAX_LINE:
        return -1
    joined = ""
    for k in range(i, min(i + _MAX_ATTRIBUTION_LINES, len(lines))):
        if k > i and (not lines[k].strip() or _is_quote(lines[k])):
            break
        joined = f"{joined} {lines[k].strip()}" if joined else lines[k].strip()
        if p.ATTRIBUTION.match(joined) and p.ATTRIBUTION_EVIDENCE.search(joined):
            return k + 1
        if p.DASHED_ATTRIBUTION.match(joined):
            return k + 1
        if p.DATED_ADDRESS_ATTRIBUTION.match(joined):
            return k + 1
        if p.LOOSE_ATTRIBUTION.match(joined) and _quote_follows(lines, k + 1):
            return k + 1
    return -1


def _quote_follows(lines: list[str], i: int) -> bool:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i < len(lines) and _is_quote(lines[i])


def _header_block(lines: list[str], i: int) -> bool:
    """Whether an Outlook-style header block ("From: ... Sent: ...") starts at line i."""
    if not p.HEADER_ANY.match(lines[i]) or _is_quote(lines[i]):
        return False
    fields = 0
    has_from = False
    for k in range(i, min(i + _HEADER_WINDOW, len(lines))):
        if p.HEADER_ANY.match(lines[k]):
            fields += 1
            has_from = has_from or bool(p.HEADER_FROM.match(lines[k]))
    return fields >= 2 and (has_from or fields >= 3)


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
    k = boundary.end
    while k < len(lines) and not lines[k].strip():
        k += 1
    seen_header = False
    while k < len(lines):
        stripped = lines[k].lstrip("> ").strip()
        if p.HEADER_ANY.match(lines[k].lstrip("> ")):
            seen_header = True
        elif not stripped and seen_header:
            return k
        elif not seen_header:
            return k
        k += 1
    return k


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _split_forward(lines: list[str], visible: list[str], boundary: _Boundary) -> ReplySplit:
    forwarded = _join(lines[boundary.start :])
    if any(line.strip() for line in visible):
        head = split_signature(visible)
        return ReplySplit(head.text, "", head.signature, forwarded)
    body = [line[1:] if line.startswith(">") else line for line in lines]
    inner = split_text(_join(body[_forward_body(lines, boundary) :]))
    return ReplySplit(inner.visible, inner.quoted, inner.signature, forwarded)


def split_text(text: str) -> ReplySplit:
    """Split a plain-text body into visible reply, quoted history, signature and forward."""
    lines = _lines(text)
    visible: list[str] = []
    quoted: list[str] = []
    i = 0
    while i < len(lines):
        boundary = _boundary_at(lines, i)
        if boundary is None:
            visible.append(lines[i])
            i += 1
            continue
        if boundary.forward:
            return _split_forward(lines, visible, boundary)
        if not boundary.start == boundary.end and _quote_follows(lines, boundary.end):
            # "On ... wrote:" over a ">" block: set the block aside, keep reading, since
            # an answer may follow it (bottom posting, inline replies).
            end = _quote_block_end(lines, boundary.end)
            quoted.extend(lines[i:end])
            i = end
            continue
        start = _extend_over_rule(lines, boundary.start)
        drop = len(visible) - (boundary.start - start)
        quoted.extend(visible[drop:] + lines[boundary.start :])
        visible = visible[:drop]
        break
    return _finish(visible, quoted)


def _finish(visible: list[str], quoted: list[str]) -> ReplySplit:
    """Drop trailing quotes (nothing answers them), then set the signature apart."""
    body = list(visible)
    last_text = max((k for k, line in enumerate(body) if line.strip() and not _is_quote(line)), default=-1)
    if last_text >= 0:
        tail = body[last_text + 1 :]
        if any(_is_quote(line) for line in tail):
            quoted = tail + quoted
            body = body[: last_text + 1]
    head = split_signature(body)
    return ReplySplit(head.text, _join(quoted), head.signature, "")
