"""A local stand-in for Microsoft Graph (Outlook mail) and the identity platform's endpoints.

It answers what the connector calls with Graph's real shapes: subscriptions with the
validation handshake, change and lifecycle notifications (both lifecycle shapes),
delta rounds with nextLink/deltaLink/@removed and 410 syncStateNotFound, message
resources, $value and attachments, reply drafts (createReply) kept in a Drafts folder the
Inbox's delta and subscriptions never see, Graph error bodies, consent with PKCE and the
authorization_code grant, and refresh-token rotation with AADSTS errors. It checks
bearer tokens, counts requests and injects faults. Tests and the sandbox run it over
real HTTP with connectors.fakeserver.serve_in_thread.
"""

from __future__ import annotations

import base64
import random
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.fakemail import compose_message
from connectors.fakeserver import Faults
from connectors.mail.headers import parse_message_id
from connectors.outlook import fake_mail
from connectors.outlook.fake_auth import ACCESS_TOKEN_SECONDS, TokenStore
from connectors.outlook.fake_control import LIFECYCLE_EVENTS, control_routes, json_body
from connectors.outlook.fake_delta import DeltaGone, delta_page, delta_state
from connectors.outlook.fake_drafts import (
    InvalidDraft,
    StoredDraft,
    build_draft,
    parse_reply_request,
    render_draft,
)
from connectors.outlook.fake_notify import (
    VALIDATION_FAILED,
    change_notification,
    lifecycle_notification,
    post_notification,
    validate_endpoint,
)
from connectors.outlook.fake_resources import (
    FakeSubscription,
    Mailbox,
    StoredMessage,
    render_subscription,
    threading_headers,
)
from connectors.outlook.fake_sandbox import SANDBOX_ADDRESS, SANDBOX_REFRESH_TOKEN, sandbox_messages
from connectors.outlook.fake_subscriptions import InvalidRequest, SubscriptionRules
from connectors.outlook.fake_wire import graph_error, max_page_size, parse_select

DEFAULT_TENANT_ID = "5f0c3a2e-7b14-4e2b-9c1d-2a6e8f4b7c90"
DEFAULT_APPLICATION_ID = "6a2d9e41-1c3b-4f7a-8e5d-0b9c2f4a7d18"
_USER_PREFIXES = ("/v1.0/me", "/v1.0/users/{user}")

__all__ = [
    "ACCESS_TOKEN_SECONDS",
    "SANDBOX_ADDRESS",
    "SANDBOX_REFRESH_TOKEN",
    "GraphFake",
    "Mailbox",
    "StoredDraft",
    "StoredMessage",
]


_Endpoint = Callable[[Request], Awaitable[Response]]
_GraphHandler = Callable[[Request, Mailbox], Awaitable[Response]]


