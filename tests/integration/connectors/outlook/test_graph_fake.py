"""The real OutlookConnector against GraphFake over HTTP, with a receiver playing the hub."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from connectors.errors import (
    AuthExpired,
    ConnectorError,
    CursorExpired,
    ProviderUnavailable,
    RateLimited,
)
from connectors.fakemail import compose_message
from connectors.fakeserver import RunningServer, serve_in_thread
from connectors.mail.html import html_to_text
from connectors.mail.types import Address
from connectors.outlook.connector import OutlookConnector
from connectors.outlook.fake import SANDBOX_ADDRESS, SANDBOX_REFRESH_TOKEN, GraphFake
from connectors.outlook.fake_drafts import DRAFTS_FOLDER_ID
from connectors.outlook.fake_resources import INBOX_FOLDER_ID
from connectors.outlook.fake_sandbox import CONTRACT_CONVERSATION, CONTRACT_ID
from connectors.types import (
    Credentials,
    MailDraft,
    MessageRef,
    Notification,
    NotificationKind,
    Watch,
    WebhookRequest,
)
from tests.support.fakes import Switch

pytestmark = pytest.mark.integration

ALEX = SANDBOX_ADDRESS
CONTRACT_RFC_ID = "SA1PR12MB5678A1B2C3D4E5F6A7B8C9D0E1F2A3B@SA1PR12MB5678.namprd12.prod.outlook.com"


@dataclass
class Receiver:
    """The hub's POST /webhooks/outlook, reduced to the connector's own webhook calls.

    mode "echo" answers handshakes as the hub does; "empty", "html" and "error" answer
    them wrongly, as a misconfigured endpoint would.
    """

    connector: OutlookConnector | None = None
    mode: str = "echo"
    handshakes: list[str] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    sources: list[str | None] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        inbound = WebhookRequest(
            method=request.method,
            path=request.url.path,
            headers={k.lower(): v for k, v in request.headers.items()},
            query=dict(request.query_params),
            body=await request.body(),
        )
        assert self.connector is not None
        self.sources.append(inbound.query.get("source"))
        token = self.connector.challenge(inbound)
        if token is not None:
            self.handshakes.append(token)
            return self._answer(token)
        self.connector.verify(inbound)
        self.notifications += self.connector.parse(inbound)
        return Response(status_code=202)

    def _answer(self, token: str) -> Response:
        if self.mode == "empty":
            return PlainTextResponse("")
        if self.mode == "html":
            return Response(token, media_type="text/html")
        if self.mode == "error":
            return Response(status_code=500)
        return PlainTextResponse(token)


@pytest.fixture(scope="module")
def receiver_server() -> Iterator[tuple[Receiver, RunningServer]]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/webhooks/outlook", receiver.handle, methods=["POST"])])
    with serve_in_thread(app) as server:
        yield receiver, server


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def make_connector(
    http: httpx.Client,
    base_url: str,
    hook: str,
    clock: Clock,
    *,
    notification_url: str | None = None,
    client_secret: str = "secret",
    subscription_minutes: int = 4230,
    resync_days: int = 14,
) -> OutlookConnector:
    return OutlookConnector(
        http=http,
        api_url=f"{base_url}/v1.0",
        login_url=base_url,
        client_id="client",
        client_secret=client_secret,
        notification_url=notification_url or hook,
        subscription_minutes=subscription_minutes,
        resync_days=resync_days,
        clock=clock,
    )


@dataclass
class Env:
    fake: GraphFake
    server: RunningServer
    http: httpx.Client
    connector: OutlookConnector
    receiver: Receiver
    clock: Clock
    hook: str
    refresh_token: str = SANDBOX_REFRESH_TOKEN  # rotated by every refresh, as the hub stores it

    def credentials(self, refresh_token: str | None = None) -> Credentials:
        grant = self.connector.refresh(refresh_token or self.refresh_token)
        if refresh_token is None and grant.refresh_token:
            self.refresh_token = grant.refresh_token
        return Credentials(grant.access_token, grant.refresh_token, grant.expires_at)

    def connect(
        self,
        *,
        notification_url: str | None = None,
        client_secret: str = "secret",
        subscription_minutes: int = 4230,
        resync_days: int = 14,
    ) -> OutlookConnector:
        return make_connector(
            self.http,
            self.server.base_url,
            self.hook,
            self.clock,
            notification_url=notification_url,
            client_secret=client_secret,
            subscription_minutes=subscription_minutes,
            resync_days=resync_days,
        )

    def get(self, path: str, token: str, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return self.http.get(f"{self.server.base_url}{path}", params=params, headers=headers)


@pytest.fixture
def env(
    receiver_server: tuple[Receiver, RunningServer], fake_server: tuple[Switch, RunningServer]
) -> Iterator[Env]:
    receiver, receiver_http = receiver_server
    switch, server = fake_server
    fake = GraphFake(max_page_size=4, client_id="client", client_secret="secret")
    fake.seed_sandbox()
    switch.app = fake.asgi_app()
    clock = Clock()
    # A query string on the notification URL must survive every POST Graph makes.
    hook = f"{receiver_http.base_url}/webhooks/outlook?source=graph"
    with httpx.Client(timeout=10) as http:
        connector = make_connector(http, server.base_url, hook, clock)
        receiver.connector, receiver.mode = connector, "echo"
        receiver.handshakes.clear()
        receiver.notifications.clear()
        receiver.sources.clear()
        yield Env(fake, server, http, connector, receiver, clock, hook)


# Subscriptions and notifications


def test_watch_validates_both_urls_and_clientstate_comes_back(env: Env) -> None:
    creds = env.credentials()

    watch = env.connector.watch(creds, account=ALEX)

    stored = env.fake.subscriptions[watch.external_id]
    assert stored.client_state == watch.secret
    assert stored.notification_url == stored.lifecycle_url == env.hook
    assert stored.expires_at == watch.expires_at
    assert abs(watch.expires_at - (datetime.now(UTC) + timedelta(minutes=4230))) < timedelta(
        minutes=1
    )
    assert len(env.receiver.handshakes) == 2  # notificationUrl and lifecycleNotificationUrl
    assert all(h.startswith("Validation: Testing client") for h in env.receiver.handshakes)
    assert [v["ok"] for v in env.fake.validations] == [True, True]

    delivered = env.fake.deliver(ALEX, "Sam Ortiz <sam@example.net>", "Offsite", "Friday?")

    assert delivered["notification_statuses"] == [202]
    [notification] = env.receiver.notifications
    assert notification.kind is NotificationKind.CHANGES
    assert notification.subscription_id == watch.external_id
    assert notification.secret == watch.secret
    assert notification.payload["message_id"] == delivered["message_id"]
    assert notification.dedupe_key == f"{watch.external_id}:{delivered['message_id']}"
    assert env.receiver.sources == ["graph"] * 3  # the URL's own query string was kept
    assert env.fake.notifications == [
        {
            "kind": "change",
            "subscription_id": watch.external_id,
            "status": 202,
            "message_id": delivered["message_id"],
        }
    ]


def test_renewal_patches_the_same_subscription(env: Env) -> None:
    creds = env.credentials()
    first = env.connector.watch(creds, account=ALEX)
    env.clock.offset = timedelta(hours=1)

    renewed = env.connector.watch(creds, account=ALEX, current=first)

    assert renewed.external_id == first.external_id
    assert renewed.secret == first.secret
    assert abs((renewed.expires_at - first.expires_at).total_seconds() - 3600) <= 2
    assert env.fake.subscriptions[first.external_id].expires_at == renewed.expires_at
    assert env.fake.calls["subscriptions.create"] == 1
    assert env.fake.calls["subscriptions.update"] == 1
    assert len(env.receiver.handshakes) == 2  # the renewal is not re-validated


def test_a_gone_subscription_is_recreated(env: Env) -> None:
    creds = env.credentials()
    stale = Watch(
        "", datetime.now(UTC), external_id="00000000-0000-0000-0000-000000000000", secret="s"
    )

    watch = env.connector.watch(creds, account=ALEX, current=stale)

    assert watch.external_id != stale.external_id
    assert watch.secret not in (None, "s")
    assert list(env.fake.subscriptions) == [watch.external_id]
    assert env.fake.calls["subscriptions.update"] == 1
    assert env.fake.calls["subscriptions.create"] == 1


def test_subscription_removed_then_recreated(env: Env) -> None:
    creds = env.credentials()
    watch = env.connector.watch(creds, account=ALEX)

    assert env.fake.send_lifecycle(ALEX, "subscriptionRemoved") == [202]

    [removed] = env.receiver.notifications
    assert removed.kind is NotificationKind.WATCH_REMOVED
    assert (removed.subscription_id, removed.secret) == (watch.external_id, watch.secret)
    assert env.fake.subscriptions == {}
    recreated = env.connector.watch(creds, account=ALEX, current=watch)
    assert recreated.external_id != watch.external_id
    assert list(env.fake.subscriptions) == [recreated.external_id]


def test_lifecycle_events_in_both_shapes(env: Env) -> None:
    watch = env.connector.watch(env.credentials(), account=ALEX)

    env.fake.send_lifecycle(ALEX, "reauthorizationRequired")
    env.fake.send_lifecycle(ALEX, "reauthorizationRequired", observed_shape=True)
    env.fake.send_lifecycle(ALEX, "missed", observed_shape=True)

    kinds = [n.kind for n in env.receiver.notifications]
    assert kinds == [
        NotificationKind.WATCH_EXPIRING,
        NotificationKind.WATCH_EXPIRING,
        NotificationKind.MISSED,
    ]
    assert {n.secret for n in env.receiver.notifications} == {watch.secret}
    assert len({n.dedupe_key for n in env.receiver.notifications}) == 3


@pytest.mark.parametrize("mode", ["empty", "html", "error"])
def test_an_endpoint_that_does_not_echo_fails_the_subscription(env: Env, mode: str) -> None:
    creds = env.credentials()
    env.receiver.mode = mode

    with pytest.raises(ConnectorError, match="validate") as caught:
        env.connector.watch(creds, account=ALEX)

    assert type(caught.value) is ConnectorError
    assert env.fake.subscriptions == {}
    assert env.fake.validations[-1]["ok"] is False


def test_an_unreachable_endpoint_fails_the_subscription(env: Env) -> None:
    connector = env.connect(notification_url="http://127.0.0.1:9/webhooks/outlook")

    with pytest.raises(ConnectorError, match="validate"):
        connector.watch(env.credentials(), account=ALEX)

    assert env.fake.validations == [
        {"url": "http://127.0.0.1:9/webhooks/outlook", "status": None, "ok": False}
    ]


def test_a_lifetime_above_the_maximum_is_refused(env: Env) -> None:
    connector = env.connect(subscription_minutes=10081)

    with pytest.raises(ConnectorError):
        connector.watch(env.credentials(), account=ALEX)

    assert env.receiver.handshakes == []  # refused before any handshake


# Delta sync


def test_recent_then_deliver_then_changes_since(env: Env) -> None:
    creds = env.credentials()
    env.connector.watch(creds, account=ALEX)

    recent = env.connector.recent(creds, account=ALEX, limit=10)

    assert recent.added[0] == MessageRef(CONTRACT_ID, CONTRACT_CONVERSATION)
    assert len(recent.added) == 3
    assert recent.added[2].thread_id == CONTRACT_CONVERSATION  # Legal's reply
    assert recent.cursor.startswith(f"{env.server.base_url}/v1.0/me/mailFolders('inbox')/")
    assert "$deltatoken=" in recent.cursor

    delivered = env.fake.deliver(ALEX, "ops@example.net", "Build green", "All good.")
    [notification] = env.receiver.notifications
    batch = env.connector.changes_since(creds, account=ALEX, cursor=recent.cursor)

    assert batch.added == (MessageRef(delivered["message_id"], delivered["conversation_id"]),)
    assert notification.payload["message_id"] == delivered["message_id"]
    quiet = env.connector.changes_since(creds, account=ALEX, cursor=batch.cursor)
    assert quiet.added == ()
    assert "$deltatoken=" in quiet.cursor


def test_delta_pages_are_followed_and_removals_skipped(env: Env) -> None:
    creds = env.credentials()
    start = datetime.now(UTC) - timedelta(hours=12)
    for hour in range(7):
        raw = compose_message(ALEX, "a@example.net", f"n{hour}", "x")
        env.fake.add_message(ALEX, raw, received=start + timedelta(hours=hour))

    recent = env.connector.recent(creds, account=ALEX, limit=5)

    box = env.fake.mailbox(ALEX)
    by_time = sorted(box.messages.values(), key=lambda m: m.received)
    assert [r.message_id for r in recent.added] == [m.id for m in by_time[-5:]]
    assert env.fake.calls["delta"] == 3  # 10 messages, page size 4

    env.fake.delete_message(ALEX, by_time[0].id)
    new = [env.fake.deliver(ALEX, "b@example.net", f"m{i}", "y")["message_id"] for i in range(5)]
    env.fake.delete_message(ALEX, new[1])  # came and went within the round
    batch = env.connector.changes_since(creds, account=ALEX, cursor=recent.cursor)

    assert [r.message_id for r in batch.added] == [new[0], *new[2:]]
    assert env.fake.calls["delta"] == 5  # 1 removal + 4 new: two pages
    assert creds.access_token is not None
    first = env.http.get(recent.cursor, headers={"Authorization": f"Bearer {creds.access_token}"})
    second = env.http.get(
        first.json()["@odata.nextLink"], headers={"Authorization": f"Bearer {creds.access_token}"}
    )
    items = first.json()["value"] + second.json()["value"]
    assert [i["id"] for i in items if "@removed" in i] == [by_time[0].id]
    assert items[0] == {
        "@odata.type": "#microsoft.graph.message",
        "id": by_time[0].id,
        "@removed": {"reason": "deleted"},
    }
    selected = {"@odata.type", "@odata.etag", "id", "conversationId", "receivedDateTime"}
    assert set(items[1]) == selected  # the round's $select, baked into its links
    assert "@odata.deltaLink" in second.json()


def test_recent_only_looks_back_resync_days(env: Env) -> None:
    creds = env.credentials()
    old = compose_message(ALEX, "a@example.net", "Ancient", "x")
    env.fake.add_message(ALEX, old, received=datetime.now(UTC) - timedelta(days=30))

    recent = env.connector.recent(creds, account=ALEX, limit=10)
    wider = env.connect(resync_days=45).recent(creds, account=ALEX, limit=10)

    assert len(recent.added) == 3
    assert len(wider.added) == 4


def test_expired_delta_state_is_cursor_expired(env: Env) -> None:
    creds = env.credentials()
    cursor = env.connector.recent(creds, account=ALEX, limit=10).cursor
    env.fake.expire_delta(ALEX)

    with pytest.raises(CursorExpired):
        env.connector.changes_since(creds, account=ALEX, cursor=cursor)

    fresh = env.connector.recent(creds, account=ALEX, limit=10)
    assert env.connector.changes_since(creds, account=ALEX, cursor=fresh.cursor).added == ()


def test_delta_state_of_another_mailbox_is_gone(env: Env) -> None:
    env.fake.add_account("sam@contoso.example.com", "sam-refresh")
    alex_cursor = env.connector.recent(env.credentials(), account=ALEX, limit=1).cursor

    with pytest.raises(CursorExpired):
        env.connector.changes_since(
            env.credentials("sam-refresh"), account="sam@contoso.example.com", cursor=alex_cursor
        )


# Fetch


def test_fetch_parses_messages_and_skips_deleted_ones(env: Env) -> None:
    creds = env.credentials()
    reply = env.fake.deliver(
        ALEX,
        "Morgan Patel <morgan.patel@contoso.example.com>",
        "RE: Vendor contract - signature needed",
        "Signed copy attached tomorrow.\n\nOn Thu, Alex wrote:\n> Will do.",
        in_reply_to=f"<{CONTRACT_RFC_ID}>",
    )
    gone = env.fake.deliver(ALEX, "x@example.net", "Oops", "recalled")
    env.fake.delete_message(ALEX, gone["message_id"])
    refs = [
        MessageRef(reply["message_id"], reply["conversation_id"]),
        MessageRef(gone["message_id"], gone["conversation_id"]),
        MessageRef(CONTRACT_ID, CONTRACT_CONVERSATION),
    ]

    parsed = env.connector.fetch(creds, account=ALEX, refs=refs)

    assert [m.provider_id for m in parsed] == [reply["message_id"], CONTRACT_ID]
    answer, contract = parsed
    assert answer.subject == "RE: Vendor contract - signature needed"
    assert answer.sender is not None
    assert answer.sender.email == "morgan.patel@contoso.example.com"
    assert answer.provider_thread_id == CONTRACT_CONVERSATION
    assert answer.in_reply_to == CONTRACT_RFC_ID
    assert answer.message_id == reply["internet_message_id"]
    assert answer.visible_text == "Signed copy attached tomorrow."
    assert answer.raw is not None
    assert contract.labels == ("Legal",)
    assert [a.filename for a in contract.attachments] == ["contract-v3.pdf"]
    assert contract.message_id == CONTRACT_RFC_ID


# Tokens and errors


def test_refresh_rotates_and_the_old_token_is_spent(env: Env) -> None:
    env.fake.add_account("sam@contoso.example.com", "1.first-refresh")

    grant = env.connector.refresh("1.first-refresh")

    assert grant.refresh_token not in (None, "1.first-refresh")
    assert grant.expires_at > datetime.now(UTC) + timedelta(minutes=60)
    with pytest.raises(AuthExpired) as caught:
        env.connector.refresh("1.first-refresh")
    assert "AADSTS70008" in str(caught.value)
    assert "first-refresh" not in str(caught.value)
    assert grant.refresh_token is not None
    again = env.connector.refresh(grant.refresh_token)
    creds = Credentials(again.access_token, again.refresh_token, again.expires_at)
    assert env.connector.recent(creds, account="sam@contoso.example.com", limit=5).added == ()


def test_revoked_refresh_token_is_auth_expired(env: Env) -> None:
    env.fake.revoke_refresh_token(SANDBOX_REFRESH_TOKEN)

    with pytest.raises(AuthExpired):
        env.connector.refresh(SANDBOX_REFRESH_TOKEN)


def test_wrong_client_secret_is_not_auth_expired(env: Env) -> None:
    with pytest.raises(ConnectorError) as caught:
        env.connect(client_secret="wrong").refresh(SANDBOX_REFRESH_TOKEN)

    assert not isinstance(caught.value, AuthExpired)


def test_throttling_with_a_fractional_retry_after(env: Env) -> None:
    creds = env.credentials()
    env.fake.fail_next("/v1.0/me/mailFolders", 429, retry_after=2.128)

    with pytest.raises(RateLimited) as caught:
        env.connector.recent(creds, account=ALEX, limit=10)
    assert caught.value.retry_after == pytest.approx(2.128)

    assert len(env.connector.recent(creds, account=ALEX, limit=10).added) == 3


def test_outage_on_fetch_is_unavailable(env: Env) -> None:
    creds = env.credentials()
    env.fake.fail_next("/v1.0/me/messages", 500)

    with pytest.raises(ProviderUnavailable):
        env.connector.fetch(creds, account=ALEX, refs=[MessageRef(CONTRACT_ID, "t")])


@pytest.mark.parametrize("token", ["unknown", "expired"])
def test_bad_access_tokens_are_auth_expired(env: Env, token: str) -> None:
    access = (
        "EwB-not-issued" if token == "unknown" else env.fake.issue_access_token(ALEX, expires_in=-1)
    )
    creds = Credentials(access, None, None)

    with pytest.raises(AuthExpired):
        env.connector.recent(creds, account=ALEX, limit=1)
    with pytest.raises(AuthExpired):
        env.connector.watch(creds, account=ALEX)


# The fake's own wire shapes


def test_message_resource_select_value_and_attachments(env: Env) -> None:
    token = env.fake.issue_access_token(ALEX)
    path = f"/v1.0/me/messages/{CONTRACT_ID}"

    full = env.get(path, token).json()
    selected = env.get(path, token, **{"$select": "subject,uniqueBody"}).json()
    value = env.get(f"{path}/$value", token)
    attachments = env.get(f"{path}/attachments", token).json()["value"]
    by_upn = env.get(f"/v1.0/users/{ALEX}/messages/{CONTRACT_ID}", token)

    assert full["conversationId"] == CONTRACT_CONVERSATION
    assert full["categories"] == ["Legal"]
    assert "Please sign the attached vendor contract" in full["body"]["content"]
    assert "uniqueBody" not in full
    assert full["internetMessageId"] == f"<{CONTRACT_RFC_ID}>"
    assert set(selected) == {"@odata.context", "@odata.etag", "id", "subject", "uniqueBody"}
    assert selected["uniqueBody"]["content"].startswith("<html>")
    assert value.headers["content-type"] == "text/plain"
    assert value.content.startswith(b"From: Morgan Patel")
    assert [a["name"] for a in attachments] == ["contract-v3.pdf"]
    assert attachments[0]["@odata.type"] == "#microsoft.graph.fileAttachment"
    assert by_upn.json()["id"] == CONTRACT_ID


def test_graph_errors_have_graph_bodies(env: Env) -> None:
    token = env.fake.issue_access_token(ALEX)

    missing = env.get("/v1.0/me/messages/AAMkAD-nope=", token)
    other_user = env.get("/v1.0/users/sam@contoso.example.com/messages/x", token)
    unauthenticated = env.http.get(f"{env.server.base_url}/v1.0/me/messages/x")
    no_subscription = env.http.delete(
        f"{env.server.base_url}/v1.0/subscriptions/nope",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "ErrorItemNotFound")
    assert (other_user.status_code, other_user.json()["error"]["code"]) == (
        403,
        "ErrorAccessDenied",
    )
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert no_subscription.status_code == 404
    assert "innerError" in no_subscription.json()["error"]


def test_subscription_crud(env: Env) -> None:
    creds = env.credentials()
    watch = env.connector.watch(creds, account=ALEX)
    assert creds.access_token is not None
    path = f"/v1.0/subscriptions/{watch.external_id}"

    listed = env.get("/v1.0/subscriptions", creds.access_token).json()["value"]
    one = env.get(path, creds.access_token).json()
    deleted = env.http.delete(
        f"{env.server.base_url}{path}", headers={"Authorization": f"Bearer {creds.access_token}"}
    )

    assert [s["id"] for s in listed] == [watch.external_id]
    assert one["clientState"] == watch.secret
    assert one["resource"] == "me/mailFolders('inbox')/messages"
    assert one["expirationDateTime"].endswith("0Z")  # 7 fractional digits, as Graph writes
    assert deleted.status_code == 204
    assert env.get(path, creds.access_token).status_code == 404


def test_control_endpoints(env: Env) -> None:
    env.connector.watch(env.credentials(), account=ALEX)
    base = env.server.base_url

    delivered = env.http.post(
        f"{base}/_fake/outlook/deliver",
        json={"to": ALEX, "from": "c@example.net", "subject": "Hi", "text": "from the README"},
    )
    lifecycle = env.http.post(
        f"{base}/_fake/outlook/lifecycle", json={"address": ALEX, "event": "missed"}
    )
    bad = env.http.post(f"{base}/_fake/outlook/lifecycle", json={"address": ALEX, "event": "x"})
    failing = env.http.post(
        f"{base}/_fake/outlook/fail",
        json={"path_prefix": "/v1.0/me/messages", "status": 503, "retry_after": 1.5},
    )
    with pytest.raises(RateLimited) as caught:
        env.connector.fetch(env.credentials(), account=ALEX, refs=[MessageRef(CONTRACT_ID, "t")])
    calls = env.http.get(f"{base}/_fake/outlook/calls").json()["calls"]

    assert delivered.json()["notification_statuses"] == [202]
    assert lifecycle.json() == {"statuses": [202]}
    assert bad.status_code == 400
    assert failing.json() == {"ok": True}
    assert caught.value.retry_after == 1.5
    assert (calls["control.deliver"], calls["control.lifecycle"], calls["messages.get"]) == (
        1,
        2,
        1,
    )
    assert [n.kind for n in env.receiver.notifications] == [
        NotificationKind.CHANGES,
        NotificationKind.MISSED,
    ]


# Reply drafts

MORGAN = {"name": "Morgan Patel", "address": "morgan.patel@contoso.example.com"}
BODY = "Tom & Jerry <script>alert(1)</script> signed.\nGrüße, Zoë — 日本語"


CONTRACT_REPLY = MailDraft(
    answers=CONTRACT_ID,
    thread_id=CONTRACT_CONVERSATION,
    rfc_message_id=CONTRACT_RFC_ID,
    references=(CONTRACT_RFC_ID,),
    subject="Vendor contract - signature needed",
    to=(Address("Mörgan Patel", "morgan.patel@contoso.example.com"),),
    cc=(Address("Légal Team", "legal@contoso.example.com"), Address("", "ops@example.net")),
    body=BODY,
)


def reply_draft(answers: str = CONTRACT_ID, **changes: Any) -> MailDraft:
    return replace(CONTRACT_REPLY, answers=answers, **changes)


def test_save_draft_replies_in_the_thread(env: Env) -> None:
    creds = env.credentials()

    draft_id = env.connector.save_draft(creds, account=ALEX, draft=reply_draft())

    [draft] = env.fake.drafts(ALEX)
    assert draft.id == draft_id
    assert draft_id not in env.fake.mailbox(ALEX).messages  # not in the Inbox
    assert (draft.answers, draft.conversation_id) == (CONTRACT_ID, CONTRACT_CONVERSATION)
    assert draft.subject == "RE: Vendor contract - signature needed"
    assert draft.to == [
        {"emailAddress": {"name": "Mörgan Patel", "address": "morgan.patel@contoso.example.com"}}
    ]
    assert draft.cc == [
        {"emailAddress": {"name": "Légal Team", "address": "legal@contoso.example.com"}},
        {"emailAddress": {"name": "ops@example.net", "address": "ops@example.net"}},
    ]
    assert draft.body["contentType"] == "html"
    content = draft.body["content"]
    assert "<script>" not in content
    assert "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; signed." in content
    assert "Grüße, Zoë — 日本語" in content
    text = html_to_text(content)
    # What the owner sees: the text literally, above the quoted original.
    assert "Tom & Jerry <script>alert(1)</script> signed." in text
    assert text.index("Grüße, Zoë") < text.index("Please sign the attached vendor contract")
    assert env.fake.calls["messages.createReply"] == 1

    assert creds.access_token is not None
    served = env.get(f"/v1.0/me/messages/{draft_id}", creds.access_token).json()
    assert served["isDraft"] is True
    assert served["parentFolderId"] == DRAFTS_FOLDER_ID != INBOX_FOLDER_ID
    assert served["conversationId"] == CONTRACT_CONVERSATION
    assert served["body"] == draft.body
    assert served["from"]["emailAddress"]["address"] == ALEX


def test_a_draft_without_recipients_answers_the_sender_once_re(env: Env) -> None:
    creds = env.credentials()
    delivered = env.fake.deliver(ALEX, "Sam Ortiz <sam@example.net>", "Re: Offsite", "Friday?")

    env.connector.save_draft(
        creds, account=ALEX, draft=reply_draft(delivered["message_id"], to=(), cc=(), body="")
    )
    env.connector.save_draft(creds, account=ALEX, draft=reply_draft(to=(), cc=()))

    offsite, contract = env.fake.drafts(ALEX)
    assert offsite.subject == "RE: Offsite"  # one prefix, as Exchange writes it
    assert offsite.to == [{"emailAddress": {"name": "Sam Ortiz", "address": "sam@example.net"}}]
    assert offsite.cc == []
    assert offsite.conversation_id == delivered["conversation_id"]
    assert contract.to == [{"emailAddress": MORGAN}]


def test_a_saved_draft_is_not_synced_or_notified(env: Env) -> None:
    creds = env.credentials()
    env.connector.watch(creds, account=ALEX)
    cursor = env.connector.recent(creds, account=ALEX, limit=10).cursor

    draft_id = env.connector.save_draft(creds, account=ALEX, draft=reply_draft())

    batch = env.connector.changes_since(creds, account=ALEX, cursor=cursor)
    assert batch.added == ()
    assert env.receiver.notifications == []
    assert env.fake.notifications == []
    resync = env.connector.recent(creds, account=ALEX, limit=10)
    assert draft_id not in {ref.message_id for ref in resync.added}
    assert len(resync.added) == 3
    # The round still reports what does arrive in the Inbox.
    delivered = env.fake.deliver(ALEX, "ops@example.net", "Build green", "All good.")
    later = env.connector.changes_since(creds, account=ALEX, cursor=batch.cursor)
    assert [ref.message_id for ref in later.added] == [delivered["message_id"]]
    assert len(env.receiver.notifications) == 1


@pytest.mark.parametrize(
    ("status", "retry_after", "error"),
    [(429, 3.0, RateLimited), (503, None, ProviderUnavailable), (500, None, ProviderUnavailable)],
)
def test_save_draft_failures_are_retryable(
    env: Env, status: int, retry_after: float | None, error: type[ConnectorError]
) -> None:
    creds = env.credentials()
    env.fake.fail_next("/v1.0/me/messages", status, retry_after=retry_after)

    with pytest.raises(ConnectorError) as caught:
        env.connector.save_draft(creds, account=ALEX, draft=reply_draft())

    assert type(caught.value) is error
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == retry_after
    assert env.fake.drafts(ALEX) == []
    env.connector.save_draft(creds, account=ALEX, draft=reply_draft())  # the retry succeeds
    assert len(env.fake.drafts(ALEX)) == 1


@pytest.mark.parametrize("token", ["unknown", "expired"])
def test_save_draft_with_a_refused_token_is_auth_expired(env: Env, token: str) -> None:
    access = (
        "EwB-not-issued" if token == "unknown" else env.fake.issue_access_token(ALEX, expires_in=-1)
    )

    with pytest.raises(AuthExpired):
        env.connector.save_draft(Credentials(access, None, None), account=ALEX, draft=reply_draft())

    assert env.fake.drafts(ALEX) == []


def test_save_draft_for_a_gone_message_is_not_retryable(env: Env) -> None:
    creds = env.credentials()
    env.fake.delete_message(ALEX, CONTRACT_ID)

    with pytest.raises(ConnectorError, match="gone") as caught:
        env.connector.save_draft(creds, account=ALEX, draft=reply_draft())

    assert type(caught.value) is ConnectorError
    assert env.fake.drafts(ALEX) == []


def test_create_reply_wire_shapes(env: Env) -> None:
    token = env.fake.issue_access_token(ALEX)
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{env.server.base_url}/v1.0"

    def post(path: str, *, json: Any = None, content: bytes | None = None) -> httpx.Response:
        return env.http.post(f"{base}{path}", headers=headers, json=json, content=content)

    by_upn = post(f"/users/{ALEX}/messages/{CONTRACT_ID}/createReply", json={"comment": "ok"})
    empty = post(f"/me/messages/{CONTRACT_ID}/createReply")
    missing = post("/me/messages/AAMkAD-nope=/createReply", json={"comment": "x"})
    both = post(
        f"/me/messages/{CONTRACT_ID}/createReply",
        json={"comment": "x", "message": {"body": {"contentType": "text", "content": "y"}}},
    )
    bad_json = post(f"/me/messages/{CONTRACT_ID}/createReply", content=b"{not json")
    bad_recipient = post(
        f"/me/messages/{CONTRACT_ID}/createReply",
        json={"message": {"toRecipients": [{"emailAddress": {"name": "no address"}}]}},
    )
    other_user = post(f"/users/sam@contoso.example.com/messages/{CONTRACT_ID}/createReply")
    unauthenticated = env.http.post(f"{base}/me/messages/{CONTRACT_ID}/createReply", json={})

    assert by_upn.status_code == 201
    created = by_upn.json()
    assert created["@odata.context"].endswith("/messages/$entity")
    assert created["@odata.etag"].startswith('W/"')
    assert (created["isDraft"], created["parentFolderId"]) == (True, DRAFTS_FOLDER_ID)
    assert created["conversationId"] == CONTRACT_CONVERSATION
    assert created["toRecipients"] == [{"emailAddress": MORGAN}]
    assert created["bodyPreview"] == "ok"
    assert empty.status_code == 201
    assert empty.json()["bodyPreview"] == ""
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "ErrorItemNotFound")
    assert "innerError" in missing.json()["error"]
    assert (both.status_code, bad_json.status_code) == (400, 400)
    assert bad_recipient.json()["error"]["code"] == "ErrorInvalidRecipients"
    assert other_user.status_code == 403
    assert unauthenticated.status_code == 401
    assert len(env.fake.drafts(ALEX)) == 2
