"""HTML reply splitting on the DOM (selectolax/lexbor)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from connectors.mail.quotes.result import ReplySplit
from connectors.mail.quotes.text import split_text


def split_html(html: str) -> ReplySplit:
    """Split an HTML body; returns text parts."""
    body = LexborHTMLParser(html).body
    return split_text("" if body is None else str(body.text(separator="\n")))