class GraphFake:
    """State plus a Starlette app; every public method is safe to call from any thread."""

    def __init__(
        self,
        *,
        max_subscription_minutes: int = 10080,
        default_page_size: int = 10,
        max_page_size: int = 1000,
        client_id: str | None = None,
        client_secret: str | None = None,
        tenant_id: str = DEFAULT_TENANT_ID,
        application_id: str = DEFAULT_APPLICATION_ID,
        require_https: bool = False,
        validate_on_renewal: bool = False,
        seed: int = 20240620,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        redirect_uris: Sequence[str] | None = None,
    ) -> None:
        self.calls: Counter[str] = Counter()
        self.subscriptions: dict[str, FakeSubscription] = {}
        self.notifications: list[dict[str, Any]] = []
        self.validations: list[dict[str, Any]] = []
        self.max_subscription_minutes = max_subscription_minutes
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self.tenant_id = tenant_id
        self.application_id = application_id
        self.require_https = require_https
        self.validate_on_renewal = validate_on_renewal
        self.tokens = TokenStore(
            clock, client_id=client_id, client_secret=client_secret, redirect_uris=redirect_uris
        )
        self._clock = clock
        self._rng = random.Random(seed)  # noqa: S311 - ids only need to look random
        # Delta tokens of another fake instance (a restarted sandbox) are unknown state.
        self._instance = secrets.token_hex(4)
        self._lock = threading.RLock()
        self._mailboxes: dict[str, Mailbox] = {}
        self._faults = Faults()

    # Accounts and tokens

    def add_account(self, address: str, refresh_token: str) -> Mailbox:
        """A mailbox with a refresh token; the first one added is who consents by default."""
        box = self.mailbox(address)
        self.tokens.add_refresh_token(refresh_token, box.address)
        self.tokens.authorization.add_account(box.address)
        return box

    def deny_next_consent(self, count: int = 1) -> None:
        """The next `count` consents come back to the redirect_uri as error=access_denied."""
        self.tokens.authorization.deny_next_consent(count)

    def expire_authorization_codes(self) -> None:
        self.tokens.authorization.expire_codes()

    def issue_access_token(self, address: str, *, expires_in: int = ACCESS_TOKEN_SECONDS) -> str:
        return self.tokens.issue_access_token(self.mailbox(address).address, expires_in)

    def expire_access_tokens(self) -> None:
        self.tokens.expire_access_tokens()

    def revoke_refresh_token(self, refresh_token: str) -> None:
        self.tokens.revoke_refresh_token(refresh_token)

    # Mailbox state

    def mailbox(self, address: str) -> Mailbox:
        with self._lock:
            return self._mailbox(address)

    def add_message(
        self,
        address: str,
        raw: bytes,
        *,
        conversation_id: str | None = None,
        received: datetime | None = None,
        categories: Sequence[str] = (),
        message_id: str | None = None,
    ) -> StoredMessage:
        """Store RFC 822 bytes unchanged; replies join their parent's conversation."""
        rfc_id, parent, references = threading_headers(raw)
        with self._lock:
            box = self._mailbox(address)
            new_id = message_id or self._new_id("AAMkAD", 48) + "AAA="
            conversation = conversation_id or self._conversation_for(box, parent, references)
            stored = StoredMessage(
                id=new_id,
                conversation_id=conversation or self._new_id("AAQkAD", 24) + "=",
                raw=raw,
                received=(received or self._clock()).astimezone(UTC),
                categories=list(categories),
                created_seq=0,
                change_key=self._new_id("CQAAABYAAABs3c+f0LgEQ6f5fMU0T1uEAA", 6),
                rfc_message_id=rfc_id,
                references=references,
            )
            stored.created_seq = box.record("created", new_id)
            box.messages[new_id] = stored
            return stored

    def delete_message(self, address: str, message_id: str) -> None:
        with self._lock:
            box = self._mailbox(address)
            if box.messages.pop(message_id, None) is not None:
                box.record("deleted", message_id)
            box.drafts.pop(message_id, None)  # the Drafts folder is not the Inbox's delta

    def drafts(self, address: str) -> list[StoredDraft]:
        """The mailbox's Drafts folder (createReply's drafts), oldest first."""
        with self._lock:
            return list(self._mailbox(address).drafts.values())

    def expire_delta(self, address: str) -> None:
        """Forget every delta state of the mailbox: old links then get 410 syncStateNotFound."""
        with self._lock:
            self._mailbox(address).delta_epoch += 1

    def fail_next(
        self, path_prefix: str, status: int, retry_after: float | None = None, count: int = 1
    ) -> None:
        """Answer the next `count` requests whose path starts with path_prefix with an error."""
        self._faults.add(path_prefix, status, retry_after, count)

    def seed_sandbox(
        self, *, address: str = SANDBOX_ADDRESS, refresh_token: str = SANDBOX_REFRESH_TOKEN
    ) -> None:
        """Put a vendor-contract conversation and a lunch question in the inbox."""
        self.add_account(address, refresh_token)
        for seed in sandbox_messages(self._clock()):
            self.add_message(
                address,
                seed.raw,
                conversation_id=seed.conversation_id,
                received=seed.received,
                categories=seed.categories,
                message_id=seed.message_id,
            )

    # Notifications

    def deliver(
        self,
        to: str,
        sender: str,
        subject: str,
        text: str,
        *,
        in_reply_to: str | None = None,
        received: datetime | None = None,
    ) -> dict[str, Any]:
        """Add a composed message to `to`'s inbox and notify every subscription of it."""
        with self._lock:
            box = self._mailbox(to)
            parent = self._find_rfc(box, in_reply_to) if in_reply_to else None
            raw = compose_message(
                to,
                sender,
                subject,
                text,
                in_reply_to=in_reply_to,
                references=parent.references if parent else (),
            )
            stored = self.add_message(to, raw, received=received)
            targets = [
                (subscription, self._change_body(subscription, box, stored))
                for subscription in self._live_subscriptions(box.address)
                if "created" in subscription.change_type.split(",")
            ]
        statuses = []
        for subscription, body in targets:  # outside the lock: receivers may call back
            status = post_notification(subscription.notification_url, body)
            statuses.append(status)
            self._note("change", subscription.id, status, message_id=stored.id)
        return {
            "message_id": stored.id,
            "conversation_id": stored.conversation_id,
            "internet_message_id": stored.rfc_message_id,
            "notification_statuses": statuses,
        }

    def send_lifecycle(
        self, address: str, event: str, *, observed_shape: bool = False
    ) -> list[int | None]:
        """POST a lifecycle event for every subscription of the mailbox with a lifecycle URL.

        subscriptionRemoved also removes the subscriptions, as Graph has by then. Returns
        the receivers' statuses (None where nothing answered).
        """
        if event not in LIFECYCLE_EVENTS:
            raise ValueError(f"unknown lifecycle event {event!r}")
        with self._lock:
            targets = []
            for subscription in self._live_subscriptions(address):
                if not subscription.lifecycle_url:
                    continue
                subscription.lifecycle_sequence += 1
                body = lifecycle_notification(
                    subscription, event, tenant_id=self.tenant_id, observed=observed_shape
                )
                targets.append((subscription, subscription.lifecycle_url, body))
                if event == "subscriptionRemoved":
                    del self.subscriptions[subscription.id]
        statuses = []
        for subscription, url, body in targets:
            status = post_notification(url, body)
            statuses.append(status)
            self._note("lifecycle", subscription.id, status, event=event)
        return statuses

    # ASGI

    def routes(self) -> list[BaseRoute]:
        one = "/v1.0/subscriptions/{subscription_id}"
        subscriptions: list[tuple[str, str, str, _GraphHandler]] = [
            ("/v1.0/subscriptions", "GET", "subscriptions.list", self._list_subscriptions),
            ("/v1.0/subscriptions", "POST", "subscriptions.create", self._create_subscription),
            (one, "GET", "subscriptions.get", self._get_subscription),
            (one, "PATCH", "subscriptions.update", self._renew_subscription),
            (one, "DELETE", "subscriptions.delete", self._delete_subscription),
        ]
        attachment = "/messages/{message_id}/attachments/{attachment_id}/$value"
        mail: list[tuple[str, str, _GraphHandler]] = [
            ("", "me", self._profile),
            ("/mailFolders/{folder}/messages/delta", "delta", self._delta),
            ("/mailFolders{folder}/messages/delta", "delta", self._delta),  # ('inbox')
            ("/messages/{message_id}", "messages.get", self._message),
            ("/messages/{message_id}/$value", "messages.value", self._message_value),
            ("/messages/{message_id}/attachments", "attachments.list", self._attachments),
            (attachment, "attachments.value", self._attachment_value),
        ]
        mail_actions: list[tuple[str, str, _GraphHandler]] = [
            ("/messages/{message_id}/createReply", "messages.createReply", self._create_reply),
        ]
        routes: list[BaseRoute] = [
            Route("/{tenant}/oauth2/v2.0/authorize", self._authorize, methods=["GET"]),
            Route("/{tenant}/oauth2/v2.0/token", self._token, methods=["POST"]),
            *control_routes(self, self._count_control),
        ]
        routes += [
            Route(path, self._graph(name, handler), methods=[method])
            for path, method, name, handler in subscriptions
        ]
        routes += [
            Route(prefix + path, self._graph(name, handler), methods=["GET"])
            for prefix in _USER_PREFIXES
            for path, name, handler in mail
        ]
        routes += [
            Route(prefix + path, self._graph(name, handler), methods=["POST"])
            for prefix in _USER_PREFIXES
            for path, name, handler in mail_actions
        ]
        return routes

    def asgi_app(self) -> Starlette:
        return Starlette(routes=self.routes())

    # Internals (_mailbox, _conversation_for, _find_rfc, _live_subscriptions: lock held)

    def _mailbox(self, address: str) -> Mailbox:
        key = address.strip().lower()
        box = self._mailboxes.get(key)
        if box is None:
            user_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            box = Mailbox(address=key, user_id=user_id)
            self._mailboxes[key] = box
        return box

    def _new_id(self, prefix: str, size: int) -> str:
        token = base64.urlsafe_b64encode(self._rng.randbytes(size)).decode().rstrip("=")
        return prefix + token

    def _conversation_for(
        self, box: Mailbox, parent: str | None, references: Sequence[str]
    ) -> str | None:
        wanted = {ref for ref in (parent, *references) if ref}
        for stored in box.messages.values():
            if stored.rfc_message_id in wanted:
                return stored.conversation_id
        return None

    def _find_rfc(self, box: Mailbox, rfc_id: str) -> StoredMessage | None:
        wanted = parse_message_id(rfc_id) or rfc_id.strip("<> ")
        return next((m for m in box.messages.values() if m.rfc_message_id == wanted), None)

    def _live_subscriptions(self, address: str) -> list[FakeSubscription]:
        """The mailbox's subscriptions; expired ones are gone, as Graph deletes them."""
        now = self._clock()
        for expired in [s.id for s in self.subscriptions.values() if s.expires_at <= now]:
            del self.subscriptions[expired]
        wanted = address.strip().lower()
        return [s for s in self.subscriptions.values() if s.address == wanted]

    def _change_body(
        self, subscription: FakeSubscription, box: Mailbox, stored: StoredMessage
    ) -> dict[str, Any]:
        return change_notification(
            subscription,
            user_id=box.user_id,
            tenant_id=self.tenant_id,
            message_id=stored.id,
            etag=f'W/"{stored.change_key}"',
        )

    def _note(self, kind: str, subscription_id: str, status: int | None, **extra: str) -> None:
        with self._lock:
            self.notifications.append(
                {"kind": kind, "subscription_id": subscription_id, "status": status} | extra
            )

    def _fault(self, request: Request) -> Response | None:
        fault = self._faults.take(request.url.path)
        return graph_error(fault.status, retry_after=fault.retry_after) if fault else None

    def _count_control(self, endpoint: str) -> None:
        with self._lock:
            self.calls[endpoint] += 1

    def _count(self, request: Request, endpoint: str) -> Response | None:
        with self._lock:
            self.calls[endpoint] += 1
        return self._fault(request)

    def _graph(self, endpoint: str, handler: _GraphHandler) -> _Endpoint:
        """Wrap a Graph handler: count, apply faults, authorize the bearer for the user."""

        async def guarded(request: Request) -> Response:
            fault = self._count(request, endpoint)
            if fault is not None:
                return fault
            owner = self.tokens.bearer_owner(request.headers.get("authorization", ""))
            if isinstance(owner, Response):
                return owner
            box = self.mailbox(owner)
            user = str(request.path_params.get("user", "me")).lower()
            if user not in ("me", box.address, box.user_id):
                return graph_error(403)
            return await handler(request, box)

        return guarded

    def _subscription(self, request: Request, box: Mailbox) -> FakeSubscription | None:
        with self._lock:
            self._live_subscriptions(box.address)
            found = self.subscriptions.get(request.path_params["subscription_id"])
            return found if found is not None and found.address == box.address else None

    def _rules(self) -> SubscriptionRules:
        return SubscriptionRules(
            self.max_subscription_minutes, self.require_https, self.application_id, self._clock
        )

    async def _handshakes(self, urls: Sequence[str]) -> bool:
        """Validate each URL in turn, off the event loop: the receiver may be this server."""
        for url in urls:
            handshake = await run_in_threadpool(validate_endpoint, url)
            with self._lock:
                self.validations.append(
                    {"url": url, "status": handshake.status, "ok": handshake.ok}
                )
            if not handshake.ok:
                return False
        return True

    def _stored(self, request: Request, box: Mailbox) -> StoredMessage | None:
        with self._lock:
            return box.messages.get(request.path_params["message_id"])

    # Identity platform

    async def _authorize(self, request: Request) -> Response:
        fault = self._count(request, "authorize")
        if fault is not None:
            return fault
        return self.tokens.authorize(request.query_params.multi_items())

    async def _token(self, request: Request) -> Response:
        fault = self._count(request, "token")
        if fault is not None:
            return fault
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        return self.tokens.grant(form)

    # Subscription handlers

    async def _create_subscription(self, request: Request, box: Mailbox) -> Response:
        body = json_body(await request.body())
        try:
            with self._lock:
                new_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            subscription = self._rules().create(
                body, subscription_id=new_id, address=box.address, creator_id=box.user_id
            )
        except InvalidRequest as exc:
            return graph_error(400, code=exc.code, message=str(exc))
        urls = [subscription.notification_url, subscription.lifecycle_url or ""]
        if not await self._handshakes([url for url in urls if url]):
            return graph_error(400, code="InvalidRequest", message=VALIDATION_FAILED)
        with self._lock:
            self.subscriptions[subscription.id] = subscription
        rendered = render_subscription(subscription, fake_mail.base_url(request))
        return JSONResponse(rendered, status_code=201)

    async def _renew_subscription(self, request: Request, box: Mailbox) -> Response:
        subscription = self._subscription(request, box)
        if subscription is None:
            return _subscription_not_found()
        body = json_body(await request.body())
        value = body.get("expirationDateTime") if isinstance(body, dict) else None
        try:
            when = self._rules().expiration(value, operation="Update")
        except InvalidRequest as exc:
            return graph_error(400, code=exc.code, message=str(exc))
        if self.validate_on_renewal and not await self._handshakes([subscription.notification_url]):
            return graph_error(400, code="InvalidRequest", message=VALIDATION_FAILED)
        with self._lock:
            subscription.expires_at = when
        return JSONResponse(render_subscription(subscription, fake_mail.base_url(request)))

    async def _get_subscription(self, request: Request, box: Mailbox) -> Response:
        subscription = self._subscription(request, box)
        if subscription is None:
            return _subscription_not_found()
        return JSONResponse(render_subscription(subscription, fake_mail.base_url(request)))

    async def _delete_subscription(self, request: Request, box: Mailbox) -> Response:
        subscription = self._subscription(request, box)
        if subscription is None:
            return _subscription_not_found()
        with self._lock:
            self.subscriptions.pop(subscription.id, None)
        return Response(status_code=204)

    async def _list_subscriptions(self, request: Request, box: Mailbox) -> Response:
        base = fake_mail.base_url(request)
        with self._lock:
            listed = [render_subscription(s, base) for s in self._live_subscriptions(box.address)]
        for item in listed:
            del item["@odata.context"]
        context = f"{base}/v1.0/$metadata#subscriptions"
        return JSONResponse({"@odata.context": context, "value": listed})

    # Mail handlers

    async def _profile(self, request: Request, box: Mailbox) -> Response:
        return fake_mail.profile_response(request, box)

    async def _delta(self, request: Request, box: Mailbox) -> Response:
        if request.path_params["folder"].strip("()'").lower() != "inbox":
            return graph_error(404, message="The specified folder could not be found in the store.")
        prefer = max_page_size(request.headers.get("prefer"))
        top = request.query_params.get("$top", "")
        wanted = prefer or (int(top) if top.isdigit() else self.default_page_size)
        size = max(1, min(wanted, self.max_page_size))
        base = fake_mail.base_url(request)
        try:
            with self._lock:
                state = delta_state(
                    request.query_params, box, instance=self._instance, page_size=size
                )
                page = delta_page(box, state, link=f"{base}{request.url.path}")
        except DeltaGone:
            return graph_error(410)
        except (ValueError, KeyError, TypeError):
            return graph_error(400, message="Invalid $skiptoken, $deltatoken or $filter.")
        context = {"@odata.context": f"{base}/v1.0/$metadata#Collection(message)"}
        applied = {"Preference-Applied": f"odata.maxpagesize={size}"} if prefer else {}
        return JSONResponse(context | page, headers=applied)

    async def _message(self, request: Request, box: Mailbox) -> Response:
        stored = self._stored(request, box)
        if stored is None:
            with self._lock:
                draft = box.drafts.get(request.path_params["message_id"])
            if draft is not None:
                select = parse_select(request.query_params.get("$select"))
                return render_draft(draft, context=_message_context(request, box), select=select)
        return fake_mail.message_response(request, box, stored)

    async def _create_reply(self, request: Request, box: Mailbox) -> Response:
        """A reply draft in the Drafts folder: no Inbox change, no notification."""
        raw = await request.body()
        body = json_body(raw)
        try:
            if raw.strip() and body is None:
                raise InvalidDraft("BadRequest", "The request body is not valid JSON.")
            reply = parse_reply_request(body)
        except InvalidDraft as exc:
            return graph_error(400, code=exc.code, message=str(exc))
        owner = {"emailAddress": {"name": fake_mail.display_name(box), "address": box.address}}
        with self._lock:
            original = box.messages.get(request.path_params["message_id"])
            if original is None:
                return graph_error(404)
            draft = build_draft(
                reply,
                original,
                owner=owner,
                draft_id=self._new_id("AAMkAD", 48) + "AAA=",
                change_key=self._new_id("CQAAABYAAABs3c+f0LgEQ6f5fMU0T1uEAA", 6),
                internet_message_id=(
                    self._new_id("DM6PR12MB", 12) + "@DM6PR12MB4321.namprd12.prod.outlook.com"
                ),
                now=self._clock(),
            )
            box.drafts[draft.id] = draft
        return render_draft(draft, context=_message_context(request, box), status=201)

    async def _message_value(self, request: Request, box: Mailbox) -> Response:
        return fake_mail.value_response(self._stored(request, box))

    async def _attachments(self, request: Request, box: Mailbox) -> Response:
        return fake_mail.attachments_response(request, box, self._stored(request, box))

    async def _attachment_value(self, request: Request, box: Mailbox) -> Response:
        return fake_mail.attachment_value_response(request, self._stored(request, box))


def _message_context(request: Request, box: Mailbox) -> str:
    return f"{fake_mail.base_url(request)}/v1.0/$metadata#users('{box.user_id}')/messages/$entity"


def _subscription_not_found() -> Response:
    return graph_error(404, code="ResourceNotFound", message="The object was not found.")
