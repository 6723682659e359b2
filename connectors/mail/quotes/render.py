"""A small DOM-to-text renderer that marks blockquote lines with "> ".

The text splitter then treats HTML quotes exactly like plain-text ones (interleaved
answers stay, trailing quotes go). Iterative, so deeply nested HTML cannot overflow the
stack.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

_BLOCK = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
    | {"blockquote", "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer"}
    | {"address", "center", "form", "fieldset", "tbody", "thead"}
)
_QUOTES = frozenset({"blockquote"})
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")


class _Writer:
    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.depth = 0

    def text(self, value: str) -> None:
        self.current.append(value)

    def newline(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        if line or (self.lines and self.lines[-1][1]):
            self.lines.append((self.depth, line))
        self.current = []

    def render(self) -> str:
        self.newline()
        return "\n".join(("> " * depth + line).rstrip() for depth, line in self.lines)


# Set on a blockquote that holds the sender's own content (see html.py): not a quote.
CONTENT_ATTR = "data-inbox-hub-cited"


def render(root: LexborNode, quote_class: str = "gmail_quote") -> str:
    """Text of root, one line per block, blockquote (and quote_class) lines prefixed."""
    writer = _Writer()
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag or ""
        if tag == "-text":
            writer.text(node.text_content or "")
            continue
        attributes = node.attributes
        quote = (
            tag in _QUOTES or quote_class in (attributes.get("class") or "").split()
        ) and CONTENT_ATTR not in attributes
        if not entering:
            if tag in _BLOCK or quote:
                writer.newline()
            if quote:
                writer.depth -= 1
            continue
        if tag in _BLOCK or quote:
            writer.newline()
        if quote:
            writer.depth += 1
        stack.append((node, False))
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, True) for c in reversed(children))
    return writer.render()
