"""Header and structure hints that a message was sent by a machine or to a list."""

from __future__ import annotations

import re
from collections.abc import Iterable

from connectors.mail.headers import HeaderMap
from connectors.mail.types import Address

_NOREPLY_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?)(?:[-+_.].*)?$"
)
_PRECEDENCE = ("bulk", "list", "junk")


def auto_signals(
    headers: HeaderMap, sender: Address | None, content_types: Iterable[str]
) -> tuple[str, ...]:
    """Tokens such as "list-unsubscribe", "precedence:bulk", "calendar", "bounce"."""
    found: list[str] = []
    if "list-unsubscribe" in headers:
        found.append("list-unsubscribe")
    if "list-id" in headers:
        found.append("list-id")
    auto_submitted = (headers.get("auto-submitted") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        found.append("auto-submitted")
    precedence = (headers.get("precedence") or "").strip().lower()
    if precedence in _PRECEDENCE:
        found.append(f"precedence:{precedence}")
    types = {ctype.lower() for ctype in content_types}
    if "text/calendar" in types or "application/ics" in types:
        found.append("calendar")
    # A DSN is multipart/report with a delivery-status part (RFC 3464); some MTAs send
    # the status part alone, or only a from-the-daemon text.
    if "message/delivery-status" in types or "message/global-delivery-status" in types:
        found.append("bounce")
    if "message/disposition-notification" in types:
        found.append("read-receipt")
    if any(name in headers for name in ("x-autoreply", "x-autorespond")) or (
        auto_submitted == "auto-replied"
    ):
        found.append("auto-reply")
    if sender and sender.email and _NOREPLY_LOCAL.match(sender.email.split("@", 1)[0]):
        found.append("noreply-sender")
    return tuple(found)
