"""Graph's side of POST /webhooks/outlook: the validation handshake and notification bodies.

Basic notifications carry no signature. Their proof is the clientState echo in every
item, which only the hub can check against the stored subscription: each Notification
carries it as `secret`. Rich notifications (validationTokens JWTs) are not used: we
subscribe without resource data.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from pydantic import ValidationError

from connectors.errors import WebhookRejected
from connectors.outlook.payloads import (
    NotificationCollection,
    NotificationItem,
    parse_graph_datetime,
)
from connectors.types import Notification, NotificationKind, WebhookRequest

MAX_VALIDATION_TOKEN = 1024
_LIFECYCLE_KINDS = {
    "reauthorizationRequired": NotificationKind.WATCH_EXPIRING,
    "subscriptionRemoved": NotificationKind.WATCH_REMOVED,
    "missed": NotificationKind.MISSED,
}


def validation_token(request: WebhookRequest) -> str | None:
    """The validationToken of Graph's handshake, to be echoed as text/plain with 200.

    The token arrives URL-decoded and is sent back verbatim, so anything that is not a
    plausible token (too long, control characters) is refused rather than echoed.
    """
    token = request.query.get("validationToken")
    if request.method.upper() != "POST" or not token or len(token) > MAX_VALIDATION_TOKEN:
        return None
    if any(unicodedata.category(char) == "Cc" for char in token):
        return None
    return token


def verify_envelope(request: WebhookRequest) -> None:
    """A POSTed notification collection; the items are authenticated by the hub."""
    if request.method.upper() != "POST":
        raise WebhookRejected("notifications are POSTed")
    _collection_body(request.body)


def parse_notifications(body: bytes) -> list[Notification]:
    try:
        collection = NotificationCollection.model_validate(_collection_body(body))
    except ValidationError as exc:
        index = next((e["loc"][1] for e in exc.errors() if len(e["loc"]) > 1), "?")
        raise WebhookRejected(f"malformed notification item {index}") from exc
    notifications = (_notification(item, index) for index, item in enumerate(collection.value))
    return [notification for notification in notifications if notification is not None]


def _collection_body(body: bytes) -> dict[str, Any]:
    try:
        parsed: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRejected("body is not JSON") from exc
    if not isinstance(parsed, dict) or not isinstance(parsed.get("value"), list):
        raise WebhookRejected("body is not a notification collection")
    return parsed


def _notification(item: NotificationItem, index: int) -> Notification | None:
    if item.lifecycle_event is not None:
        return _lifecycle_notification(item)
    if item.change_type is None:
        raise WebhookRejected(f"notification item {index} has no changeType")
    if item.change_type == "deleted":
        return None  # nothing to fetch; delta reports removals on its own
    message_id = _message_id(item)
    if not message_id:
        raise WebhookRejected(f"notification item {index} names no message")
    return Notification(
        # created and updated can both arrive for one message: one event per message.
        dedupe_key=f"{item.subscription_id}:{message_id}",
        account_key="",
        payload={
            "change_type": item.change_type,
            "message_id": message_id,
            "tenant_id": item.tenant,
        },
        kind=NotificationKind.CHANGES,
        subscription_id=item.subscription_id,
        secret=item.client_state,
    )


def _lifecycle_notification(item: NotificationItem) -> Notification | None:
    event = item.lifecycle_event or ""
    kind = _LIFECYCLE_KINDS.get(event)
    if kind is None:
        return None  # an event we do not act on
    expires = _canonical_time(item.subscription_expiration_date_time)
    # A redelivery repeats the expiration (and sequence); a later genuine event follows a
    # renewal, which moves the expiration, or carries a new sequence.
    marker = expires if item.sequence is None else f"{expires}:{item.sequence}"
    return Notification(
        dedupe_key=f"lifecycle:{item.subscription_id}:{event}:{marker}",
        account_key="",
        payload={
            "lifecycle_event": event,
            "tenant_id": item.tenant,
            "subscription_expires_at": expires,
        },
        kind=kind,
        subscription_id=item.subscription_id,
        secret=item.client_state,
    )


def _message_id(item: NotificationItem) -> str:
    if item.resource_data is not None and item.resource_data.id:
        return item.resource_data.id
    last = (item.resource or "").rstrip("/").rsplit("/", 1)[-1]
    # Graph also writes resources as Users('…')/Messages('…').
    if last.endswith("')") and "('" in last:
        return last[last.index("('") + 2 : -2]
    return last


def _canonical_time(value: str | None) -> str:
    """One spelling per instant, so "…00.0000000Z" and "…00+00:00" dedupe alike."""
    if not value:
        return ""
    try:
        return parse_graph_datetime(value).isoformat().replace("+00:00", "Z")
    except ValueError:
        return value[:64]
