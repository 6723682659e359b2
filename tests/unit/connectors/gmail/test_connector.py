from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.base import MessageSource, TokenRefresher, WebhookSource
from connectors.errors import (
    AuthExpired,
    ConnectorError,
    CursorExpired,
    ProviderUnavailable,
    RateLimited,
    WebhookRejected,
)
from connectors.gmail.connector import GmailConnector
from connectors.gmail.push import PushVerifier
from connectors.types import Credentials, MessageRef, Provider, WebhookRequest

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "gmail"
API = "https://gmail.test"
OAUTH = "https://oauth.test"
NOW = datetime(2024, 6, 20, 10, 0, tzinfo=UTC)
CREDS = Credentials(access_token="ya29.test-token", refresh_token=None, expires_at=None)

Handler = Callable[[httpx.Request], httpx.Response]


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class Recorder:
    def __init__(self, handler: Handler) -> None:
        self.requests: list[httpx.Request] = []
        self._handler = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request)


@pytest.fixture
def make() -> Iterator[Callable[[Handler], tuple[GmailConnector, Recorder]]]:
    clients: list[httpx.Client] = []

    def build(handler: Handler) -> tuple[GmailConnector, Recorder]:
        recorder = Recorder(handler)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        clients.append(http)
        verifier = PushVerifier("https://certs.test", "aud", "sa@example.com", http)
        connector = GmailConnector(
            http=http,
            api_url=API,
            oauth_url=OAUTH,
            client_id="client-id",
            client_secret="client-secret",
            push_verifier=verifier,
            clock=lambda: NOW,
        )
        return connector, recorder

    yield build
    for client in clients:
        client.close()


def push_request(body: bytes) -> WebhookRequest:
    return WebhookRequest("POST", "/webhooks/gmail", {}, {}, body)


def unreachable(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request {request.url}")


def test_implements_the_capability_protocols(make: Any) -> None:
    connector, _ = make(unreachable)

    assert isinstance(connector, WebhookSource)
    assert isinstance(connector, MessageSource)
    assert isinstance(connector, TokenRefresher)
    assert connector.provider is Provider.GMAIL


def test_parse_numeric_history_id(make: Any) -> None:
    connector, _ = make(unreachable)
    body = (FIXTURES / "pubsub_push.json").read_bytes()

    [notification] = connector.parse(push_request(body))

    assert notification.dedupe_key == "11718822446603251"
    assert notification.account_key == "alex@example.com"
    assert notification.payload == {
        "history_id": "4812410",
        "publish_time": "2024-06-20T09:52:07.118Z",
    }


def test_parse_string_history_id_without_snake_case_ids(make: Any) -> None:
    connector, _ = make(unreachable)
    body = (FIXTURES / "pubsub_push_gmail_docs_example.json").read_bytes()

    [notification] = connector.parse(push_request(body))

    assert notification.dedupe_key == "2070443601311540"
    assert notification.payload["history_id"] == "1234567890"


def test_parse_urlsafe_unpadded_data_snake_case_only(make: Any) -> None:
    connector, _ = make(unreachable)
    data = json.dumps({"emailAddress": "Alex@Example.com", "historyId": 7}).encode()
    message = {
        "data": base64.urlsafe_b64encode(data).decode().rstrip("="),
        "message_id": "42",
        "attributes": {"k": "v"},
        "deliveryAttempt": 2,
    }
    body = json.dumps({"message": message}).encode()

    [notification] = connector.parse(push_request(body))

    assert (notification.dedupe_key, notification.account_key) == ("42", "alex@example.com")
    assert notification.payload == {"history_id": "7", "publish_time": ""}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        json.dumps({"message": {"data": "e30=", "messageId": ""}}).encode(),
        json.dumps({"message": {"data": "e30="}}).encode(),
        (FIXTURES / "pubsub_push_pubsub_docs_example.json").read_bytes(),  # data not JSON
        json.dumps({"message": {"data": "%%%", "messageId": "1"}}).encode(),
        json.dumps(
            {
                "message": {
                    "data": base64.b64encode(b'{"emailAddress":"a@b.c","historyId":"x"}').decode(),
                    "messageId": "1",
                }
            }
        ).encode(),
    ],
)
def test_parse_rejects_malformed_bodies(make: Any, body: bytes) -> None:
    connector, _ = make(unreachable)

    with pytest.raises(WebhookRejected):
        connector.parse(push_request(body))


def test_verify_requires_a_bearer_token(make: Any) -> None:
    connector, _ = make(unreachable)

    with pytest.raises(WebhookRejected):
        connector.verify(push_request(b"{}"))


def history_pages() -> list[dict[str, Any]]:
    first = load("history_list")
    second = copy.deepcopy(first)
    first["nextPageToken"] = "page-2"
    first["historyId"] = "4812410"
    # Page two repeats message 1 (dedupe) and adds a draft (skipped) and a new message.
    draft = {"id": "d1", "threadId": "t9", "labelIds": ["DRAFT"]}
    second["history"] = [
        second["history"][0],
        {"id": "4812420", "messagesAdded": [{"message": draft}]},
        {"id": "4812430", "messagesAdded": [{"message": {"id": "m3", "threadId": "t3"}}]},
    ]
    second["historyId"] = "4812431"
    return [first, second]


