"""HTML mail bodies to readable plain text, and to HTML that is safe to show.

Text: inscriptis (Apache-2.0) keeps the layout of lists, tables and links. It parses
with libxml2, which silently drops everything below a nesting depth of 256; lexbor
(selectolax) has no such limit, so its flat text is the yardstick and the fallback.
"""

from __future__ import annotations

import re

import nh3
from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from lxml.etree import ParserError  # type: ignore[import-untyped]
from lxml.html import document_fromstring  # type: ignore[import-untyped]
from selectolax.lexbor import LexborHTMLParser

_BLANK_RUNS = re.compile(r"\n{3,}")
_NON_SPACE = re.compile(r"\S")
# A link whose text is its own target says the same thing twice.
_SELF_LINKS = re.compile(r"\[([^\]\n]+)\]\((?:mailto:)?\1/?\)")
# Image-only links have no text: the bare target is noise in a summary.
_EMPTY_LINKS = re.compile(r"\[\s*\]\([^)\s]*\)")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_INVISIBLE = "head, title, script, style, template, noscript"
# Tags whose removal keeps the reading order but flattens absurd nesting.
_FLATTEN = ["font", "span", "b", "i", "u", "em", "strong", "small", "big", "center", "div"]
# Share of the lexbor text below which the layout converter is assumed to have cut.
_TRUNCATION_RATIO = 0.8

_CONFIG = ParserConfig(css=CSS_PROFILES["strict"].copy(), display_links=True)


def _inscriptis(html: str) -> str:
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return ""
    try:
        tree = document_fromstring(html)
    except (ParserError, ValueError):
        return ""
    return str(Inscriptis(tree, _CONFIG).get_text())


def _lexbor_tree(html: str) -> LexborHTMLParser:
    tree = LexborHTMLParser(html)
    for node in tree.css(_INVISIBLE):
        node.decompose()
    return tree


def _flat_text(tree: LexborHTMLParser) -> str:
    root = tree.body or tree.root
    return root.text(separator="\n", strip=True) if root is not None else ""


def _count(text: str) -> int:
    return len(_NON_SPACE.findall(text))


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\r", "")
    text = _SELF_LINKS.sub(r"\1", text)
    text = _EMPTY_LINKS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    # Only blank lines go: the first line's indentation is layout (a list item).
    return _BLANK_RUNS.sub("\n\n", text).lstrip("\n").rstrip()


def html_to_text_checked(html: str) -> tuple[str, str | None]:
    """Text of an HTML body and a defect when the layout converter had to be bypassed."""
    text = _inscriptis(html)
    tree = _lexbor_tree(html)
    expected = _count(_flat_text(tree))
    if _count(text) >= expected * _TRUNCATION_RATIO:
        return _tidy(text), None
    tree.unwrap_tags(_FLATTEN)
    flattened = _inscriptis(tree.html or "")
    if _count(flattened) >= expected * _TRUNCATION_RATIO:
        return _tidy(flattened), "deeply nested html flattened"
    return _tidy(_flat_text(tree)), "html converted without layout"


def html_to_text(html: str) -> str:
    """Convert HTML to plain text, keeping links as [text](url) and never wrapping lines."""
    return html_to_text_checked(html)[0]


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Remote images are tracking pixels; inline (cid:) and embedded data images are not.
    if attribute == "src":
        lowered = value.strip().lower()
        if lowered.startswith("cid:") or lowered.startswith("data:image/"):
            return value
        return None
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid", "data"}


def sanitize_html(html: str) -> str:
    """HTML without scripts, styles, event handlers, forms, frames or remote loads."""
    if not html.strip():
        return ""
    return nh3.clean(
        html,
        url_schemes=_URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
    )
