"""Header lookup and decoding shared by every message source.

Sources hand over raw header values (Gmail JSON headers, MIME raw_items) so that one
set of rules decodes RFC 2047 words, addresses, message ids and dates.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

from connectors.mail.charsets import decode_bytes, decode_header_bytes
from connectors.mail.encoding import b64decode_lenient
from connectors.mail.types import Address

_MSG_ID = re.compile(r"<([^<>\s]+)>")
_SURROGATES = re.compile(r"[\udc80-\udcff]")
# RFC 2047 word; the charset may carry an RFC 2231 language suffix ("utf-8*en").
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"\s+")


def repair_surrogates(value: str) -> str:
    """Raw 8-bit bytes the stdlib parser kept as surrogates, decoded by a charset guess."""
    if not _SURROGATES.search(value):
        return value
    return decode_header_bytes(value.encode("utf-8", "surrogateescape"))


def _clean(value: str) -> str:
    """Unfold and repair raw 8-bit header bytes."""
    return repair_surrogates(value).replace("\r", "").replace("\n", "")


class HeaderMap:
    """Headers in message order, looked up case-insensitively (senders vary the case)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._pairs = [(name.strip().lower(), _clean(value)) for name, value in pairs]

    def get(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self._pairs if key == wanted), None)

    def get_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self._pairs if key == wanted]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    if encoding in "bB":
        try:
            return b64decode_lenient(payload)
        except ValueError:
            return None
    try:
        return binascii.a2b_qp(payload.replace("_", " ").encode("ascii", "replace"))
    except (binascii.Error, ValueError):
        return None


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words, never raising; a broken word stays as written.

    Adjacent words in one charset are joined as bytes before decoding, because senders
    split multi-byte characters across words; whitespace between words is dropped.
    """
    if "=?" not in value:
        return value
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    pos = 0

    def flush() -> None:
        if pending:
            out.append(decode_bytes(b"".join(pending), pending_charset)[0])
            pending.clear()

    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        decoded = _word_bytes(match.group(2), match.group(3))
        if decoded is None:
            flush()
            out.append(gap + match.group(0))
        else:
            charset = match.group(1).lower()
            if gap and not (pending and _BETWEEN_WORDS.fullmatch(gap)):
                flush()
                out.append(gap)
            elif pending and charset != pending_charset:
                flush()
            pending_charset = charset
            pending.append(decoded)
        pos = match.end()
    flush()
    out.append(value[pos:])
    return "".join(out)


_BARE_ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")


def _split_addresses(values: list[str]) -> list[tuple[str, str]]:
    try:
        return getaddresses(values)
    except Exception:  # noqa: BLE001 - the stdlib recurses on nested comments; fall back
        return [("", addr) for value in values for addr in _BARE_ADDRESS.findall(value)]


def parse_addresses(values: Iterable[str]) -> tuple[Address, ...]:
    """Split address headers first, then decode names (an encoded name may hide a comma)."""
    result: list[Address] = []
    for name, addr in _split_addresses(list(values)):
        addr = addr.strip().lower()
        name = decode_words(name).strip()
        if "@" not in addr:
            addr = ""
        if name or addr:
            result.append(Address(name=name, email=addr))
    return tuple(result)


def parse_message_id(value: str | None) -> str | None:
    if not value:
        return None
    match = _MSG_ID.search(value)
    if match:
        return match.group(1)
    stripped = value.strip().strip("<>").strip()
    return stripped.split()[0] if stripped else None


def parse_references(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    found = _MSG_ID.findall(value)
    if found:
        return tuple(dict.fromkeys(found))
    return tuple(dict.fromkeys(value.split()))


def parse_date(value: str | None) -> datetime | None:
    """Parse an RFC 5322 date into aware UTC; "-0000" (no zone known) is taken as UTC."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
