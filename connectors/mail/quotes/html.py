"""HTML reply splitting on the DOM (selectolax/lexbor: no depth limit, fast).

Quote containers are found by the markup mail clients write, removed from the tree,
and the rest is handed to the plain-text splitter, which still catches text markers
("On ... wrote:", Outlook header blocks written as paragraphs) and the signature. A
signature the client marks as one is taken from the tree before that.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from connectors.mail.quotes.render import CONTENT_ATTR, PRE_GUARD, render
from connectors.mail.quotes.result import ReplySplit
from connectors.mail.quotes.text import ends_with_boundary, split_text

# Markers after which everything is older mail (Outlook, Windows Mail, hr separators).
_CUT_SELECTORS = (
    "#divRplyFwdMsg",
    "#OLK_SRC_BODY_SECTION",
    "#appendonsend",
    "#mail-editor-reference-message-container",
    "div[style*='border-top']",
    "hr",
)
_SKIP_TAGS = "script, style, head, title"
# Gmail writes reply history as div.gmail_quote (attribution + blockquote.gmail_quote);
# its composer's "Quote" button writes a bare blockquote.gmail_quote.
_GMAIL_CITE = "blockquote.gmail_quote"
_MAX_PRECEDING = 20  # nodes looked at for an attribution above a quote
# The signature a client adds and marks (Gmail, Thunderbird, Outlook on the web, HubSpot).
_SIGNATURE_SELECTOR = (
    "div.gmail_signature, .gmail_signature_prefix, .moz-signature, div#Signature, "
    "div.hs_signature, [data-hs-signature='true']"
)


def _text(node: LexborNode | None) -> str:
    return "" if node is None else str(node.text(separator="\n", strip=False))


def _following(node: LexborNode, stop: LexborNode) -> list[LexborNode]:
    """The node, its later siblings and the later siblings of its ancestors up to stop."""
    out = [node]
    current: LexborNode | None = node
    # Nodes compare by identity (mem_id): "!=" compares their serialized HTML, which
    # made this walk quadratic in the nesting depth.
    while current is not None and current.mem_id != stop.mem_id:
        sibling = current.next
        while sibling is not None:
            out.append(sibling)
            sibling = sibling.next
        current = current.parent
    return out


def _is_border_separator(node: LexborNode) -> bool:
    # Outlook draws "border-top: solid" above its From/Sent block; a plain styled box
    # with a top border and no header text is layout, not a separator.
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    if "border-top:solid" not in style and "border-top:1px" not in style:
        return False
    return ":" in _text(node)[:400]


def _first_cut(body: LexborNode) -> LexborNode | None:
    for selector in _CUT_SELECTORS:
        for node in body.css(selector):
            if selector.startswith("div[style") and not _is_border_separator(node):
                continue
            return node
    return None


def _written_before(node: LexborNode, stop: LexborNode) -> bool:
    """Whether any text precedes node in the document (its earlier siblings, then those
    of its ancestors up to stop). Each node is read once: linear."""
    current: LexborNode | None = node
    while current is not None and current.mem_id != stop.mem_id:
        sibling = current.prev
        while sibling is not None:
            if _text(sibling).strip():
                return True
            sibling = sibling.prev
        current = current.parent
    return False


def _in_reply_container(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "blockquote":
            return True
        if parent.tag == "div" and "gmail_quote" in (parent.attributes.get("class") or "").split():
            return True
        parent = parent.parent
    return False


def _text_before(node: LexborNode) -> str:
    """Text of the nearest non-empty content above node (its earlier siblings, then up)."""
    current: LexborNode | None = node
    seen = 0
    while current is not None and seen < _MAX_PRECEDING:
        sibling = current.prev
        while sibling is not None and seen < _MAX_PRECEDING:
            seen += 1
            text = _text(sibling)
            if text.strip():
                return text
            sibling = sibling.prev
        current = current.parent
        if current is not None and current.tag == "body":
            break
    return ""


def _mark_composer_quotes(body: LexborNode) -> None:
    """A blockquote.gmail_quote outside Gmail's reply container, under no attribution or
    header block, is the composer's "Quote" formatting: the sender's content."""
    for node in body.css(_GMAIL_CITE):
        if _in_reply_container(node) or ends_with_boundary(_text_before(node)):
            continue
        node.attrs[CONTENT_ATTR] = "1"


def _take_signatures(body: LexborNode) -> list[str]:
    """Remove the signatures the sender's client marked and return their text. Those in
    quoted history are the history's."""
    nodes = [
        node
        for node in body.css(_SIGNATURE_SELECTOR)
        if not (_in_reply_container(node) or _inside_signature(node))
    ]
    texts = [render(node).strip("\n") for node in nodes]
    for node in nodes:
        node.decompose()
    return [text for text in texts if text.strip()]


def _inside_signature(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.tag != "body":
        if parent.css_matches(_SIGNATURE_SELECTOR):
            return True
        parent = parent.parent
    return False


def _open_answered_containers(body: LexborNode) -> list[str]:
    """Gmail keeps an inline reply inside its quote container: answers between the
    blockquote.gmail_quote elements. Such a container is the sender's content; only its
    attribution (div.gmail_attr) is history, returned as text and removed."""
    removed = []
    for container in body.css("div.gmail_quote"):
        if _in_reply_container(container) or not _answers_a_quote(container):
            continue
        container.attrs[CONTENT_ATTR] = "1"
        for attribution in container.css("div.gmail_attr"):
            removed.append(_text(attribution))
            attribution.decompose()
    return removed


def _answers_a_quote(container: LexborNode) -> bool:
    """Whether some text among container's children follows one of its blockquotes."""
    quoted = False
    child = container.child
    while child is not None:
        if child.tag == "blockquote":
            quoted = True
        elif quoted and _text(child).strip():
            return True
        child = child.next
    return False


def split_html(html: str) -> ReplySplit:
    """Split an HTML body into text parts: visible, quoted, signature and forwarded."""
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return ReplySplit("")
    for node in body.css(_SKIP_TAGS):
        node.decompose()
    _mark_composer_quotes(body)
    quoted = _open_answered_containers(body)
    cut = _first_cut(body)
    bare = cut is not None and not _written_before(cut, body)
    if cut is not None and not bare:
        removed = _following(cut, body)
        quoted.extend(_text(node) for node in removed)
        for node in removed:
            node.decompose()
    # Nothing of the sender's above the separator: a bare forward (Outlook draws the
    # same for replies), or a body that opens with a rule. The text splitter tells which
    # from the header block under it and keeps the message either way; a signature in
    # it is the forwarded message's, not the sender's.
    signatures = [] if bare else _take_signatures(body)
    parts = split_text(render(body))
    quoted_text = "\n".join(part.strip("\n") for part in [parts.quoted, *quoted] if part.strip())
    signature = "\n".join([*signatures, parts.signature]).strip("\n")
    return ReplySplit(
        _unquote(parts.visible),
        quoted_text.replace(PRE_GUARD, ""),
        signature.replace(PRE_GUARD, ""),
        parts.forwarded.replace(PRE_GUARD, ""),
    )


def _unquote(text: str) -> str:
    # Quotes left visible (answered inline, or the whole body) read better unmarked; a
    # guarded ">" is the sender's own.
    return "\n".join(
        line.lstrip("> ") if line.startswith(">") else line.replace(PRE_GUARD, "")
        for line in text.split("\n")
    )
