"""Read a users.messages resource in format=raw without holding the message twice.

The resource is JSON whose "raw" member is the whole RFC 822 message in base64url: a
25 MB message arrives as 33 MB of JSON. Parsing that with json.loads keeps the body,
the decoded str, its cleaned copies and the decoded bytes alive together (about five
copies). Here the response is read once, in chunks: the small members are collected
and parsed as JSON, and the "raw" value is decoded piece by piece as it streams past,
so the decoded message is the only full-size copy.
"""

from __future__ import annotations

import binascii
import io
import json
import re
from collections.abc import Iterable
from typing import Any

_RAW_KEY = re.compile(rb'"raw"\s*:\s*"')
_KEY_LOOKBACK = 16  # a key split across two chunks is still found
# base64url to standard base64; padding, whitespace and JSON escapes are dropped.
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_DROPPED = b"=\\\r\n\t "


class NotARawResource(ValueError):
    """The body is not a JSON object (the caller reports the provider error)."""


def _is_top_level(prefix: bytes) -> bool:
    """Whether the end of `prefix` sits directly inside the outermost JSON object."""
    depth, in_string, escaped = 0, False, False
    for byte in prefix:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"{[":
            depth += 1
        elif byte in b"}]":
            depth -= 1
    return depth == 1 and not in_string


class _Base64Sink:
    """Decodes base64url fed in arbitrary pieces into one growing buffer."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._carry = b""
        self.broken = False

    def feed(self, data: bytes) -> None:
        data = self._carry + data.translate(_TO_STANDARD, _DROPPED)
        usable = len(data) - len(data) % 4
        self._carry = data[usable:]
        self._write(data[:usable])

    def _write(self, quanta: bytes) -> None:
        try:
            self._out.write(binascii.a2b_base64(quanta))
        except (binascii.Error, ValueError):
            self.broken = True

    def finish(self) -> bytes:
        if self._carry:
            self._write(self._carry + b"=" * (-len(self._carry) % 4))
        # getvalue hands over the buffer itself once it is trimmed: no copy.
        return self._out.getvalue()


def split_raw_resource(chunks: Iterable[bytes]) -> tuple[dict[str, Any], bytes | None]:
    """The resource's members without "raw", and the decoded "raw" bytes.

    The raw bytes are None when the member is missing or is not base64.
    """
    meta = bytearray()
    sink: _Base64Sink | None = None
    in_raw = False
    searched = 0
    for chunk in chunks:
        pending = chunk
        while pending:
            if in_raw:
                closing = pending.find(b'"')
                if closing < 0:
                    assert sink is not None
                    sink.feed(pending)
                    break
                assert sink is not None
                sink.feed(pending[:closing])
                meta += b'""'
                in_raw = False
                pending = pending[closing + 1 :]
                continue
            meta += pending
            pending = b""
            if sink is not None:
                continue  # raw already read; the rest is small members
            found = _find_raw_key(meta, searched)
            searched = max(0, len(meta) - _KEY_LOOKBACK)
            if found is not None:
                pending = bytes(meta[found:])
                del meta[found - 1 :]  # keep `"raw":`; an empty value is added at its end
                sink, in_raw = _Base64Sink(), True
    return _members(meta, sink)


def _find_raw_key(meta: bytearray, start: int) -> int | None:
    """The offset just past the opening quote of a top-level "raw" value, if present."""
    for match in _RAW_KEY.finditer(meta, start):
        if _is_top_level(bytes(meta[: match.start()])):
            return match.end()
    return None


def _members(meta: bytearray, sink: _Base64Sink | None) -> tuple[dict[str, Any], bytes | None]:
    try:
        members: Any = json.loads(bytes(meta))
    except ValueError as exc:
        raise NotARawResource("not a JSON object") from exc
    if not isinstance(members, dict):
        raise NotARawResource("not a JSON object")
    members.pop("raw", None)
    if sink is None:
        return members, None
    raw = sink.finish()
    return members, None if sink.broken else raw
