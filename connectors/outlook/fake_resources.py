"""How the Graph fake stores mailboxes and renders messages, delta items and subscriptions.

Messages are kept as their exact RFC 822 bytes; the JSON resource (built with
eml_to_graph), $value and attachments are all derived from those bytes, so every view
of a message agrees with the others.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import TYPE_CHECKING, Any

from connectors.mail.convert import eml_to_graph
from connectors.mail.headers import parse_message_id, parse_references
from connectors.mail.mime import parse_mime
from connectors.mail.types import ParsedMessage
from connectors.outlook.fake_wire import iso_7, iso_z

if TYPE_CHECKING:
    from connectors.outlook.fake_drafts import StoredDraft

INBOX_FOLDER_ID = "AQMkADQ3MGNmNzA0LWFkNjMtNGJjZS05ZmE0LTg5YmQ3NGI1YWY0ZQAuAAADx7Kq9Xw3lRbHd1o2uPz9RAQBs3c_f0LgEQ6f5fMU0T1uEAAACAQwAAAA="  # noqa: E501
MESSAGE_TYPE = "#microsoft.graph.message"
# What delta returns per message when no $select is given (fixtures/graph/delta_page1.json).
DEFAULT_DELTA_SELECT = frozenset(
    {"subject", "receiveddatetime", "hasattachments", "internetmessageid", "isread"}
    | {"conversationid", "from"}
)
_PREVIEW_LENGTH = 255


@dataclass
class StoredMessage:
    id: str
    conversation_id: str
    raw: bytes
    received: datetime
    categories: list[str]
    created_seq: int
    change_key: str
    rfc_message_id: str = ""
    references: tuple[str, ...] = ()
    _graph: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    _parsed: list[ParsedMessage] = field(default_factory=list, repr=False, compare=False)

    def graph(self, body_type: str) -> dict[str, Any]:
        # The bytes never change, so the conversions are computed once.
        if body_type not in self._graph:
            self._graph[body_type] = eml_to_graph(self.raw, body_type=body_type)
        return self._graph[body_type]

    def parsed(self) -> ParsedMessage:
        if not self._parsed:
            self._parsed.append(parse_mime(self.raw))
        return self._parsed[0]


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str  # "created" or "deleted"
    message_id: str


@dataclass
class Mailbox:
    address: str
    user_id: str
    messages: dict[str, StoredMessage] = field(default_factory=dict)  # the Inbox
    # The Drafts folder: outside the Inbox's change log, so its delta never reports them.
    drafts: dict[str, StoredDraft] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    seq: int = 0
    delta_epoch: int = 0  # bumped by expire_delta: older tokens then get 410

    def record(self, kind: str, message_id: str) -> int:
        self.seq += 1
        self.changes.append(Change(self.seq, kind, message_id))
        return self.seq


@dataclass
class FakeSubscription:
    id: str
    address: str
    resource: str
    change_type: str
    notification_url: str
    lifecycle_url: str | None
    client_state: str | None
    expires_at: datetime
    tls_version: str
    application_id: str
    creator_id: str
    lifecycle_sequence: int = 0


def threading_headers(raw: bytes) -> tuple[str, str | None, tuple[str, ...]]:
    """Message-ID, In-Reply-To and References of raw bytes (ids without brackets)."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    own = parse_message_id(str(headers.get("message-id", ""))) or ""
    parent = parse_message_id(str(headers.get("in-reply-to", "")))
    references = parse_references(" ".join(str(v) for v in headers.get_all("references", [])))
    return own, parent, references


def _unique_body(stored: StoredMessage, body_type: str) -> dict[str, str]:
    # Approximates Graph's server-side split: the new content, without the quoted history.
    visible = stored.parsed().visible_text
    if body_type == "text":
        return {"contentType": "text", "content": visible}
    escaped = html.escape(visible).replace("\n", "<br>")
    content = f'<html><body><div dir="ltr">{escaped}</div></body></html>'
    return {"contentType": "html", "content": content}


def _stored_properties(stored: StoredMessage) -> dict[str, Any]:
    """The properties the fake keeps itself: no MIME conversion needed."""
    received = iso_z(stored.received)
    return {
        "id": stored.id,
        "createdDateTime": received,
        "lastModifiedDateTime": received,
        "changeKey": stored.change_key,
        "categories": list(stored.categories),
        "receivedDateTime": received,
        "importance": "normal",
        "parentFolderId": INBOX_FOLDER_ID,
        "conversationId": stored.conversation_id,
        "isDeliveryReceiptRequested": False,
        "isReadReceiptRequested": False,
        "isRead": False,
        "isDraft": False,
        "webLink": f"https://outlook.office365.com/owa/?ItemID={stored.id}&viewmodel=ReadMessageItem",
        "inferenceClassification": "focused",
        "flag": {"flagStatus": "notFlagged"},
    }


