"""OutlookConnector's webhook side: handshake, envelope check, notification parsing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import WebhookRejected
from connectors.outlook.connector import OutlookConnector
from connectors.types import Notification, NotificationKind, WebhookRequest

_REPO = Path(__file__).resolve().parents[4]
FIXTURES = _REPO / "tests" / "fixtures" / "graph"
SUBSCRIPTION = "b2f6e4d1-0a3c-4c8e-9f12-6d5a7e8c9b40"
CLIENT_STATE = "cs-8f3b1e6a2d4c4f0e9b7a5c3d1e2f4a6b"
TENANT = "5f0c3a2e-7b14-4e2b-9c1d-2a6e8f4b7c90"
MESSAGE = (
    "AAMkADQ3MGNmNzA0LWFkNjMtNGJjZS05ZmE0LTg5YmQ3NGI1YWY0ZQBGAAAAAADx7Kq9Xw3lRbHd1o2uPz9RBwBs3c_"
    "f0LgEQ6f5fMU0T1uEAAAAAAEMAABs3c_f0LgEQ6f5fMU0T1uEAAMlu4FBdj6HiPAAA="
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def load(name: str) -> Any:
    return json.loads(fixture(name))


@pytest.fixture
def connector() -> Iterator[OutlookConnector]:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.url}")

    with httpx.Client(transport=httpx.MockTransport(unreachable)) as http:
        yield OutlookConnector(
            http=http,
            api_url="https://graph.microsoft.com/v1.0",
            login_url="https://login.microsoftonline.com",
            client_id="client",
            client_secret="secret",
            notification_url="https://hub.example.com/webhooks/outlook",
        )


def post(body: bytes, query: dict[str, str] | None = None) -> WebhookRequest:
    return WebhookRequest("POST", "/webhooks/outlook", {}, query or {}, body)


def parse_json(connector: OutlookConnector, body: Any) -> list[Notification]:
    request = post(json.dumps(body).encode())
    connector.verify(request)
    return connector.parse(request)


def test_created_notification_from_the_fixture(connector: OutlookConnector) -> None:
    request = post(fixture("notification_created.json"))
    connector.verify(request)

    [notification] = connector.parse(request)

    assert notification.kind is NotificationKind.CHANGES
    assert notification.dedupe_key == f"{SUBSCRIPTION}:{MESSAGE}"
    assert notification.account_key == ""  # the hub resolves it from the subscription
    assert notification.subscription_id == SUBSCRIPTION
    assert notification.secret == CLIENT_STATE
    assert notification.payload == {
        "change_type": "created",
        "message_id": MESSAGE,
        "tenant_id": TENANT,
    }
    assert CLIENT_STATE not in repr(notification)


def test_a_batch_for_several_subscriptions_skips_deleted(connector: OutlookConnector) -> None:
    body = load("notification_created.json")
    first = body["value"][0]
    updated = copy.deepcopy(first) | {"changeType": "updated"}
    other = copy.deepcopy(first) | {"subscriptionId": "sub-2", "clientState": "other-state"}
    other["resourceData"]["id"] = "AAMkAD-second="
    deleted = copy.deepcopy(first) | {"changeType": "deleted"}
    body["value"] = [first, deleted, updated, other]
    body["validationTokens"] = ["eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig"]

    notifications = parse_json(connector, body)

    assert [n.dedupe_key for n in notifications] == [
        f"{SUBSCRIPTION}:{MESSAGE}",
        f"{SUBSCRIPTION}:{MESSAGE}",  # created then updated: one event for the hub
        "sub-2:AAMkAD-second=",
    ]
    assert [n.payload["change_type"] for n in notifications] == ["created", "updated", "created"]
    assert [n.secret for n in notifications] == [CLIENT_STATE, CLIENT_STATE, "other-state"]


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("Users/u1/Messages/AAMkAD-from-path=", "AAMkAD-from-path="),
        ("Users('u1')/Messages('AAMkAD-quoted=')", "AAMkAD-quoted="),
    ],
)
def test_message_id_falls_back_to_the_resource_path(
    connector: OutlookConnector, resource: str, expected: str
) -> None:
    body = load("notification_created.json")
    item = body["value"][0]
    del item["resourceData"]
    item["resource"] = resource

    [notification] = parse_json(connector, body)

    assert notification.payload["message_id"] == expected
    assert notification.dedupe_key == f"{SUBSCRIPTION}:{expected}"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("notification_lifecycle_reauthorization_required_docs_shape.json", "watch_expiring"),
        ("notification_lifecycle_reauthorization_required.json", "watch_expiring"),
        ("notification_lifecycle_subscription_removed.json", "watch_removed"),
        ("notification_lifecycle_missed.json", "missed"),
    ],
)
def test_lifecycle_events_in_both_shapes(connector: OutlookConnector, name: str, kind: str) -> None:
    [notification] = parse_json(connector, load(name))

    assert notification.kind == NotificationKind(kind)
    assert notification.subscription_id == SUBSCRIPTION
    assert notification.secret == CLIENT_STATE
    assert notification.payload["tenant_id"] == TENANT  # tenantId or organizationId
    assert notification.payload["subscription_expires_at"] == "2024-06-23T08:30:00Z"
    assert notification.dedupe_key.startswith(f"lifecycle:{SUBSCRIPTION}:")


def test_lifecycle_dedupe_keys_are_stable_across_redelivery_and_spellings(
    connector: OutlookConnector,
) -> None:
    docs = load("notification_lifecycle_reauthorization_required_docs_shape.json")
    respelled = copy.deepcopy(docs)
    respelled["value"][0]["subscriptionExpirationDateTime"] = "2024-06-23T08:30:00+00:00"

    first = parse_json(connector, docs)[0].dedupe_key
    again = parse_json(connector, docs)[0].dedupe_key

    assert first == again == parse_json(connector, respelled)[0].dedupe_key
    assert first == f"lifecycle:{SUBSCRIPTION}:reauthorizationRequired:2024-06-23T08:30:00Z"


def test_a_later_genuine_lifecycle_event_gets_a_new_key(connector: OutlookConnector) -> None:
    docs = load("notification_lifecycle_reauthorization_required_docs_shape.json")
    renewed = copy.deepcopy(docs)
    renewed["value"][0]["subscriptionExpirationDateTime"] = "2024-06-26T08:30:00.0000000Z"
    observed = load("notification_lifecycle_reauthorization_required.json")
    resequenced = copy.deepcopy(observed)
    observed["value"][0]["sequence"] = 1
    resequenced["value"][0]["sequence"] = 2
    missed = load("notification_lifecycle_missed.json")

    keys = [
        parse_json(connector, body)[0].dedupe_key
        for body in (docs, renewed, observed, resequenced, missed)
    ]

    assert len(set(keys)) == len(keys)


def test_unknown_lifecycle_events_are_skipped(connector: OutlookConnector) -> None:
    body = load("notification_lifecycle_missed.json")
    body["value"][0]["lifecycleEvent"] = "somethingNew"

    assert parse_json(connector, body) == []


def test_empty_collection_is_no_notification(connector: OutlookConnector) -> None:
    assert parse_json(connector, {"value": []}) == []


def _item(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = load("notification_created.json")["value"][0]
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return item


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"{}",
        b'{"value": {}}',
        json.dumps({"value": ["not an object"]}).encode(),
        json.dumps({"value": [_item(subscriptionId=None)]}).encode(),
        json.dumps({"value": [_item(subscriptionId="")]}).encode(),
        json.dumps({"value": [_item(subscriptionId=42)]}).encode(),
        json.dumps({"value": [_item(changeType=None)]}).encode(),
        json.dumps({"value": [_item(changeType=["created"])]}).encode(),
        json.dumps({"value": [_item(clientState=7)]}).encode(),
        json.dumps({"value": [_item(resourceData=None, resource=None)]}).encode(),
        json.dumps({"value": [_item(lifecycleEvent=3)]}).encode(),
        json.dumps({"value": [_item(sequence="first", lifecycleEvent="missed")]}).encode(),
    ],
)
def test_malformed_bodies_are_rejected_without_echoing(
    connector: OutlookConnector, body: bytes
) -> None:
    with pytest.raises(WebhookRejected) as caught:
        connector.parse(post(body))

    assert CLIENT_STATE not in str(caught.value)
    assert len(str(caught.value)) < 80


@pytest.mark.parametrize("body", [b"", b"nope", b"[]", b'{"value": "x"}', b'{"values": []}'])
def test_verify_checks_the_envelope(connector: OutlookConnector, body: bytes) -> None:
    with pytest.raises(WebhookRejected):
        connector.verify(post(body))


def test_verify_accepts_any_collection_and_requires_post(connector: OutlookConnector) -> None:
    body = fixture("notification_created.json")
    connector.verify(post(body))

    with pytest.raises(WebhookRejected):
        connector.verify(WebhookRequest("GET", "/webhooks/outlook", {}, {}, body))


def test_challenge_echoes_the_decoded_validation_token(connector: OutlookConnector) -> None:
    sample = load("validation_request.json")
    token = sample["expected_response"]["body"]

    assert connector.challenge(post(b"", {"validationToken": token})) == token


@pytest.mark.parametrize(
    "token",
    ["", "x" * 1025, "line\nbreak", "tab\there", "nul\x00", "esc\x1b[31m", "del\x7f", "c1\x85"],
)
def test_challenge_refuses_implausible_tokens(connector: OutlookConnector, token: str) -> None:
    assert connector.challenge(post(b"", {"validationToken": token})) is None


def test_challenge_accepts_the_longest_plausible_token(connector: OutlookConnector) -> None:
    token = "Validation: <script>é" + "x" * 1003

    assert len(token) == 1024
    assert connector.challenge(post(b"", {"validationToken": token})) == token


def test_challenge_is_none_for_notifications_and_other_methods(
    connector: OutlookConnector,
) -> None:
    assert connector.challenge(post(fixture("notification_created.json"))) is None
    get = WebhookRequest("GET", "/webhooks/outlook", {}, {"validationToken": "t"}, b"")
    assert connector.challenge(get) is None
