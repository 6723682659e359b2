"""Choose the body text and list the attachments of a source-neutral part tree.

Gmail JSON and MIME both become this small tree first, so the rules for picking
text out of multipart/alternative, mixed and related live in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from connectors.mail.html import html_to_text_checked
from connectors.mail.rtf import rtf_to_plain
from connectors.mail.types import AttachmentInfo

# Machine-readable report parts: neither readable text nor attachments a user sent.
_REPORT_TYPES = frozenset(
    {"message/delivery-status", "message/disposition-notification", "text/rfc822-headers"}
)


@dataclass(frozen=True)
class Part:
    content_type: str  # lower-cased type/subtype
    filename: str = ""
    disposition: str = ""  # "attachment", "inline" or ""
    content_id: str | None = None
    size: int = 0
    text: str | None = None  # decoded content of text/* leaves, None when not inline
    children: tuple[Part, ...] = ()
    sha256: str | None = None
    loader: Callable[[], Iterator[bytes]] | None = field(default=None, compare=False, repr=False)
    provider_attachment_id: str | None = None
    # The parsed tree of an attached message (forward, bounce): text when nothing else has.
    embedded: Part | None = None

    @property
    def is_multipart(self) -> bool:
        return self.content_type.startswith("multipart/")

    @property
    def is_attachment(self) -> bool:
        if self.is_multipart or self.content_type in _REPORT_TYPES:
            return False
        if self.disposition == "attachment" or self.filename:
            return True
        return not self.content_type.startswith("text/")


@dataclass
class Body:
    text: str = ""
    html: str = ""  # the first HTML body, raw (the caller sanitizes it)
    text_from_html: str | None = None  # the HTML that alone produced `text`, for quote rules
    attachments: list[AttachmentInfo] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Text:
    text: str
    plain: bool
    html: str | None = None  # the source when this text is one converted HTML leaf


def _walk_metadata(part: Part, body: Body) -> None:
    body.content_types.append(part.content_type)
    if part.is_attachment:
        body.attachments.append(
            AttachmentInfo(
                filename=part.filename or "unnamed",
                content_type=part.content_type,
                size=part.size,
                content_id=part.content_id,
                inline=part.disposition == "inline",
                sha256=part.sha256,
                provider_attachment_id=part.provider_attachment_id,
                loader=part.loader,
            )
        )
    elif part.content_type == "text/html" and part.text and not body.html:
        body.html = part.text
    for child in part.children:
        _walk_metadata(child, body)
    if part.embedded is not None:
        body.content_types.extend(_content_types(part.embedded))


def _content_types(part: Part) -> list[str]:
    found = [part.content_type]
    for child in part.children:
        found.extend(_content_types(child))
    return found


def _leaf_text(part: Part, body: Body) -> _Text | None:
    if part.is_attachment or part.text is None:
        return None
    if part.content_type == "text/plain":
        return _Text(part.text, True)
    if part.content_type == "text/html":
        text, defect = html_to_text_checked(part.text)
        if defect:
            body.defects.append(defect)
        return _Text(text, False, part.text)
    if part.content_type == "text/rtf":
        text, defect = rtf_to_plain(part.text)
        if defect:
            body.defects.append(defect)
        return _Text(text, False)
    return None


def _text_of(part: Part, body: Body) -> _Text | None:
    if not part.is_multipart:
        return _leaf_text(part, body)
    if part.content_type == "multipart/alternative":
        # The plain alternative is the sender's own text; HTML only when it is missing.
        # Plain leaves are tried first so HTML is converted only when it is needed.
        ordered = sorted(part.children, key=lambda c: c.content_type != "text/plain")
        fallback: _Text | None = None
        for child in ordered:
            found = _text_of(child, body)
            if found is None or not found.text.strip():
                continue
            if found.plain:
                return found
            fallback = fallback or found
        return fallback
    texts = [t for child in part.children if (t := _text_of(child, body)) and t.text.strip()]
    if not texts:
        return None
    if len(texts) == 1:
        return texts[0]
    return _Text("\n\n".join(t.text for t in texts), all(t.plain for t in texts))


def _embedded_text(part: Part, body: Body) -> _Text | None:
    if part.embedded is not None:
        return _text_of(part.embedded, body)
    for child in part.children:
        if found := _embedded_text(child, body):
            return found
    return None


def extract_body(root: Part | None) -> Body:
    body = Body()
    if root is None:
        return body
    _walk_metadata(root, body)
    chosen = _text_of(root, body) or _embedded_text(root, body)
    if chosen:
        text = chosen.text.replace("\r\n", "\n").replace("\r", "\n")
        body.text = text.strip()
        body.text_from_html = chosen.html
    return body
