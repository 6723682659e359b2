"""Set quoted history, forwards and signatures apart from the new text of a reply."""

from __future__ import annotations

from connectors.mail.quotes.html import split_html
from connectors.mail.quotes.result import ReplySplit
from connectors.mail.quotes.text import split_text


def split_reply(text: str) -> tuple[str, str]:
    """Return (visible, set aside): the new content, and quotes, signature and forward."""
    parts = split_text(text)
    rest = "\n\n".join(x for x in (parts.signature, parts.quoted, parts.forwarded) if x)
    return parts.visible.strip(), rest.strip()


__all__ = ["ReplySplit", "split_html", "split_reply", "split_text"]
