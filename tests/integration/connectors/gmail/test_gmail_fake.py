"""The real GmailConnector and PushVerifier against GmailFake over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.errors import AuthExpired, CursorExpired, RateLimited, WebhookRejected
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.gmail.connector import GmailConnector
from connectors.gmail.fake import SANDBOX_REFRESH_TOKEN, GmailFake
from connectors.gmail.push import PushVerifier
from connectors.types import Credentials, MessageRef, WebhookRequest

ALEX = "alex@example.com"
AUDIENCE = "https://hub.example.com/webhooks/gmail"
SERVICE_ACCOUNT = "gmail-push@inbox-hub.iam.gserviceaccount.com"
JORDAN_THREAD = "18f2a7c4e9b1d305"


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Env:
    fake: GmailFake
    server: RunningServer
    http: httpx.Client
    verifier: PushVerifier
    connector: GmailConnector

    def credentials(self) -> Credentials:
        grant = self.connector.refresh(SANDBOX_REFRESH_TOKEN)
        return Credentials(grant.access_token, SANDBOX_REFRESH_TOKEN, grant.expires_at)


@pytest.fixture
def env(signing_key: rsa.RSAPrivateKey) -> Iterator[Env]:
    fake = GmailFake(signing_key=signing_key, history_retention=50)
    fake.seed_sandbox()
    with serve_in_thread(fake.asgi_app()) as server, httpx.Client(timeout=10) as http:
        verifier = PushVerifier(
            f"{server.base_url}/oauth2/v3/certs", AUDIENCE, SERVICE_ACCOUNT, http
        )
        connector = GmailConnector(
            http=http,
            api_url=server.base_url,
            oauth_url=server.base_url,
            client_id="client",
            client_secret="secret",
            push_verifier=verifier,
            history_page_size=2,
        )
        yield Env(fake, server, http, verifier, connector)


@dataclass
class Receiver:
    """A webhook endpoint that records pushes; optionally calls back into the fake."""

    requests: list[WebhookRequest] = field(default_factory=list)
    callback_status: list[int] = field(default_factory=list)
    callback_url: str | None = None

    async def handle(self, request: Request) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append(
            WebhookRequest("POST", request.url.path, headers, {}, await request.body())
        )
        if self.callback_url:
            url = self.callback_url
            self.callback_status.append(await run_in_threadpool(lambda: httpx.get(url).status_code))
        return Response(status_code=204)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    sink = Receiver()
    app = Starlette(routes=[Route("/webhooks/gmail", sink.handle, methods=["POST"])])
    with serve_in_thread(app) as server:
        yield sink, f"{server.base_url}/webhooks/gmail"


def test_watch_returns_the_mailbox_position(env: Env) -> None:
    watch = env.connector.watch(env.credentials(), account=ALEX)

    assert watch.cursor == "4812410"
    assert env.fake.mailbox(ALEX).watch_expiration_ms is not None
    assert env.fake.calls["watch"] == 1


def test_seeded_story_syncs_from_the_watch_point(env: Env) -> None:
    creds = env.credentials()

    batch = env.connector.changes_since(creds, account=ALEX, cursor="4812377")
    parsed = env.connector.fetch(creds, account=ALEX, refs=batch.added)

    assert batch.cursor == "4812410"
    assert [m.subject for m in parsed] == ["Quarterly report draft", "Re: Quarterly report draft"]
    assert {m.provider_thread_id for m in parsed} == {JORDAN_THREAD}
    assert parsed[1].visible_text.endswith("shared sheet.\n\nSam")
    assert "STARRED" in parsed[0].labels


def test_deliver_then_changes_since_and_fetch(env: Env) -> None:
    creds = env.credentials()
    cursor = env.connector.watch(creds, account=ALEX).cursor

    reply = env.fake.deliver(
        ALEX,
        "Jordan Lee <jordan.lee@example.org>",
        "Re: Quarterly report draft",
        "Updated numbers attached.\n\nOn Thu, Sam wrote:\n> figures",
        in_reply_to="CAC9w8v7u6T5s4r3q2p1o0n9m8l7k6j5i4h3g2f1e0D9c8B7a6@mail.example.net",
    )
    fresh = env.fake.deliver(ALEX, "ops@example.net", "New topic", "Hello")
    batch = env.connector.changes_since(creds, account=ALEX, cursor=cursor)
    parsed = env.connector.fetch(creds, account=ALEX, refs=batch.added)

    assert batch.added == (
        MessageRef(reply["message_id"], JORDAN_THREAD),
        MessageRef(fresh["message_id"], fresh["message_id"]),
    )
    assert int(batch.cursor) == int(fresh["history_id"]) > int(reply["history_id"]) > int(cursor)
    assert parsed[0].visible_text == "Updated numbers attached."
    assert parsed[0].references[-1].startswith("CAC9w8v7")
    assert parsed[1].sender is not None
    assert parsed[1].sender.email == "ops@example.net"
    assert reply["push_status"] is None  # push not configured


def test_history_pages_are_followed_and_drafts_skipped(env: Env) -> None:
    creds = env.credentials()
    cursor = str(env.fake.history_id(ALEX))
    delivered = [
        env.fake.deliver(ALEX, "a@example.net", f"n{i}", "x")["message_id"] for i in range(5)
    ]
    env.fake.deliver(ALEX, "me@example.com", "draft", "x", label_ids=["DRAFT"])

    batch = env.connector.changes_since(creds, account=ALEX, cursor=cursor)

    assert [ref.message_id for ref in batch.added] == delivered
    assert env.fake.calls["history"] == 3  # 6 records, page size 2
    assert batch.cursor == str(env.fake.history_id(ALEX))


def test_raw_and_full_formats_agree(env: Env) -> None:
    token = env.credentials().access_token
    url = f"{env.server.base_url}/gmail/v1/users/me/messages/18f2a8e0c7a4b912"
    headers = {"Authorization": f"Bearer {token}"}
    full = env.http.get(url, params={"format": "full"}, headers=headers).json()
    raw = env.http.get(url, params={"format": "raw"}, headers=headers).json()

    assert raw["raw"].endswith("=") or len(raw["raw"]) % 4 == 0
    assert "payload" not in raw
    assert full["payload"]["parts"][0]["body"]["size"] == 253
    assert full["historyId"] == raw["historyId"]
    assert isinstance(full["internalDate"], str)


def test_stale_cursor_is_cursor_expired(env: Env) -> None:
    env.fake.expire_history(ALEX)

    with pytest.raises(CursorExpired):
        env.connector.changes_since(env.credentials(), account=ALEX, cursor="4812377")


def test_retention_window_forgets_old_cursors(env: Env) -> None:
    creds = env.credentials()
    for i in range(60):  # retention is 50 records
        env.fake.deliver(ALEX, "a@example.net", f"n{i}", "x")

    with pytest.raises(CursorExpired):
        env.connector.changes_since(creds, account=ALEX, cursor="4812410")


def test_rate_limit_with_retry_after(env: Env) -> None:
    creds = env.credentials()
    env.fake.fail_next("/gmail/v1/users/me/history", 429, retry_after=2)

    with pytest.raises(RateLimited) as caught:
        env.connector.changes_since(creds, account=ALEX, cursor="4812377")
    assert caught.value.retry_after == 2.0

    batch = env.connector.changes_since(creds, account=ALEX, cursor="4812377")
    assert len(batch.added) == 2


def test_user_rate_limit_403(env: Env) -> None:
    creds = env.credentials()
    env.fake.fail_next("/gmail/v1/users/me/messages", 403)

    with pytest.raises(RateLimited):
        env.connector.fetch(creds, account=ALEX, refs=[MessageRef(JORDAN_THREAD, JORDAN_THREAD)])


def test_unknown_access_token_is_auth_expired(env: Env) -> None:
    creds = env.credentials()
    env.fake.expire_access_tokens()

    with pytest.raises(AuthExpired):
        env.connector.recent(creds, account=ALEX, limit=10)


def test_refresh_and_invalid_grant(env: Env) -> None:
    grant = env.connector.refresh(SANDBOX_REFRESH_TOKEN)
    assert grant.access_token.startswith("ya29.fake-")

    recent = env.connector.recent(
        Credentials(grant.access_token, None, grant.expires_at), account=ALEX, limit=1
    )
    assert recent.added == (MessageRef("18f2a8e0c7a4b912", JORDAN_THREAD),)
    assert recent.cursor == "4812410"

    env.fake.revoke_refresh_token(SANDBOX_REFRESH_TOKEN)
    with pytest.raises(AuthExpired):
        env.connector.refresh(SANDBOX_REFRESH_TOKEN)


def test_deleted_message_is_skipped(env: Env) -> None:
    parsed = env.connector.fetch(
        env.credentials(), account=ALEX, refs=[MessageRef("ffffffffffffffff", "x")]
    )

    assert parsed == []


def test_delivered_push_verifies_and_parses(env: Env, receiver: tuple[Receiver, str]) -> None:
    sink, url = receiver
    env.fake.configure_push(url, AUDIENCE, SERVICE_ACCOUNT)

    result = env.fake.deliver(ALEX, "b@example.net", "Ping", "hello")

    assert result["push_status"] == 204
    [request] = sink.requests
    assert request.headers["user-agent"].startswith("APIs-Google")
    assert request.headers["from"] == "noreply@google.com"
    env.connector.verify(request)
    [notification] = env.connector.parse(request)
    assert notification.account_key == ALEX
    assert notification.payload["history_id"] == result["history_id"]
    assert json.loads(request.body)["message"]["messageId"] == notification.dedupe_key


def test_tampered_pushes_are_rejected(env: Env) -> None:
    headers, _ = env.fake.mint_push(ALEX, audience=AUDIENCE, service_account=SERVICE_ACCOUNT)
    token = headers["Authorization"]
    env.verifier.verify(token)

    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(WebhookRejected):
        env.verifier.verify(flipped)

    wrong_aud, _ = env.fake.mint_push(
        ALEX, audience="https://elsewhere.example.com", service_account=SERVICE_ACCOUNT
    )
    with pytest.raises(WebhookRejected, match="audience"):
        env.verifier.verify(wrong_aud["Authorization"])

    unverified, _ = env.fake.mint_push(
        ALEX,
        audience=AUDIENCE,
        service_account=SERVICE_ACCOUNT,
        claims={"email_verified": False},
    )
    with pytest.raises(WebhookRejected):
        env.verifier.verify(unverified["Authorization"])
    assert env.fake.calls["certs"] == 1


def test_control_endpoint_delivers_without_blocking_callbacks(
    env: Env, receiver: tuple[Receiver, str]
) -> None:
    sink, url = receiver
    sink.callback_url = f"{env.server.base_url}/oauth2/v3/certs"
    env.fake.configure_push(url, AUDIENCE, SERVICE_ACCOUNT)

    response = env.http.post(
        f"{env.server.base_url}/_fake/gmail/deliver",
        json={"to": ALEX, "from": "c@example.net", "subject": "Hi", "text": "from the README"},
    )

    assert response.status_code == 200
    assert response.json()["push_status"] == 204
    assert sink.callback_status == [200]  # the fake answered while its push was in flight
    assert env.fake.calls["deliver"] == 1


def test_wrong_user_id_is_refused(env: Env) -> None:
    token = env.credentials().access_token
    response = env.http.get(
        f"{env.server.base_url}/gmail/v1/users/someone@example.com/profile",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == 403
