"""Header lookup and decoding shared by every message source.

Sources hand over raw header values (Gmail JSON headers, MIME raw_items) so that one
set of rules decodes RFC 2047 words, addresses, message ids and dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime

from connectors.mail.types import Address

_MSG_ID = re.compile(r"<([^<>\s]+)>")
_SURROGATES = re.compile(r"[\udc80-\udcff]")


def _clean(value: str) -> str:
    """Unfold and repair raw 8-bit header bytes the stdlib parser left as surrogates."""
    if _SURROGATES.search(value):
        raw = value.encode("ascii", "surrogateescape")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("latin-1")
    return value.replace("\r", "").replace("\n", "")


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


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words; on a broken encoding keep the raw text."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return value


def parse_addresses(values: Iterable[str]) -> tuple[Address, ...]:
    """Split address headers first, then decode names (an encoded name may hide a comma)."""
    result: list[Address] = []
    for name, addr in getaddresses(list(values)):
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