_STORED = frozenset(
    {"id", "createddatetime", "lastmodifieddatetime", "changekey", "categories"}
    | {"receiveddatetime", "importance", "parentfolderid", "conversationid", "isread"}
    | {"isdeliveryreceiptrequested", "isreadreceiptrequested", "isdraft", "weblink"}
    | {"inferenceclassification", "flag"}
)


_CONVERTED = (
    *("hasAttachments", "internetMessageId", "subject", "body", "sender", "from"),
    *("toRecipients", "ccRecipients", "bccRecipients", "replyTo"),
)


def _converted_properties(stored: StoredMessage, body_type: str) -> dict[str, Any]:
    converted = stored.graph(body_type)
    properties = {key: converted[key] for key in _CONVERTED}
    properties["sentDateTime"] = converted.get("sentDateTime") or iso_z(stored.received)
    return properties


def render_message(
    stored: StoredMessage, *, select: frozenset[str] | None, body_type: str = "html"
) -> dict[str, Any]:
    """GET /messages/{id}: default properties, or the $select ones (plus id and etag)."""
    etag = {"@odata.etag": f'W/"{stored.change_key}"'}
    properties = _stored_properties(stored)
    if select is not None and select <= _STORED:
        # Delta rounds select only these; converting every message would be wasted work.
        return etag | {k: v for k, v in properties.items() if k.lower() in select or k == "id"}
    properties |= _converted_properties(stored, body_type)
    if select is None or "bodypreview" in select:
        properties["bodyPreview"] = " ".join(stored.parsed().text.split())[:_PREVIEW_LENGTH]
    if select is None:
        return etag | properties
    # Only on request, as Graph does: uniqueBody and the raw internet headers.
    if "uniquebody" in select:
        properties["uniqueBody"] = _unique_body(stored, body_type)
    properties["internetMessageHeaders"] = stored.graph(body_type)["internetMessageHeaders"]
    return etag | {k: v for k, v in properties.items() if k.lower() in select or k == "id"}


def render_delta_item(stored: StoredMessage, select: frozenset[str] | None) -> dict[str, Any]:
    rendered = render_message(stored, select=select or DEFAULT_DELTA_SELECT)
    return {"@odata.type": MESSAGE_TYPE} | rendered


def removed_item(message_id: str) -> dict[str, Any]:
    return {"@odata.type": MESSAGE_TYPE, "id": message_id, "@removed": {"reason": "deleted"}}


def delta_changes(box: Mailbox, since: int, upto: int) -> list[tuple[str, str]]:
    """(kind, message id) of the net changes in (since, upto], in the order they happened.

    A message created and deleted inside the window never existed for the client.
    """
    net: dict[str, str] = {}
    for change in box.changes:
        if not since < change.seq <= upto:
            continue
        previous = net.pop(change.message_id, None)
        if change.kind == "deleted" and previous == "created":
            continue
        net[change.message_id] = change.kind
    return [(kind, message_id) for message_id, kind in net.items()]


def render_attachments(stored: StoredMessage) -> list[dict[str, Any]]:
    received = iso_z(stored.received)
    return [
        {
            "@odata.type": attachment["@odata.type"],
            "@odata.mediaContentType": attachment["contentType"],
            "id": attachment["id"],
            "lastModifiedDateTime": received,
            "name": attachment["name"],
            "contentType": attachment["contentType"],
            "size": attachment["size"],
            "isInline": attachment["isInline"],
            "contentId": attachment["contentId"],
            "contentLocation": None,
            "contentBytes": attachment["contentBytes"],
        }
        for attachment in stored.graph("html")["attachments"]
    ]


def attachment_bytes(stored: StoredMessage, attachment_id: str) -> bytes | None:
    for attachment in stored.graph("html")["attachments"]:
        if attachment["id"] == attachment_id:
            return base64.b64decode(attachment["contentBytes"])
    return None


def render_subscription(subscription: FakeSubscription, base_url: str) -> dict[str, Any]:
    return {
        "@odata.context": f"{base_url}/v1.0/$metadata#subscriptions/$entity",
        "id": subscription.id,
        "resource": subscription.resource,
        "applicationId": subscription.application_id,
        "changeType": subscription.change_type,
        "clientState": subscription.client_state,
        "notificationUrl": subscription.notification_url,
        "notificationQueryOptions": None,
        "lifecycleNotificationUrl": subscription.lifecycle_url,
        "expirationDateTime": iso_7(subscription.expires_at),
        "creatorId": subscription.creator_id,
        "includeResourceData": None,
        "latestSupportedTlsVersion": subscription.tls_version,
        "encryptionCertificate": None,
        "encryptionCertificateId": None,
        "notificationUrlAppId": None,
    }
