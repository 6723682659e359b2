"""Plain RFC 822 messages composed by the mailbox fakes (Gmail, Graph)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from connectors.mail.headers import parse_message_id

# SMTP line endings, but folded at RFC 5322's 998 limit: at 78 columns the policy would
# RFC 2047-encode a long Message-ID (Exchange's are long) and break threading.
_POLICY = policy.SMTP.clone(max_line_length=998)


def compose_message(
    to: str,
    sender: str,
    subject: str,
    text: str,
    *,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
) -> bytes:
    """A text/plain message; a reply names its parent and the parent's references."""
    message = EmailMessage(policy=_POLICY)
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "mail.example.net"
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=domain)
    parent_id = parse_message_id(in_reply_to)
    if parent_id:
        message["In-Reply-To"] = f"<{parent_id}>"
        chain = dict.fromkeys((*references, parent_id))
        message["References"] = " ".join(f"<{ref}>" for ref in chain)
    message.set_content(text)
    return message.as_bytes()
