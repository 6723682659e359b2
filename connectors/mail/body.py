"""Choose the body text and list the attachments of a source-neutral part tree.

Gmail JSON and MIME both become this small tree first, so the rules for picking
text out of multipart/alternative, mixed and related live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.mail.html import html_to_text
from connectors.mail.types import AttachmentInfo


@dataclass(frozen=True)
class Part:
    content_type: str  # lower-cased type/subtype
    filename: str = ""
    disposition: str = ""  # "attachment", "inline" or ""
    content_id: str | None = None
    size: int = 0
    text: str | None = None  # decoded content of text/* leaves, None when not inline
    children: tuple[Part, ...] = ()

    @property
    def is_multipart(self) -> bool:
        return self.content_type.startswith("multipart/")

    @property
    def is_attachment(self) -> bool:
        if self.is_multipart:
            return False
        if self.disposition == "attachment" or self.filename:
            return True
        return not self.content_type.startswith("text/")


@dataclass
class Body:
    text: str = ""
    attachments: list[AttachmentInfo] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)


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
            )
        )
    for child in part.children:
        _walk_metadata(child, body)


def _leaf_text(part: Part) -> tuple[str, bool] | None:
    """(text, is_plain) for a readable leaf, None for anything else."""
    if part.is_attachment or part.text is None:
        return None
    if part.content_type == "text/plain":
        return part.text, True
    if part.content_type == "text/html":
        return html_to_text(part.text), False
    return None


def _text_of(part: Part) -> tuple[str, bool] | None:
    if not part.is_multipart:
        return _leaf_text(part)
    found = [text for child in part.children if (text := _text_of(child)) and text[0].strip()]
    if not found:
        return None
    if part.content_type == "multipart/alternative":
        # The plain alternative is the sender's own text; HTML only when it is missing.
        return next((text for text in found if text[1]), found[-1])
    return "\n\n".join(text for text, _ in found), all(plain for _, plain in found)


def extract_body(root: Part | None) -> Body:
    body = Body()
    if root is None:
        return body
    _walk_metadata(root, body)
    chosen = _text_of(root)
    if chosen:
        text = chosen[0].replace("\r\n", "\n").replace("\r", "\n")
        body.text = text.strip()
    return body
