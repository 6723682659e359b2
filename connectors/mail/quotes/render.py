"""A small DOM-to-text renderer that marks blockquote lines with "> ".

The text splitter then treats HTML quotes exactly like plain-text ones (interleaved
answers stay, trailing quotes go). Lines follow what a mail client shows: a block or a
<br> ends a line, a paragraph (and a change of quote depth) leaves a blank line, a <pre>
keeps its own lines. Iterative, so deeply nested HTML cannot overflow the stack.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

_BLOCK = frozenset(
    {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
    | {"blockquote", "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer"}
    | {"address", "center", "form", "fieldset", "tbody", "thead"}
)
# Blocks a browser sets apart with a margin: a blank line before and after.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre"})
_QUOTES = frozenset({"blockquote"})
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_NBSP = "\xa0"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.depth = 0
        self.pre = 0  # inside how many <pre>: text keeps its spaces and line breaks

    def text(self, value: str) -> None:
        if not self.pre:
            self.current.append(value)
            return
        first, *rest = value.split("\n")
        self.current.append(first)
        for part in rest:
            self.break_line()
            self.current.append(part)

    def break_line(self) -> None:
        """End the current line, even an empty one (a <br>, a line of a <pre>)."""
        joined = "".join(self.current)
        line = joined.replace(_NBSP, " ").rstrip() if self.pre else _SPACES.sub(" ", joined)
        if self.pre and not self.depth and line.lstrip().startswith(">"):
            # The sender's "> npm install" in a <pre> is a shell prompt, not a quote.
            line = PRE_GUARD + line
        self._emit(line if self.pre else line.strip())
        self.current = []

    def block_edge(self) -> None:
        """End the current line if it holds anything: blocks do not make blank lines,
        except Word's empty paragraph ("<p>&nbsp;</p>"), which is its blank line."""
        joined = "".join(self.current)
        if joined.strip() or _NBSP in joined:
            self.break_line()
        self.current = []

    def gap(self) -> None:
        """A blank line, unless one (or nothing) is there already."""
        if self.lines and self.lines[-1][1]:
            self.lines.append((self.depth, ""))

    def _emit(self, line: str) -> None:
        if line and self.lines and self.lines[-1][1] and self.lines[-1][0] != self.depth:
            # A quote starts or ends here: a block of its own, as in plain-text mail.
            self.lines.append((min(self.lines[-1][0], self.depth), ""))
        self.lines.append((self.depth, line))

    def render(self) -> str:
        self.block_edge()
        return "\n".join(("> " * depth + line).rstrip() for depth, line in self.lines)


# Put before a ">" that opens a line of the sender's <pre>, so that the text splitter
# does not read it as a quote; split_html takes it out again.
PRE_GUARD = "\ue000"

# Set on a blockquote that holds the sender's own content (see html.py): not a quote.
CONTENT_ATTR = "data-inbox-hub-cited"


def _is_paragraph(tag: str, attributes: dict[str, str | None]) -> bool:
    # Word's paragraphs ("MsoNormal") have no margin: it writes empty ones instead.
    return tag in _PARAGRAPHS and not (attributes.get("class") or "").startswith("Mso")


def render(root: LexborNode, quote_class: str = "gmail_quote") -> str:
    """Text of root, one line per block, blockquote (and quote_class) lines prefixed."""
    writer = _Writer()
    # An entering node carries None; a leaving one the facts its entry computed
    # (block, paragraph, quote), so that they are not read from its attributes twice.
    stack: list[tuple[LexborNode, tuple[bool, bool, bool] | None]] = [(root, None)]
    while stack:
        node, left = stack.pop()
        tag = node.tag or ""
        if left is not None:
            block, paragraph, quote = left
            if block:
                writer.block_edge()
            if paragraph:
                writer.gap()
            if quote:
                writer.depth -= 1
            if tag == "pre":
                writer.pre -= 1
            continue
        if tag == "-text":
            writer.text(node.text_content or "")
            continue
        if tag == "br":
            writer.break_line()
            continue
        attributes = node.attributes
        quote = (
            tag in _QUOTES or quote_class in (attributes.get("class") or "").split()
        ) and CONTENT_ATTR not in attributes
        block = tag in _BLOCK or quote
        paragraph = _is_paragraph(tag, attributes)
        if block:
            writer.block_edge()
        if paragraph:
            writer.gap()
        if quote:
            writer.depth += 1
        if tag == "pre":
            writer.pre += 1
        stack.append((node, (block, paragraph, quote)))
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, None) for c in reversed(children))
    return writer.render()
