"""A reply draft as the RFC 5322 message Gmail's drafts.create takes (base64url "raw").

Every value put in a header derives from untrusted mail (subjects, display names,
message ids) or from AI text: each is reduced to one line before the stdlib email
package sees it, addresses must parse as one addr-spec, and message ids must be one
printable token, so no value can end a header and start another (Bcc, say).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from connectors.errors import ConnectorError
from connectors.mail.threading import is_reply_subject
from connectors.mail.types import Address as MailAddress
from connectors.types import MailDraft

# SMTP line endings, folded at RFC 5322's 998 limit: at 78 columns the policy would
# RFC 2047-encode a long Message-ID in References and Gmail would not thread the reply.
# 7bit: a non-ASCII body goes quoted-printable or base64, never as raw 8-bit bytes.
_POLICY = policy.SMTP.clone(max_line_length=998, cte_type="7bit")

# Characters that would end a header line, or that have no place in one.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
# A msg-id's content: printable ASCII without angle brackets or spaces.
_MSG_ID = re.compile(r"[!-;=?-~]{1,900}")


def reply_subject(subject: str) -> str:
    """The thread's subject as a reply's: "Re: " added unless a reply prefix is there."""
    text = one_line(subject)
    if is_reply_subject(text):
        return text
    return f"Re: {text}" if text else "Re:"


def one_line(value: str) -> str:
    """value with line breaks and other controls turned to spaces, runs of spaces joined."""
    safe = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    return " ".join(_CONTROLS.sub(" ", safe).split())


def message_id(value: str | None) -> str | None:
    """A Message-ID without its angle brackets; None when it is not one token."""
    text = (value or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text if _MSG_ID.fullmatch(text) else None


def mailbox(address: MailAddress) -> Address | None:
    """The header address for one recipient; None when its address is not one addr-spec."""
    local, at, domain = address.email.strip().rpartition("@")
    if not (local and at and domain):
        return None
    try:
        # An internationalized domain goes on the wire as its IDNA (xn--) form.
        ascii_domain = domain.encode("idna").decode("ascii")
        return Address(display_name=one_line(address.name), addr_spec=f"{local}@{ascii_domain}")
    except (ValueError, UnicodeError, MessageError):
        return None


def _mailboxes(addresses: Iterable[MailAddress]) -> list[Address]:
    found: dict[str, Address] = {}
    for address in addresses:
        parsed = mailbox(address)
        if parsed is not None:
            found.setdefault(parsed.addr_spec.lower(), parsed)
    return list(found.values())


def _chain(references: Sequence[str], parent: str | None) -> list[str]:
    """The ancestors, oldest first, without duplicates, ending with the parent."""
    ids = (message_id(ref) for ref in references)
    ancestors = dict.fromkeys(ref for ref in ids if ref and ref != parent)
    return [*ancestors, parent] if parent else list(ancestors)


def reply_message(draft: MailDraft, *, sender: str, date: datetime) -> bytes:
    """The draft as RFC 5322 bytes: From sender, To/Cc, Re: subject, threading headers.

    Recipients whose address does not parse are left out (the owner reviews the draft
    before sending it); a sender that does not parse raises ConnectorError.
    """
    try:
        from_address = Address(addr_spec=sender.strip())
    except (ValueError, MessageError) as exc:
        raise ConnectorError("gmail: the account is not a mail address") from exc
    message = EmailMessage(policy=_POLICY)
    message["From"] = from_address
    to = _mailboxes(draft.to)
    if to:
        message["To"] = to
    taken = {a.addr_spec.lower() for a in to}
    cc = [a for a in _mailboxes(draft.cc) if a.addr_spec.lower() not in taken]
    if cc:
        message["Cc"] = cc
    message["Subject"] = reply_subject(draft.subject)
    message["Date"] = format_datetime(date)
    parent = message_id(draft.rfc_message_id)
    if parent:
        message["In-Reply-To"] = f"<{parent}>"
    chain = _chain(draft.references, parent)
    if chain:
        message["References"] = " ".join(f"<{ref}>" for ref in chain)
    # The library picks 7bit, quoted-printable or base64 so no body line exceeds 998.
    body = draft.body.encode("utf-8", "replace").decode("utf-8")
    message.set_content(body, subtype="plain", charset="utf-8")
    return message.as_bytes()


def raw_field(message: bytes) -> str:
    """Gmail's "raw": base64url of the message bytes."""
    return base64.urlsafe_b64encode(message).decode("ascii")
