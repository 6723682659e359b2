"""OutlookConnector's Graph calls against in-memory transports serving the wire fixtures."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.base import DraftSink, MessageSource, TokenRefresher, WebhookSource
from connectors.errors import (
    AuthExpired,
    ConnectorError,
    CursorExpired,
    ProviderUnavailable,
    RateLimited,
)
from connectors.mail.types import Address
from connectors.outlook.connector import OutlookConnector
from connectors.types import Credentials, MailDraft, MessageRef, Provider, Watch

_REPO = Path(__file__).resolve().parents[4]
FIXTURES = _REPO / "tests" / "fixtures" / "graph"
API = "https://graph.microsoft.com/v1.0"
LOGIN = "https://login.microsoftonline.com"
HOOK = "https://hub.example.com/webhooks/outlook"
NOW = datetime(2024, 6, 20, 10, 0, tzinfo=UTC)
CREDS = Credentials(access_token="EwB-test-token", refresh_token=None, expires_at=None)

Handler = Callable[[httpx.Request], httpx.Response]


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


class Recorder:
    def __init__(self, handler: Handler) -> None:
        self.requests: list[httpx.Request] = []
        self._handler = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request)


Make = Callable[..., tuple[OutlookConnector, Recorder]]


@pytest.fixture
def make() -> Iterator[Make]:
    clients: list[httpx.Client] = []

    def build(handler: Handler, **options: Any) -> tuple[OutlookConnector, Recorder]:
        recorder = Recorder(handler)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        clients.append(http)
        connector = OutlookConnector(
            http=http,
            api_url=API,
            login_url=LOGIN,
            client_id="client-id",
            client_secret="client-secret",
            notification_url=HOOK,
            clock=lambda: NOW,
            **options,
        )
        return connector, recorder

    yield build
    for client in clients:
        client.close()


def unreachable(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request {request.url}")


def test_implements_the_capability_protocols(make: Make) -> None:
    connector, _ = make(unreachable)

    assert isinstance(connector, WebhookSource)
    assert isinstance(connector, MessageSource)
    assert isinstance(connector, TokenRefresher)
    assert isinstance(connector, DraftSink)
    assert connector.provider is Provider.OUTLOOK


# Delta


def delta_pages() -> dict[str, Any]:
    first, second = load("delta_page1.json"), load("delta_page2.json")
    return {first["@odata.nextLink"]: second, "start": first}


def serve_pages(pages: dict[str, Any], start: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        return httpx.Response(200, json=pages["start"] if url == start else pages[url])

    return handler


def test_changes_since_follows_next_links_unchanged(make: Make) -> None:
    pages = delta_pages()
    cursor = f"{API}/me/mailFolders('inbox')/messages/delta?$deltatoken=old-token"
    connector, recorder = make(serve_pages(pages, cursor))

    batch = connector.changes_since(CREDS, account="alex", cursor=cursor)

    first, second = load("delta_page1.json"), load("delta_page2.json")
    assert batch.added == tuple(
        MessageRef(m["id"], m["conversationId"])
        for m in [*first["value"], second["value"][0]]  # the @removed item is not added
    )
    assert batch.cursor == second["@odata.deltaLink"]
    assert [str(r.url) for r in recorder.requests] == [cursor, first["@odata.nextLink"]]
    for request in recorder.requests:
        assert request.headers["authorization"] == "Bearer EwB-test-token"
        assert request.headers["prefer"] == "odata.maxpagesize=50"


def test_changes_since_dedupes_repeated_items(make: Make) -> None:
    pages = delta_pages()
    first = pages["start"]
    second = pages[first["@odata.nextLink"]]
    second["value"].insert(0, copy.deepcopy(first["value"][0]))
    cursor = f"{API}/me/mailFolders('inbox')/messages/delta?$deltatoken=t"
    connector, _ = make(serve_pages(pages, cursor))

    batch = connector.changes_since(CREDS, account="alex", cursor=cursor)

    assert len(batch.added) == 3
    assert len({ref.message_id for ref in batch.added}) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "https://evil.example.com/v1.0/me/mailFolders('inbox')/messages/delta?$deltatoken=t",
        "https://graph.microsoft.com.evil.example.com/v1.0/me/messages/delta?$deltatoken=t",
        "https://graph.microsoft.com/v1.0.evil.example.com/me/messages/delta",
        "http://graph.microsoft.com/v1.0/me/mailFolders('inbox')/messages/delta?$deltatoken=t",
        "https://graph.microsoft.com/beta/me/mailFolders('inbox')/messages/delta?$deltatoken=t",
        "4812377",
    ],
)
def test_a_cursor_outside_the_api_is_never_followed_and_means_resync(
    make: Make, cursor: str
) -> None:
    connector, recorder = make(unreachable)

    with pytest.raises(CursorExpired):
        connector.changes_since(CREDS, account="alex", cursor=cursor)

    assert recorder.requests == []


def test_changes_since_refuses_a_next_link_to_another_host(make: Make) -> None:
    page = load("delta_page1.json")
    page["@odata.nextLink"] = "https://collector.example.net/steal?$skiptoken=x"
    connector, recorder = make(lambda _: httpx.Response(200, json=page))

    with pytest.raises(ConnectorError):
        connector.changes_since(CREDS, account="alex", cursor=f"{API}/me/messages/delta")

    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (410, {"error": {"code": "syncStateNotFound", "message": "gone"}}),
        (410, None),
        (400, {"error": {"code": "resyncRequired", "message": "resync"}}),
    ],
)
def test_changes_since_lost_state_is_cursor_expired(make: Make, status: int, body: Any) -> None:
    connector, _ = make(lambda _: httpx.Response(status, json=body))

    with pytest.raises(CursorExpired):
        connector.changes_since(CREDS, account="alex", cursor=f"{API}/me/messages/delta?x=1")


def test_changes_since_lost_state_on_a_later_page(make: Make) -> None:
    first = load("delta_page1.json")

    def handler(request: httpx.Request) -> httpx.Response:
        if "$skiptoken" in str(request.url):
            return httpx.Response(410, json={"error": {"code": "syncStateNotFound"}})
        return httpx.Response(200, json=first)

    connector, _ = make(handler)

    with pytest.raises(CursorExpired):
        connector.changes_since(CREDS, account="alex", cursor=f"{API}/me/messages/delta")


def test_changes_since_other_errors(make: Make) -> None:
    cursor = f"{API}/me/messages/delta"
    throttled, _ = make(
        lambda _: httpx.Response(429, json=load("error_429.json"), headers={"Retry-After": "10"})
    )
    with pytest.raises(RateLimited) as caught:
        throttled.changes_since(CREDS, account="a", cursor=cursor)
    assert caught.value.retry_after == 10.0

    rejected, _ = make(lambda _: httpx.Response(401, json={"error": {"code": "x"}}))
    with pytest.raises(AuthExpired):
        rejected.changes_since(CREDS, account="a", cursor=cursor)

    endless, _ = make(lambda _: httpx.Response(200, json={"value": []}))
    with pytest.raises(ConnectorError, match="nextLink or deltaLink"):
        endless.changes_since(CREDS, account="a", cursor=cursor)


def test_missing_access_token_is_auth_expired(make: Make) -> None:
    connector, _ = make(unreachable)
    creds = Credentials(None, "refresh", None)

    with pytest.raises(AuthExpired):
        connector.changes_since(creds, account="a", cursor=f"{API}/me/messages/delta")
    with pytest.raises(AuthExpired):
        connector.watch(creds, account="a")


def test_timeout_is_unavailable(make: Make) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    connector, _ = make(handler)

    with pytest.raises(ProviderUnavailable):
        connector.recent(CREDS, account="a", limit=5)


def test_recent_filters_by_the_resync_window_and_keeps_the_newest(make: Make) -> None:
    pages = delta_pages()
    start = (
        f"{API}/me/mailFolders('inbox')/messages/delta"
        "?$select=id,conversationId,receivedDateTime"
        "&$filter=receivedDateTime%20ge%202024-06-06T10:00:00Z"
    )
    connector, recorder = make(serve_pages(pages, start))

    batch = connector.recent(CREDS, account="alex", limit=2)

    first, second = load("delta_page1.json"), load("delta_page2.json")
    # Newest two by receivedDateTime (08:03 and 09:00), oldest first; @removed dropped.
    assert batch.added == (
        MessageRef(first["value"][1]["id"], first["value"][1]["conversationId"]),
        MessageRef(second["value"][0]["id"], second["value"][0]["conversationId"]),
    )
    assert batch.cursor == second["@odata.deltaLink"]
    query = recorder.requests[0].url.params
    assert query["$filter"] == "receivedDateTime ge 2024-06-06T10:00:00Z"
    assert query["$select"] == "id,conversationId,receivedDateTime"


def test_recent_with_a_zero_limit_still_returns_the_cursor(make: Make) -> None:
    connector, _ = make(lambda _: httpx.Response(200, json=load("delta_page2.json")))

    batch = connector.recent(CREDS, account="alex", limit=0)

    assert batch.added == ()
    assert batch.cursor == load("delta_page2.json")["@odata.deltaLink"]


# Fetch

RFC_ID = "SA1PR12MB5678A1B2C3D4E5F6A7B8C9D0E1F2A3B@SA1PR12MB5678.namprd12.prod.outlook.com"
MIME = (
    b"From: Morgan Patel <morgan.patel@contoso.example.com>\r\n"
    b"To: Alex Morgan <alex.morgan@contoso.example.com>\r\n"
    b"Subject: Vendor contract - signature needed\r\n"
    b"Date: Thu, 20 Jun 2024 08:59:57 +0000\r\n"
    b"Message-ID:\r\n <" + RFC_ID.encode() + b">\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Hi Alex,\r\n\r\nPlease sign the attached vendor contract before Monday.\r\n"
)


def test_fetch_reads_json_and_mime_and_skips_deleted(make: Make) -> None:
    message = load("message.json")
    message["uniqueBody"] = {"contentType": "text", "content": "Hi Alex, please sign."}
    quoted = message["id"].replace("=", "%3D")

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode().split("?")[0]
        if path == f"/v1.0/me/messages/{quoted}":
            return httpx.Response(200, json=message)
        if path == f"/v1.0/me/messages/{quoted}/$value":
            return httpx.Response(200, content=MIME, headers={"Content-Type": "text/plain"})
        return httpx.Response(404, json={"error": {"code": "ErrorItemNotFound"}})

    connector, recorder = make(handler)
    refs = [MessageRef("gone=", "t"), MessageRef(message["id"], message["conversationId"])]

    [parsed] = connector.fetch(CREDS, account="alex", refs=refs)

    assert parsed.provider_id == message["id"]
    assert parsed.provider_thread_id == message["conversationId"]
    assert parsed.labels == ("Legal",)
    assert parsed.subject == "Vendor contract - signature needed"
    assert parsed.sender is not None
    assert parsed.sender.email == "morgan.patel@contoso.example.com"
    assert (
        parsed.message_id
        == "SA1PR12MB5678A1B2C3D4E5F6A7B8C9D0E1F2A3B@SA1PR12MB5678.namprd12.prod.outlook.com"
    )
    assert parsed.raw == MIME
    assert parsed.source == "graph"
    get = recorder.requests[1]
    assert get.url.params["$select"] == "id,conversationId,categories,receivedDateTime,uniqueBody"
    assert get.headers["prefer"] == 'outlook.body-content-type="text"'
    assert get.headers["authorization"] == "Bearer EwB-test-token"
    assert recorder.requests[2].headers["authorization"] == "Bearer EwB-test-token"
    assert len(recorder.requests) == 3  # no $value for the deleted one


def test_fetch_skips_a_message_whose_mime_is_gone(make: Make) -> None:
    message = load("message.json")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/$value"):
            return httpx.Response(404, json={"error": {"code": "ErrorItemNotFound"}})
        return httpx.Response(200, json=message)

    connector, _ = make(handler)

    assert connector.fetch(CREDS, account="a", refs=[MessageRef(message["id"], "t")]) == []


def test_fetch_quotes_ids_as_path_segments(make: Make) -> None:
    connector, recorder = make(lambda _: httpx.Response(404))

    connector.fetch(CREDS, account="a", refs=[MessageRef("a/b?c#d=", "t")])

    assert (
        recorder.requests[0].url.raw_path.decode().startswith("/v1.0/me/messages/a%2Fb%3Fc%23d%3D?")
    )


def test_fetch_mime_errors_are_mapped(make: Make) -> None:
    message = load("message.json")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/$value"):
            return httpx.Response(503, headers={"Retry-After": "2.128"})
        return httpx.Response(200, json=message)

    connector, _ = make(handler)

    with pytest.raises(RateLimited) as caught:
        connector.fetch(CREDS, account="a", refs=[MessageRef(message["id"], "t")])
    assert caught.value.retry_after == pytest.approx(2.128)


# Subscriptions


def test_watch_creates_a_subscription(make: Make) -> None:
    created = load("subscription_create_response.json")
    connector, recorder = make(lambda _: httpx.Response(201, json=created))

    watch = connector.watch(CREDS, account="alex")

    request = recorder.requests[0]
    body = json.loads(request.content)
    assert (request.method, str(request.url)) == ("POST", f"{API}/subscriptions")
    assert body == {
        "changeType": "created",
        "notificationUrl": HOOK,
        "lifecycleNotificationUrl": HOOK,
        "resource": "me/mailFolders('inbox')/messages",
        "expirationDateTime": "2024-06-23T08:30:00Z",  # NOW + 4230 minutes
        "clientState": body["clientState"],
        "latestSupportedTlsVersion": "v1_2",
    }
    assert 32 <= len(body["clientState"]) <= 128
    assert watch == Watch(
        cursor="",
        expires_at=datetime(2024, 6, 23, 8, 30, tzinfo=UTC),
        external_id=created["id"],
        secret=body["clientState"],
    )


def test_each_subscription_gets_a_fresh_client_state(make: Make) -> None:
    connector, _ = make(
        lambda _: httpx.Response(201, json=load("subscription_create_response.json"))
    )

    secrets = {connector.watch(CREDS, account="a").secret for _ in range(3)}

    assert len(secrets) == 3


def test_watch_renews_the_current_subscription(make: Make) -> None:
    renewed = load("subscription_create_response.json")
    renewed["expirationDateTime"] = "2024-06-23T08:30:00.1234567+00:00"
    connector, recorder = make(lambda _: httpx.Response(200, json=renewed))
    current = Watch("", NOW, external_id=renewed["id"], secret="stored-state")

    watch = connector.watch(CREDS, account="alex", current=current)

    [request] = recorder.requests
    assert (request.method, request.url.path) == ("PATCH", f"/v1.0/subscriptions/{renewed['id']}")
    assert json.loads(request.content) == {"expirationDateTime": "2024-06-23T08:30:00Z"}
    assert watch.external_id == renewed["id"]
    assert watch.secret == "stored-state"
    assert watch.expires_at == datetime(2024, 6, 23, 8, 30, 0, 123456, tzinfo=UTC)


def test_watch_recreates_when_the_subscription_is_gone(make: Make) -> None:
    created = load("subscription_create_response.json")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            return httpx.Response(404, json={"error": {"code": "ResourceNotFound"}})
        return httpx.Response(201, json=created)

    connector, recorder = make(handler)
    current = Watch("", NOW, external_id="gone", secret="old-state")

    watch = connector.watch(CREDS, account="alex", current=current)

    assert [r.method for r in recorder.requests] == ["PATCH", "POST"]
    assert watch.external_id == created["id"]
    assert watch.secret not in (None, "old-state")


def test_watch_without_a_stored_secret_creates_a_new_subscription(make: Make) -> None:
    connector, recorder = make(
        lambda _: httpx.Response(201, json=load("subscription_create_response.json"))
    )

    connector.watch(CREDS, account="a", current=Watch("", NOW, external_id="sub", secret=None))

    assert [r.method for r in recorder.requests] == ["POST"]


def test_watch_validation_failure_is_a_connector_error(make: Make) -> None:
    body = {
        "error": {
            "code": "InvalidRequest",
            "message": "Subscription validation request failed. Notification endpoint must"
            " respond with 200 OK to validation request.",
        }
    }
    connector, _ = make(lambda _: httpx.Response(400, json=body))

    with pytest.raises(ConnectorError, match="validate") as caught:
        connector.watch(CREDS, account="a")

    assert type(caught.value) is ConnectorError


def test_watch_server_error_is_unavailable(make: Make) -> None:
    connector, _ = make(lambda _: httpx.Response(502))

    with pytest.raises(ProviderUnavailable):
        connector.watch(CREDS, account="a", current=Watch("", NOW, external_id="s", secret="x"))


def test_watch_unexpected_shape(make: Make) -> None:
    connector, _ = make(lambda _: httpx.Response(201, json={"id": "s"}))

    with pytest.raises(ConnectorError, match="SubscriptionResponse"):
        connector.watch(CREDS, account="a")


# Tokens


def test_refresh_stores_the_rotated_token(make: Make) -> None:
    token = load("token_refresh_response.json")
    connector, recorder = make(lambda _: httpx.Response(200, json=token))

    grant = connector.refresh("1.old-refresh")

    assert grant.access_token == token["access_token"]
    assert grant.refresh_token == token["refresh_token"]
    assert grant.expires_at == NOW + timedelta(seconds=4872)
    request = recorder.requests[0]
    assert str(request.url) == f"{LOGIN}/common/oauth2/v2.0/token"
    assert dict(httpx.QueryParams(request.content.decode())) == {
        "grant_type": "refresh_token",
        "client_id": "client-id",
        "client_secret": "client-secret",
        "refresh_token": "1.old-refresh",
        "scope": "offline_access https://graph.microsoft.com/Mail.Read",
    }


def test_refresh_uses_the_configured_tenant(make: Make) -> None:
    connector, recorder = make(
        lambda _: httpx.Response(200, json=load("token_refresh_response.json")), tenant="contoso"
    )

    connector.refresh("r")

    assert recorder.requests[0].url.path == "/contoso/oauth2/v2.0/token"


def test_refresh_invalid_grant_is_auth_expired_with_the_aadsts_code(make: Make) -> None:
    connector, _ = make(lambda _: httpx.Response(400, json=load("token_invalid_grant.json")))

    with pytest.raises(AuthExpired) as caught:
        connector.refresh("1.secret-refresh-token")

    assert "AADSTS700082" in str(caught.value)
    assert "secret-refresh-token" not in str(caught.value)


def test_refresh_invalid_client_is_not_auth_expired(make: Make) -> None:
    connector, _ = make(lambda _: httpx.Response(401, json={"error": "invalid_client"}))

    with pytest.raises(ConnectorError) as caught:
        connector.refresh("r")

    assert not isinstance(caught.value, AuthExpired)


def test_refresh_outage_is_unavailable(make: Make) -> None:
    connector, _ = make(lambda _: httpx.Response(503))

    with pytest.raises(ProviderUnavailable):
        connector.refresh("r")


# Reply drafts

ORIGINAL_ID = "AAMkAD/original+id="
DRAFT = MailDraft(
    answers=ORIGINAL_ID,
    thread_id="AAQkAD-conversation=",
    rfc_message_id="original@mail.example.net",
    references=("root@mail.example.net",),
    subject="Quarterly numbers",
    to=(Address("Zoë Müller", "zoe@example.de"), Address("", "bare@example.net")),
    cc=(Address("Nobody", ""), Address("Ops", "ops@example.net")),
    body="Tom & Jerry <b>said</b>:\nGrüße",
)


NOT_FOUND = {"error": {"code": "ErrorItemNotFound", "message": "Not found."}}


def draft_created(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        201,
        json={"id": "AAMkAD-draft=", "conversationId": "AAQkAD-conversation=", "isDraft": True},
    )


def test_save_draft_posts_create_reply_with_the_comment_and_recipients(make: Make) -> None:
    connector, recorder = make(draft_created)

    draft_id = connector.save_draft(CREDS, account="alex", draft=DRAFT)

    assert draft_id == "AAMkAD-draft="
    [request] = recorder.requests
    assert request.method == "POST"
    # The id is one path segment, whatever it holds.
    assert request.url.raw_path == b"/v1.0/me/messages/AAMkAD%2Foriginal%2Bid%3D/createReply"
    assert request.headers["authorization"] == "Bearer EwB-test-token"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "comment": "Tom & Jerry <b>said</b>:\nGrüße",
        "message": {
            "toRecipients": [
                {"emailAddress": {"address": "zoe@example.de", "name": "Zoë Müller"}},
                {"emailAddress": {"address": "bare@example.net"}},
            ],
            # An address without an addr-spec is left out.
            "ccRecipients": [{"emailAddress": {"address": "ops@example.net", "name": "Ops"}}],
        },
    }


def test_save_draft_without_recipients_leaves_graph_its_default(make: Make) -> None:
    connector, recorder = make(draft_created)
    draft = MailDraft(ORIGINAL_ID, None, None, (), "Hi", to=(), cc=(Address("x", ""),), body="")

    connector.save_draft(CREDS, account="alex", draft=draft)

    assert json.loads(recorder.requests[0].content) == {"comment": ""}


@pytest.mark.parametrize(
    ("response", "error", "match"),
    [
        (httpx.Response(401), AuthExpired, "401"),
        (httpx.Response(429, headers={"Retry-After": "7"}), RateLimited, "429"),
        (httpx.Response(503), ProviderUnavailable, "503"),
        (httpx.Response(404, json=NOT_FOUND), ConnectorError, "gone"),
        (httpx.Response(403), ConnectorError, "Mail.ReadWrite"),
        (httpx.Response(400), ConnectorError, "400"),
        (httpx.Response(201, json={"isDraft": True}), ConnectorError, "shape"),
    ],
)
def test_save_draft_errors(
    make: Make, response: httpx.Response, error: type[ConnectorError], match: str
) -> None:
    connector, _ = make(lambda request: response)

    with pytest.raises(ConnectorError, match=match) as caught:
        connector.save_draft(CREDS, account="alex", draft=DRAFT)

    assert type(caught.value) is error
    if error is RateLimited:
        assert isinstance(caught.value, RateLimited)
        assert caught.value.retry_after == 7


def test_save_draft_for_no_message_sends_nothing(make: Make) -> None:
    connector, _ = make(unreachable)
    draft = MailDraft("", None, None, (), "Hi", to=(), body="x")

    with pytest.raises(ConnectorError, match="answers no message"):
        connector.save_draft(CREDS, account="alex", draft=draft)
