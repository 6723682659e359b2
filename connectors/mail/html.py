"""HTML mail bodies to readable plain text."""

from __future__ import annotations

import re

import html2text

_BLANK_RUNS = re.compile(r"\n{3,}")
# html2text escapes Markdown markers at line starts; mail text is not Markdown.
_LINE_START_ESCAPES = re.compile(r"^(\s*)\\([-+*#.])", re.MULTILINE)
# A link whose text is its own target says the same thing twice.
_SELF_LINKS = re.compile(r"\[([^\]\n]+)\]\((?:mailto:)?\1\)")


def html_to_text(html: str) -> str:
    """Convert HTML to plain text, keeping links as [text](url) and never wrapping lines."""
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_links = False
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.unicode_snob = True
    text: str = converter.handle(html)
    text = text.replace("\xa0", " ")
    text = _LINE_START_ESCAPES.sub(r"\1\2", text)
    text = _SELF_LINKS.sub(r"\1", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()
