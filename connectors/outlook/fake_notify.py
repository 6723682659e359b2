"""What the Graph fake sends out: validation handshakes, change and lifecycle notifications.

Every call here is outbound HTTP; callers must not hold the fake's lock while making it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.outlook.fake_resources import FakeSubscription
from connectors.outlook.fake_wire import iso_7, iso_offset

VALIDATION_TIMEOUT = 10.0  # Graph waits this long for the handshake answer
NOTIFICATION_TIMEOUT = 3.0  # and this long for a notification's 2xx
VALIDATION_FAILED = (
    "Subscription validation request failed. Notification endpoint must respond with 200 OK"
    " to validation request."
)
_JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Handshake:
    url: str
    status: int | None  # None: no answer (refused, timed out)
    ok: bool


def validate_endpoint(url: str) -> Handshake:
    """POST ?validationToken=… with an empty text/plain body; the answer must echo it."""
    token = f"Validation: Testing client application reachability for subscription Request-Id: {uuid.uuid4()}"  # noqa: E501
    # Any query string already on the URL stays, as Graph keeps it on every POST.
    target = httpx.URL(url).copy_merge_params({"validationToken": token})
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    try:
        with httpx.Client(timeout=VALIDATION_TIMEOUT) as client:
            response = client.post(target, content=b"", headers=headers)
    except httpx.HTTPError:
        return Handshake(url, None, ok=False)
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    ok = response.status_code == 200 and content_type == "text/plain" and response.text == token
    return Handshake(url, response.status_code, ok)


def change_notification(
    subscription: FakeSubscription, *, user_id: str, tenant_id: str, message_id: str, etag: str
) -> dict[str, Any]:
    """One created-message notification (fixtures/graph/notification_created.json)."""
    resource = f"Users/{user_id}/Messages/{message_id}"
    item = {
        "subscriptionId": subscription.id,
        "subscriptionExpirationDateTime": iso_offset(subscription.expires_at),
        "changeType": "created",
        "resource": resource,
        "resourceData": {
            "@odata.type": "#Microsoft.Graph.Message",
            "@odata.id": resource,
            "@odata.etag": etag,
            "id": message_id,
        },
        "clientState": subscription.client_state,
        "tenantId": tenant_id,
    }
    return {"value": [item]}


def lifecycle_notification(
    subscription: FakeSubscription, event: str, *, tenant_id: str, observed: bool
) -> dict[str, Any]:
    """The documented shape, or (observed) the one seen in real traffic."""
    if not observed:
        item: dict[str, Any] = {
            "subscriptionId": subscription.id,
            "subscriptionExpirationDateTime": iso_7(subscription.expires_at),
            "tenantId": tenant_id,
            "clientState": subscription.client_state,
            "lifecycleEvent": event,
        }
        return {"value": [item]}
    item = {
        "subscriptionId": subscription.id,
        "encryptedContent": None,
        "organizationId": tenant_id,
        "lifecycleEvent": event,
        "clientState": subscription.client_state,
        "subscriptionExpirationDateTime": iso_7(subscription.expires_at, offset=True),
        "resource": f"Subscriptions/{subscription.id}",
        "resourceChangeType": None,
        "resourceData": {
            "@odata.id": f"subscriptions/{subscription.id}",
            "@odata.type": "#microsoft.graph.subscription",
            "id": subscription.id,
        },
        "sequence": subscription.lifecycle_sequence,
    }
    return {"value": [item]}


def post_notification(url: str, body: dict[str, Any]) -> int | None:
    """POST one notification collection; the status, or None when there was no answer."""
    try:
        with httpx.Client(timeout=NOTIFICATION_TIMEOUT) as client:
            response = client.post(url, content=json.dumps(body), headers={"Content-Type": _JSON})
    except httpx.HTTPError:
        return None
    return response.status_code