def test_changes_since_follows_pages_dedupes_and_skips_drafts(make: Any) -> None:
    pages = history_pages()

    def handler(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("pageToken")
        return httpx.Response(200, json=pages[1] if token == "page-2" else pages[0])

    connector, recorder = make(handler)

    batch = connector.changes_since(CREDS, account="alex@example.com", cursor="4812377")

    assert batch.added == (
        MessageRef("18f2a7c4e9b1d305", "18f2a7c4e9b1d305"),
        MessageRef("18f2a8e0c7a4b912", "18f2a7c4e9b1d305"),
        MessageRef("m3", "t3"),
    )
    assert batch.cursor == "4812431"
    assert len(recorder.requests) == 2
    first = recorder.requests[0]
    assert first.url.path == "/gmail/v1/users/me/history"
    assert first.url.params["startHistoryId"] == "4812377"
    assert first.url.params["historyTypes"] == "messageAdded"
    assert first.headers["authorization"] == "Bearer ya29.test-token"


def test_changes_since_empty_history(make: Any) -> None:
    connector, _ = make(lambda _: httpx.Response(200, json=load("history_list_empty")))

    batch = connector.changes_since(CREDS, account="a", cursor="4812410")

    assert batch.added == ()
    assert batch.cursor == "4812410"


def test_changes_since_404_is_cursor_expired(make: Any) -> None:
    connector, _ = make(lambda _: httpx.Response(404, json=load("history_list_404")))

    with pytest.raises(CursorExpired):
        connector.changes_since(CREDS, account="a", cursor="1")


def test_changes_since_rate_limited(make: Any) -> None:
    connector, _ = make(
        lambda _: httpx.Response(429, json=load("error_429"), headers={"Retry-After": "3"})
    )

    with pytest.raises(RateLimited) as caught:
        connector.changes_since(CREDS, account="a", cursor="1")

    assert caught.value.retry_after == 3.0


def test_unexpected_shape_is_connector_error(make: Any) -> None:
    connector, _ = make(lambda _: httpx.Response(200, json={"history": "nope"}))

    with pytest.raises(ConnectorError):
        connector.changes_since(CREDS, account="a", cursor="1")


def test_missing_access_token_is_auth_expired(make: Any) -> None:
    connector, _ = make(unreachable)

    with pytest.raises(AuthExpired):
        connector.changes_since(Credentials(None, "r", None), account="a", cursor="1")


def test_timeout_is_unavailable(make: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    connector, _ = make(handler)

    with pytest.raises(ProviderUnavailable):
        connector.fetch(CREDS, account="a", refs=[MessageRef("m", "t")])


def test_fetch_reads_raw_keeps_the_bytes_and_skips_deleted(make: Any) -> None:
    raw = load("message_raw")

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["format"] == "raw"
        found = request.url.path.endswith("/" + raw["id"])
        return httpx.Response(200, json=raw) if found else httpx.Response(404)

    connector, _ = make(handler)
    refs = [MessageRef(i, i) for i in (raw["id"], "gone")]

    parsed = connector.fetch(CREDS, account="a", refs=refs)

    assert [m.provider_id for m in parsed] == [raw["id"]]
    assert parsed[0].subject == "Quarterly report draft"
    assert parsed[0].provider_thread_id == raw["threadId"]
    assert parsed[0].raw is not None
    assert b"Subject: Quarterly report draft" in parsed[0].raw


def test_watch(make: Any) -> None:
    connector, recorder = make(lambda _: httpx.Response(200, json=load("watch_response")))

    watch = connector.watch(CREDS, account="alex@example.com")

    assert watch.cursor == "4812377"
    assert watch.expires_at == datetime.fromtimestamp(1719477000, tz=UTC)
    body = json.loads(recorder.requests[0].content)
    assert body["topicName"].startswith("projects/")
    assert body["labelIds"] == ["INBOX"]


def test_recent_reads_the_cursor_before_listing(make: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/profile"):
            return httpx.Response(200, json={"emailAddress": "a@b.c", "historyId": "99"})
        return httpx.Response(200, json={"messages": [{"id": "m2", "threadId": "t1"}]})

    connector, recorder = make(handler)

    batch = connector.recent(CREDS, account="a", limit=25)

    assert batch.added == (MessageRef("m2", "t1"),)
    assert batch.cursor == "99"
    assert [r.url.path.rsplit("/", 1)[-1] for r in recorder.requests] == ["profile", "messages"]
    assert recorder.requests[1].url.params["maxResults"] == "25"


def test_refresh(make: Any) -> None:
    connector, recorder = make(lambda _: httpx.Response(200, json=load("token_refresh_response")))

    grant = connector.refresh("1//refresh")

    assert grant.access_token == "ya29.a0EXAMPLE-fake-access-token-for-tests-only"
    assert grant.expires_at == NOW + timedelta(seconds=3599)
    assert grant.refresh_token is None
    request = recorder.requests[0]
    assert str(request.url) == f"{OAUTH}/token"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {
        "grant_type": "refresh_token",
        "refresh_token": "1//refresh",
        "client_id": "client-id",
        "client_secret": "client-secret",
    }


def test_refresh_invalid_grant_is_auth_expired(make: Any) -> None:
    connector, _ = make(lambda _: httpx.Response(400, json=load("token_invalid_grant")))

    with pytest.raises(AuthExpired):
        connector.refresh("dead")


def test_refresh_invalid_client_is_not_auth_expired(make: Any) -> None:
    connector, _ = make(lambda _: httpx.Response(401, json={"error": "invalid_client"}))

    with pytest.raises(ConnectorError) as caught:
        connector.refresh("r")

    assert not isinstance(caught.value, AuthExpired)
