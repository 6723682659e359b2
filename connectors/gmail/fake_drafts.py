"""What the Gmail fake checks and keeps for drafts.create (pure helpers, no state).

Gmail keeps a draft as a message labelled DRAFT and puts it in the threadId it was
given only when the reply names a message of that thread in In-Reply-To / References
and its subject matches the thread's (a "Re:" prefix is fine); otherwise the draft
starts a thread of its own. An unknown threadId is a 404.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from connectors.gmail.fake_resources import StoredMessage, raw_header_pairs
from connectors.mail.headers import HeaderMap, decode_words, parse_message_id, parse_references
from connectors.mail.threading import normalize_subject

# Scopes that may create drafts (users.drafts.create's authorization section).
COMPOSE_SCOPES = frozenset(
    {
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.compose",
    }
)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")  # a field name (printable, no colon) then ":"


@dataclass(frozen=True)
class StoredDraft:
    """A draft as tests read it back: Gmail's draft id and the DRAFT-labelled message."""

    id: str
    message: StoredMessage

    @property
    def raw(self) -> bytes:
        return self.message.raw

    @property
    def thread_id(self) -> str:
        return self.message.thread_id


def decode_raw(value: str) -> bytes | None:
    """The bytes of a base64url "raw" (padded or not); None when it is not base64url."""
    if not value or not _BASE64URL.fullmatch(value):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def well_formed(raw: bytes) -> bool:
    """Whether raw starts with a header block of "Name: value" lines and continuations."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    return all(_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") for line in lines)


def with_message_id(raw: bytes) -> bytes:
    """raw with a Message-ID, as Gmail gives a draft that came without one."""
    if HeaderMap(raw_header_pairs(raw)).get("message-id"):
        return raw
    token = secrets.token_urlsafe(30).replace("-", "A").replace("_", "B")
    return f"Message-ID: <CA{token}@mail.gmail.com>\r\n".encode() + raw


def subject_of(raw: bytes) -> str:
    return decode_words(HeaderMap(raw_header_pairs(raw)).get("subject") or "")


def joins_thread(raw: bytes, members: Iterable[StoredMessage]) -> bool:
    """Gmail's rule: the reply names a message of the thread, and the subjects match."""
    headers = HeaderMap(raw_header_pairs(raw))
    named = set(parse_references(" ".join(headers.get_all("references"))))
    parent = parse_message_id(headers.get("in-reply-to"))
    if parent:
        named.add(parent)
    subject = normalize_subject(subject_of(raw))
    listed = list(members)
    return any(m.rfc_message_id in named for m in listed) and any(
        normalize_subject(subject_of(m.raw)) == subject for m in listed
    )
