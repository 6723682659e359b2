"""Reply drafts in the Graph fake: POST /messages/{id}/createReply and the Drafts folder.

A draft lives in the mailbox's Drafts folder, apart from the Inbox: the Inbox's delta
rounds and its subscriptions never see it, as with Graph. It is kept as the JSON
resource Graph answers with (GET /messages/{id} serves it too); no MIME is kept for it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from connectors.outlook.fake_resources import StoredMessage
from connectors.outlook.fake_wire import iso_z

DRAFTS_FOLDER_ID = "AQMkADQ3MGNmNzA0LWFkNjMtNGJjZS05ZmE0LTg5YmQ3NGI1YWY0ZQAuAAADx7Kq9Xw3lRbHd1o2uPz9RAQBs3c_f0LgEQ6f5fMU0T1uEAAACAQ8AAAA="  # noqa: E501
_PREVIEW_LENGTH = 255
_REPLY_PREFIX = re.compile(r"^\s*re\s*:\s*", re.IGNORECASE)


class InvalidDraft(ValueError):
    """A createReply body Graph refuses with 400; code is Graph's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class StoredDraft:
    """A reply draft as Graph renders it: everything but the ids is in `resource`."""

    id: str
    conversation_id: str
    answers: str  # the id of the message it replies to
    created: datetime
    change_key: str
    resource: dict[str, Any] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        return str(self.resource["subject"])

    @property
    def to(self) -> list[dict[str, Any]]:
        return list(self.resource["toRecipients"])

    @property
    def cc(self) -> list[dict[str, Any]]:
        return list(self.resource["ccRecipients"])

    @property
    def body(self) -> dict[str, str]:
        return dict(self.resource["body"])


@dataclass(frozen=True)
class ReplyRequest:
    """What a createReply body asks for; None recipients mean Graph's defaults."""

    comment: str
    to: list[dict[str, Any]] | None
    cc: list[dict[str, Any]] | None


def parse_reply_request(body: Any) -> ReplyRequest:
    """The JSON body of createReply (an empty body is allowed); InvalidDraft when refused."""
    if body is None:
        return ReplyRequest("", None, None)
    if not isinstance(body, dict):
        raise InvalidDraft("BadRequest", "The request body must be a JSON object.")
    comment = body.get("comment", "")
    message = body.get("message") or {}
    if not isinstance(comment, str) or not isinstance(message, dict):
        raise InvalidDraft("BadRequest", "Invalid request.")
    if "comment" in body and message.get("body") is not None:
        raise InvalidDraft(
            "ErrorInvalidRequest", "Specify either a comment or the body of the message."
        )
    return ReplyRequest(
        comment,
        _recipients(message.get("toRecipients")),
        _recipients(message.get("ccRecipients")),
    )


def _recipients(value: Any) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise InvalidDraft("BadRequest", "Recipients must be a collection.")
    recipients = []
    for item in value:
        address = item.get("emailAddress") if isinstance(item, dict) else None
        email = address.get("address") if isinstance(address, dict) else None
        name = address.get("name") if isinstance(address, dict) else None
        if not isinstance(email, str) or "@" not in email:
            raise InvalidDraft("ErrorInvalidRecipients", "At least one recipient isn't valid.")
        if name is not None and not isinstance(name, str):
            raise InvalidDraft("BadRequest", "Invalid request.")
        # Graph fills a missing display name with the address.
        recipients.append({"emailAddress": {"name": name or email, "address": email}})
    return recipients


def reply_subject(subject: str) -> str:
    """Exchange's reply subject: one "RE: " before the subject without its own prefix."""
    return f"RE: {_REPLY_PREFIX.sub('', subject, count=1)}"


def _person(recipient: dict[str, Any]) -> str:
    address = recipient["emailAddress"]
    name, email = address.get("name") or "", address.get("address") or ""
    return f"{name} <{email}>" if name and name != email else email


def _lines(text: str) -> str:
    return html.escape(text).replace("\r\n", "\n").replace("\n", "<br>\n")


def reply_html(comment: str, original: StoredMessage, properties: dict[str, Any]) -> str:
    """Graph's reply body: the comment (escaped text), then the quoted original."""
    sender = properties.get("from")
    header = [
        ("From", _person(sender) if sender else ""),
        ("Sent", original.received.strftime("%A, %B %d, %Y %I:%M %p").replace(" 0", " ")),
        ("To", "; ".join(_person(r) for r in properties.get("toRecipients", []))),
    ]
    if properties.get("ccRecipients"):
        header.append(("Cc", "; ".join(_person(r) for r in properties["ccRecipients"])))
    header.append(("Subject", str(properties.get("subject", ""))))
    quoted = "<br>\n".join(f"<b>{name}:</b> {html.escape(value)}" for name, value in header)
    return (
        '<html><head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "\n</head>\n<body>\n"
        f'<div dir="ltr">{_lines(comment)}</div>\n'
        '<hr style="display:inline-block;width:98%" tabindex="-1">\n'
        f'<div id="divRplyFwdMsg" dir="ltr">{quoted}</div>\n'
        f"<div>{_lines(original.parsed().text)}</div>\n"
        "</body>\n</html>\n"
    )


def build_draft(
    request: ReplyRequest,
    original: StoredMessage,
    *,
    owner: dict[str, Any],
    draft_id: str,
    change_key: str,
    internet_message_id: str,
    now: datetime,
) -> StoredDraft:
    """The draft createReply makes: RE: subject, the original's conversation, Drafts folder."""
    properties = original.graph("html")
    # Graph answers the original's replyTo when it has one, else its sender.
    default_to = properties.get("replyTo") or ([properties["from"]] if properties["from"] else [])
    stamp = iso_z(now)
    content = reply_html(request.comment, original, properties)
    resource: dict[str, Any] = {
        "id": draft_id,
        "createdDateTime": stamp,
        "lastModifiedDateTime": stamp,
        "changeKey": change_key,
        "categories": [],
        "receivedDateTime": stamp,
        "sentDateTime": stamp,
        "hasAttachments": False,
        "internetMessageId": f"<{internet_message_id}>",
        "subject": reply_subject(str(properties.get("subject") or "")),
        "bodyPreview": " ".join(request.comment.split())[:_PREVIEW_LENGTH],
        "importance": "normal",
        "parentFolderId": DRAFTS_FOLDER_ID,
        "conversationId": original.conversation_id,
        "isDeliveryReceiptRequested": False,
        "isReadReceiptRequested": False,
        "isRead": True,
        "isDraft": True,
        "webLink": f"https://outlook.office365.com/owa/?ItemID={draft_id}&viewmodel=ReadMessageItem",
        "inferenceClassification": "focused",
        "body": {"contentType": "html", "content": content},
        "sender": owner,
        "from": owner,
        "toRecipients": request.to if request.to is not None else default_to,
        "ccRecipients": request.cc if request.cc is not None else [],
        "bccRecipients": [],
        "replyTo": [],
        "flag": {"flagStatus": "notFlagged"},
    }
    return StoredDraft(
        id=draft_id,
        conversation_id=original.conversation_id,
        answers=original.id,
        created=now,
        change_key=change_key,
        resource=resource,
    )


def render_draft(
    draft: StoredDraft, *, context: str, select: frozenset[str] | None = None, status: int = 200
) -> Response:
    """GET /messages/{id} of a draft (its $select honoured), or createReply's 201."""
    properties = draft.resource
    if select is not None:
        properties = {k: v for k, v in properties.items() if k.lower() in select or k == "id"}
    etag = {"@odata.etag": f'W/"{draft.change_key}"'}
    return JSONResponse({"@odata.context": context} | etag | properties, status_code=status)
