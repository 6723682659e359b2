"""A local stand-in for Gmail, Google OAuth, Google's signing certs and Pub/Sub push.

It answers the endpoints the connector calls with Google's real shapes (string
historyIds, base64url bodies, Google JSON errors, the 404 for a forgotten
startHistoryId), checks bearer tokens, counts requests, injects faults, and sends
signed Pub/Sub pushes when mail is delivered. Drafts (create, list, get) are kept as
DRAFT-labelled messages, with Gmail's threading rule and its scope check (gmail.compose).
Google OAuth covers consent (GET /o/oauth2/v2/auth: automatic, PKCE S256, see
connectors.fakeoauth) and the token endpoint's authorization_code and refresh_token
grants. Tests and the sandbox run it over real HTTP with connectors.fakeserver.serve_in_thread.
"""

from __future__ import annotations

import html
import json
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.fakemail import compose_message
from connectors.fakeoauth import (
    AuthorizationServer,
    AuthorizeRefused,
    CodeRefused,
    redirect_with,
)
from connectors.fakeserver import Faults
from connectors.gmail import sandbox_data
from connectors.gmail.fake_drafts import (
    COMPOSE_SCOPES,
    StoredDraft,
    decode_raw,
    joins_thread,
    well_formed,
    with_message_id,
)
from connectors.gmail.fake_push import DEFAULT_SUBSCRIPTION, PushSigner
from connectors.gmail.fake_resources import (
    FORMATS,
    HISTORY_TYPES,
    HistoryEntry,
    StoredMessage,
    attachment_data,
    b64url,
    history_record,
    raw_header_pairs,
    render_message,
)
from connectors.gmail.fake_wire import (
    decode_page_token,
    encode_page_token,
    google_error,
    insufficient_scope_error,
    oauth_error,
)
from connectors.mail.headers import HeaderMap, parse_message_id, parse_references

ACCESS_TOKEN_SECONDS = 3599
WATCH_DAYS = 7
SANDBOX_REFRESH_TOKEN = "sandbox-refresh-alex"  # noqa: S105 - a fake's well-known test token
# What a token carries unless its grant says otherwise (add_account, issue_access_token).
DEFAULT_SCOPES = (
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.send",
    "https://www.googleapis.com/auth/gmail.compose",
)
_GMAIL = "/gmail/v1/users/{user_id}"


@dataclass
class Mailbox:
    address: str
    history_id: int
    floor: int  # a startHistoryId below this has been forgotten (404)
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    watch_expiration_ms: int | None = None
    drafts: dict[str, str] = field(default_factory=dict)  # draft id -> message id


@dataclass(frozen=True)
class _PushConfig:
    endpoint_url: str
    audience: str
    service_account: str
    subscription: str


_Endpoint = Callable[[Request], Awaitable[Response]]
_GmailHandler = Callable[[Request, "Mailbox"], Awaitable[Response]]


class GmailFake:
    """State plus a Starlette app; every public method is safe to call from any thread."""

    def __init__(
        self,
        *,
        history_retention: int = 1000,
        client_id: str | None = None,
        client_secret: str | None = None,
        seed: int = 4812377,
        signing_key: rsa.RSAPrivateKey | None = None,
        redirect_uris: Sequence[str] | None = None,
    ) -> None:
        self.calls: Counter[str] = Counter()
        self.pushes: list[dict[str, Any]] = []
        self.history_retention = history_retention
        self._client_id = client_id
        self._client_secret = client_secret
        self._rng = random.Random(seed)  # noqa: S311 - ids only need to look random
        self._lock = threading.RLock()
        self._mailboxes: dict[str, Mailbox] = {}
        self._refresh_tokens: dict[str, str] = {}
        self._refresh_scopes: dict[str, tuple[str, ...]] = {}
        self._access_tokens: dict[str, tuple[str, float]] = {}
        self._access_scopes: dict[str, frozenset[str]] = {}
        self._faults = Faults()
        self._push: _PushConfig | None = None
        self._id_counter = 0
        self.signer = PushSigner(signing_key)
        # Consent and codes; redirect_uris, when given, are the client's registered ones.
        self.oauth = AuthorizationServer(
            lambda: datetime.now(UTC),
            client_id=client_id,
            redirect_uris=redirect_uris,
            code_prefix="4/0A",
        )

    # Accounts and tokens

    def add_account(
        self, address: str, refresh_token: str, *, scopes: Sequence[str] = DEFAULT_SCOPES
    ) -> Mailbox:
        """A mailbox with a refresh token; the first one added is who consents by default.

        scopes are what the refresh token was granted: its access tokens carry them.
        """
        self.oauth.add_account(address)
        with self._lock:
            self._refresh_tokens[refresh_token] = address.lower()
            self._refresh_scopes[refresh_token] = tuple(scopes)
            return self._mailbox(address)

    def deny_next_consent(self, count: int = 1) -> None:
        """The next `count` consents come back to the redirect_uri as error=access_denied."""
        self.oauth.deny_next_consent(count)

    def expire_authorization_codes(self) -> None:
        self.oauth.expire_codes()

    def refresh_tokens_of(self, address: str) -> list[str]:
        with self._lock:
            return [t for t, owner in self._refresh_tokens.items() if owner == address.lower()]

    def issue_access_token(
        self,
        address: str,
        *,
        expires_in: int = ACCESS_TOKEN_SECONDS,
        scopes: Sequence[str] = DEFAULT_SCOPES,
    ) -> str:
        token = f"ya29.fake-{secrets.token_urlsafe(24)}"
        with self._lock:
            self._mailbox(address)
            self._access_tokens[token] = (address.lower(), time.time() + expires_in)
            self._access_scopes[token] = frozenset(scopes)
        return token

    def expire_access_tokens(self) -> None:
        with self._lock:
            self._access_tokens.clear()
            self._access_scopes.clear()

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self._lock:
            self._refresh_tokens.pop(refresh_token, None)
            self._refresh_scopes.pop(refresh_token, None)

    # Mailbox state

    def mailbox(self, address: str) -> Mailbox:
        with self._lock:
            return self._mailbox(address)

    def history_id(self, address: str) -> int:
        with self._lock:
            return self._mailbox(address).history_id

    def expire_history(self, address: str) -> None:
        """Forget all history, as Gmail eventually does: older cursors now give 404."""
        with self._lock:
            box = self._mailbox(address)
            box.history.clear()
            box.floor = box.history_id

    def drafts_of(self, address: str) -> list[StoredDraft]:
        """The mailbox's drafts, oldest first, each with its stored message (for tests)."""
        with self._lock:
            box = self._mailbox(address)
            return [
                StoredDraft(draft_id, box.messages[message_id])
                for draft_id, message_id in box.drafts.items()
                if message_id in box.messages
            ]

    def fail_next(
        self, path_prefix: str, status: int, retry_after: float | None = None, count: int = 1
    ) -> None:
        """Answer the next `count` requests whose path starts with path_prefix with an error."""
        self._faults.add(path_prefix, status, retry_after, count)

    def add_message(
        self,
        address: str,
        raw: bytes,
        *,
        label_ids: Sequence[str] = ("UNREAD", "INBOX"),
        thread_id: str | None = None,
        message_id: str | None = None,
        history_id: int | None = None,
        internal_date_ms: int | None = None,
    ) -> StoredMessage:
        """Store an RFC 822 message and record its messagesAdded history entry."""
        headers = HeaderMap(raw_header_pairs(raw))
        rfc_id = parse_message_id(headers.get("message-id")) or ""
        references = parse_references(" ".join(headers.get_all("references")))
        parent = parse_message_id(headers.get("in-reply-to"))
        with self._lock:
            box = self._mailbox(address)
            ms = internal_date_ms or int(time.time() * 1000)
            new_id = message_id or self._new_message_id(ms)
            thread = thread_id or self._thread_for(box, parent, references) or new_id
            stored = StoredMessage(
                id=new_id,
                thread_id=thread,
                raw=raw,
                label_ids=list(label_ids),
                history_id=0,
                internal_date_ms=ms,
                rfc_message_id=rfc_id,
                references=references,
            )
            stored.history_id = self._record(box, "messagesAdded", stored, history_id=history_id)
            box.messages[new_id] = stored
            return stored

    def add_labels(self, address: str, message_id: str, labels: Sequence[str]) -> int:
        with self._lock:
            box = self._mailbox(address)
            stored = box.messages[message_id]
            stored.label_ids += [label for label in labels if label not in stored.label_ids]
            history = self._record(box, "labelsAdded", stored, changed=tuple(labels))
            stored.history_id = history
            return history

    def seed_sandbox(self, *, refresh_token: str = SANDBOX_REFRESH_TOKEN) -> None:
        """Put Jordan Lee's "Quarterly report draft" thread in alex@example.com."""
        with self._lock:
            address = sandbox_data.SANDBOX_ADDRESS
            self.add_account(address, refresh_token)
            box = self._mailbox(address)
            box.history_id = box.floor = sandbox_data.WATCH_HISTORY_ID
            for seed in sandbox_data.SEED_MESSAGES:
                self.add_message(
                    address,
                    seed.raw,
                    label_ids=seed.added_labels,
                    thread_id=seed.thread_id,
                    message_id=seed.id,
                    history_id=seed.history_id,
                    internal_date_ms=seed.internal_date_ms,
                )
            box.history_id = sandbox_data.STARRED_HISTORY_ID - 1
            self.add_labels(address, sandbox_data.STARRED_MESSAGE_ID, ["STARRED"])
            box.history_id = sandbox_data.CURRENT_HISTORY_ID

    # Push

    def configure_push(
        self,
        endpoint_url: str,
        audience: str,
        service_account: str,
        *,
        subscription: str = DEFAULT_SUBSCRIPTION,
    ) -> None:
        with self._lock:
            self._push = _PushConfig(endpoint_url, audience, service_account, subscription)

    def jwks(self) -> dict[str, Any]:
        return self.signer.jwks()

    def mint_push(
        self,
        address: str,
        *,
        audience: str,
        service_account: str,
        history_id: int | None = None,
        message_id: str | None = None,
        subscription: str = DEFAULT_SUBSCRIPTION,
        claims: Mapping[str, Any] | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """Headers and body of a Pub/Sub push for the mailbox (not sent anywhere)."""
        with self._lock:
            current = self._mailbox(address).history_id if history_id is None else history_id
            pubsub_id = message_id or str(self._rng.randrange(10**16, 10**17))
        return self.signer.push(
            address,
            current,
            message_id=pubsub_id,
            audience=audience,
            service_account=service_account,
            subscription=subscription,
            claims=claims,
        )

    def deliver(
        self,
        to: str,
        sender: str,
        subject: str,
        text: str,
        *,
        in_reply_to: str | None = None,
        thread_id: str | None = None,
        label_ids: Sequence[str] = ("UNREAD", "INBOX"),
    ) -> dict[str, Any]:
        """Add a message to `to`'s mailbox and, when push is configured, push it."""
        with self._lock:
            parent = self._find_rfc(to, in_reply_to) if in_reply_to else None
            raw = compose_message(
                to,
                sender,
                subject,
                text,
                in_reply_to=in_reply_to,
                references=parent.references if parent else (),
            )
            stored = self.add_message(to, raw, label_ids=label_ids, thread_id=thread_id)
            push = self._push
        push_status: int | None = None
        if push is not None:
            # Outside the lock: the receiver may call back into this fake while handling it.
            headers, body = self.mint_push(
                to,
                audience=push.audience,
                service_account=push.service_account,
                history_id=stored.history_id,
                subscription=push.subscription,
            )
            try:
                with httpx.Client(timeout=10) as client:
                    response = client.post(push.endpoint_url, content=body, headers=headers)
                push_status = response.status_code
            except httpx.HTTPError:
                push_status = None
            with self._lock:
                self.pushes.append({"history_id": stored.history_id, "status": push_status})
        return {
            "message_id": stored.id,
            "thread_id": stored.thread_id,
            "history_id": str(stored.history_id),
            "push_status": push_status,
        }

    # ASGI

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/oauth2/v3/certs", self._certs, methods=["GET"]),
            Route("/o/oauth2/v2/auth", self._authorize, methods=["GET"]),
            Route("/token", self._token, methods=["POST"]),
            Route(f"{_GMAIL}/watch", self._gmail("watch", self._watch), methods=["POST"]),
            Route(f"{_GMAIL}/stop", self._gmail("stop", self._stop), methods=["POST"]),
            Route(f"{_GMAIL}/profile", self._gmail("profile", self._profile), methods=["GET"]),
            Route(f"{_GMAIL}/history", self._gmail("history", self._history), methods=["GET"]),
            Route(
                f"{_GMAIL}/messages",
                self._gmail("messages.list", self._messages_list),
                methods=["GET"],
            ),
            Route(
                f"{_GMAIL}/messages/{{message_id}}",
                self._gmail("messages.get", self._messages_get),
                methods=["GET"],
            ),
            Route(
                f"{_GMAIL}/messages/{{message_id}}/attachments/{{attachment_id}}",
                self._gmail("attachments.get", self._attachment_get),
                methods=["GET"],
            ),
            Route(
                f"{_GMAIL}/threads/{{thread_id}}",
                self._gmail("threads.get", self._threads_get),
                methods=["GET"],
            ),
            Route(
                f"{_GMAIL}/drafts",
                self._gmail("drafts.create", self._drafts_create, scopes=COMPOSE_SCOPES),
                methods=["POST"],
            ),
            Route(
                f"{_GMAIL}/drafts",
                self._gmail("drafts.list", self._drafts_list),
                methods=["GET"],
            ),
            Route(
                f"{_GMAIL}/drafts/{{draft_id}}",
                self._gmail("drafts.get", self._drafts_get),
                methods=["GET"],
            ),
            Route("/_fake/gmail/deliver", self._deliver, methods=["POST"]),
            Route("/_fake/gmail/deny-consent", self._deny_consent, methods=["POST"]),
        ]

    def asgi_app(self) -> Starlette:
        return Starlette(routes=self.routes())

    # Internals (callers hold the lock)

    def _mailbox(self, address: str) -> Mailbox:
        key = address.strip().lower()
        box = self._mailboxes.get(key)
        if box is None:
            start = self._rng.randrange(1000, 100_000)
            box = Mailbox(address=key, history_id=start, floor=start)
            self._mailboxes[key] = box
        return box

    def _new_message_id(self, ms: int) -> str:
        self._id_counter += 1
        return f"{(ms << 20) | (self._id_counter & 0xFFFFF):016x}"

    def _thread_for(
        self, box: Mailbox, parent: str | None, references: Sequence[str]
    ) -> str | None:
        wanted = {ref for ref in (parent, *references) if ref}
        for stored in box.messages.values():
            if stored.rfc_message_id in wanted:
                return stored.thread_id
        return None

    def _find_rfc(self, address: str, rfc_id: str) -> StoredMessage | None:
        wanted = parse_message_id(rfc_id)
        box = self._mailbox(address)
        return next((m for m in box.messages.values() if m.rfc_message_id == wanted), None)

    def _record(
        self,
        box: Mailbox,
        kind: str,
        stored: StoredMessage,
        *,
        history_id: int | None = None,
        changed: tuple[str, ...] = (),
    ) -> int:
        # Real history ids increase with gaps; clients must not assume +1.
        box.history_id = history_id or box.history_id + self._rng.randint(3, 12)
        box.history.append(
            HistoryEntry(
                box.history_id,
                kind,
                stored.id,
                stored.thread_id,
                tuple(stored.label_ids),
                changed,
            )
        )
        while len(box.history) > self.history_retention:
            box.floor = box.history.pop(0).id
        return box.history_id

    def _fault(self, request: Request) -> Response | None:
        fault = self._faults.take(request.url.path)
        return google_error(fault.status, retry_after=fault.retry_after) if fault else None

    def _gmail(
        self, endpoint: str, handler: _GmailHandler, *, scopes: frozenset[str] | None = None
    ) -> _Endpoint:
        """Wrap a Gmail handler: count, apply faults, authorize the bearer for the userId.

        scopes, when given, are the ones of which the token must carry at least one.
        """

        async def guarded(request: Request) -> Response:
            with self._lock:
                self.calls[endpoint] += 1
            fault = self._fault(request)
            if fault is not None:
                return fault
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            with self._lock:
                owner = (
                    self._access_tokens.get(token.strip()) if scheme.lower() == "bearer" else None
                )
                if owner is None or owner[1] < time.time():
                    return google_error(401)
                user_id = str(request.path_params.get("user_id", "me")).lower()
                if user_id not in ("me", owner[0]):
                    return google_error(
                        403, message=f"Delegation denied for {owner[0]}", reason="forbidden"
                    )
                granted = self._access_scopes.get(token.strip(), frozenset())
                if scopes is not None and granted.isdisjoint(scopes):
                    return insufficient_scope_error(endpoint, scopes)
                box = self._mailbox(owner[0])
            return await handler(request, box)

        return guarded

    # Handlers

    async def _certs(self, request: Request) -> Response:
        with self._lock:
            self.calls["certs"] += 1
        fault = self._fault(request)
        if fault is not None:
            return fault
        return JSONResponse(self.jwks(), headers={"Cache-Control": "public, max-age=19800"})

    async def _authorize(self, request: Request) -> Response:
        with self._lock:
            self.calls["authorize"] += 1
        fault = self._fault(request)
        if fault is not None:
            return fault
        try:
            query = self.oauth.parse(request.query_params.multi_items())
            access_type = query.query.get("access_type", "online")
            if access_type not in ("online", "offline"):
                raise query.refuse(
                    "invalid_request", "Invalid access_type", parameter="access_type"
                )
            code, _ = self.oauth.consent(query, offline=access_type == "offline")
        except AuthorizeRefused as refused:
            if refused.redirect_uri is None:
                return _google_error_page(refused)
            # Google sends only error and state back (no error_description).
            return redirect_with(
                refused.redirect_uri, {"error": refused.error, "state": refused.state}
            )
        params = {"state": query.state, "code": code, "scope": " ".join(query.scopes)}
        return redirect_with(query.redirect_uri, params)

    async def _token(self, request: Request) -> Response:
        with self._lock:
            self.calls["token"] += 1
        fault = self._fault(request)
        if fault is not None:
            return fault
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        grant_type = form.get("grant_type")
        if grant_type not in ("refresh_token", "authorization_code"):
            return oauth_error(
                "unsupported_grant_type", f"Invalid grant_type: {(grant_type or '')[:40]}"
            )
        if (self._client_id and form.get("client_id") != self._client_id) or (
            self._client_secret and form.get("client_secret") != self._client_secret
        ):
            return oauth_error("invalid_client", "Unauthorized", status=401)
        if grant_type == "authorization_code":
            return self._code_grant(form)
        with self._lock:
            refresh_token = form.get("refresh_token", "")
            address = self._refresh_tokens.get(refresh_token)
            scopes = self._refresh_scopes.get(refresh_token, DEFAULT_SCOPES)
        if address is None:
            return oauth_error("invalid_grant", "Token has been expired or revoked.")
        body = {
            "access_token": self.issue_access_token(address, scopes=scopes),
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": " ".join(scopes),
            "token_type": "Bearer",
        }
        return JSONResponse(body, headers={"Cache-Control": "no-cache, no-store, max-age=0"})

    def _code_grant(self, form: Mapping[str, str]) -> Response:
        verifier = form.get("code_verifier", "")
        try:
            issued = self.oauth.redeem(
                form.get("code", ""),
                client_id=form.get("client_id", ""),
                redirect_uri=form.get("redirect_uri", ""),
                code_verifier=verifier,
            )
        except CodeRefused as refused:
            if refused.reason == "verifier":
                description = "Invalid code verifier." if verifier else "Missing code verifier."
                return oauth_error("invalid_grant", description)
            return oauth_error("invalid_grant", "Bad Request")
        body: dict[str, Any] = {
            "access_token": self.issue_access_token(issued.address, scopes=issued.scopes),
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": " ".join(issued.scopes),
            "token_type": "Bearer",
        }
        if issued.offline:  # access_type=offline: a new refresh token for the mailbox
            refresh_token = f"1//0{secrets.token_urlsafe(64)}"
            with self._lock:
                self._refresh_tokens[refresh_token] = issued.address
                self._refresh_scopes[refresh_token] = issued.scopes
            body["refresh_token"] = refresh_token
        return JSONResponse(body, headers={"Cache-Control": "no-cache, no-store, max-age=0"})

    async def _watch(self, request: Request, box: Mailbox) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return google_error(400, message="Invalid JSON payload received.")
        topic = body.get("topicName") if isinstance(body, dict) else None
        if not isinstance(topic, str) or not topic.startswith("projects/"):
            return google_error(400, message="Invalid topicName does not match projects/*/topics/*")
        with self._lock:
            expiration = int(time.time() * 1000) + WATCH_DAYS * 86_400_000
            box.watch_expiration_ms = expiration
            return JSONResponse({"historyId": str(box.history_id), "expiration": str(expiration)})

    async def _stop(self, request: Request, box: Mailbox) -> Response:
        with self._lock:
            box.watch_expiration_ms = None
        return Response(status_code=204)

    async def _profile(self, request: Request, box: Mailbox) -> Response:
        with self._lock:
            threads = {m.thread_id for m in box.messages.values()}
            return JSONResponse(
                {
                    "emailAddress": box.address,
                    "messagesTotal": len(box.messages),
                    "threadsTotal": len(threads),
                    "historyId": str(box.history_id),
                }
            )

    async def _history(self, request: Request, box: Mailbox) -> Response:
        query = request.query_params
        try:
            start = int(query.get("startHistoryId", ""))
            size = min(max(int(query.get("maxResults", "100")), 1), 500)
            offset = decode_page_token(query.get("pageToken"))
        except ValueError:
            return google_error(400, message="Invalid startHistoryId or page parameters.")
        wanted = {HISTORY_TYPES.get(t, t) for t in query.getlist("historyTypes")}
        with self._lock:
            if start < box.floor:
                return google_error(404)
            entries = [e for e in box.history if e.id > start and (not wanted or e.kind in wanted)]
            page = entries[offset : offset + size]
            body: dict[str, Any] = {}
            if page:
                body["history"] = [history_record(entry) for entry in page]
            if offset + size < len(entries):
                body["nextPageToken"] = encode_page_token(offset + size)
            body["historyId"] = str(box.history_id)
        return JSONResponse(body)

    async def _messages_list(self, request: Request, box: Mailbox) -> Response:
        query = request.query_params
        try:
            size = min(max(int(query.get("maxResults", "100")), 1), 500)
            offset = decode_page_token(query.get("pageToken"))
        except ValueError:
            return google_error(400, message="Invalid maxResults or pageToken.")
        labels = set(query.getlist("labelIds"))
        with self._lock:
            newest_first = sorted(
                box.messages.values(), key=lambda m: (m.internal_date_ms, m.id), reverse=True
            )
            matching = [m for m in newest_first if labels.issubset(m.label_ids)]
        page = matching[offset : offset + size]
        body: dict[str, Any] = {}
        if page:
            body["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page]
        if offset + size < len(matching):
            body["nextPageToken"] = encode_page_token(offset + size)
        body["resultSizeEstimate"] = len(page)
        return JSONResponse(body)

    async def _messages_get(self, request: Request, box: Mailbox) -> Response:
        fmt = request.query_params.get("format", "full")
        if fmt not in FORMATS:
            return google_error(400, message=f"Invalid value at 'format' ({fmt[:20]})")
        with self._lock:
            stored = box.messages.get(request.path_params["message_id"])
        if stored is None:
            return google_error(404)
        metadata_headers = request.query_params.getlist("metadataHeaders")
        return JSONResponse(render_message(stored, fmt, metadata_headers))

    async def _attachment_get(self, request: Request, box: Mailbox) -> Response:
        with self._lock:
            stored = box.messages.get(request.path_params["message_id"])
        data = attachment_data(stored, request.path_params["attachment_id"]) if stored else None
        if data is None:
            return google_error(404)
        return JSONResponse({"size": len(data), "data": b64url(data)})

    async def _threads_get(self, request: Request, box: Mailbox) -> Response:
        fmt = request.query_params.get("format", "full")
        if fmt not in FORMATS - {"raw"}:
            return google_error(400, message=f"Invalid value at 'format' ({fmt[:20]})")
        thread_id = request.path_params["thread_id"]
        with self._lock:
            members = [m for m in box.messages.values() if m.thread_id == thread_id]
        if not members:
            return google_error(404)
        return JSONResponse(
            {
                "id": thread_id,
                "historyId": str(max(m.history_id for m in members)),
                "messages": [render_message(m, fmt) for m in members],
            }
        )

    async def _drafts_create(self, request: Request, box: Mailbox) -> Response:
        try:
            body: Any = json.loads(await request.body() or b"{}")
        except ValueError:
            return google_error(400, message="Invalid JSON payload received.")
        message = body.get("message") if isinstance(body, dict) else None
        raw_text = message.get("raw") if isinstance(message, dict) else None
        thread_id = message.get("threadId") if isinstance(message, dict) else None
        if not isinstance(raw_text, str) or not raw_text:
            return google_error(400, message="Missing draft message")
        if thread_id is not None and not isinstance(thread_id, str):
            return google_error(400, message="Invalid value at 'draft.message.thread_id'")
        raw = decode_raw(raw_text)
        if raw is None:
            return google_error(400, message="Invalid value for ByteString: draft.message.raw")
        if not well_formed(raw):
            return google_error(400, message="Invalid raw message: no header block")
        raw = with_message_id(raw)
        with self._lock:
            ms = int(time.time() * 1000)
            new_id = self._new_message_id(ms)
            thread = new_id
            if thread_id:
                members = [m for m in box.messages.values() if m.thread_id == thread_id]
                if not members:
                    return google_error(404)
                if joins_thread(raw, members):
                    thread = thread_id
            stored = self.add_message(
                box.address,
                raw,
                label_ids=("DRAFT",),
                thread_id=thread,
                message_id=new_id,
                internal_date_ms=ms,
            )
            sign = self._rng.choice(("", "-"))
            draft_id = f"r{sign}{self._rng.randrange(10**17, 10**19)}"
            box.drafts[draft_id] = stored.id
        return JSONResponse(_draft_resource(draft_id, stored))

    async def _drafts_list(self, request: Request, box: Mailbox) -> Response:
        query = request.query_params
        try:
            size = min(max(int(query.get("maxResults", "100")), 1), 500)
            offset = decode_page_token(query.get("pageToken"))
        except ValueError:
            return google_error(400, message="Invalid maxResults or pageToken.")
        with self._lock:
            drafts = [
                (draft_id, box.messages[message_id])
                for draft_id, message_id in reversed(box.drafts.items())
                if message_id in box.messages
            ]
        page = drafts[offset : offset + size]
        body: dict[str, Any] = {}
        if page:
            body["drafts"] = [
                {"id": draft_id, "message": {"id": m.id, "threadId": m.thread_id}}
                for draft_id, m in page
            ]
        if offset + size < len(drafts):
            body["nextPageToken"] = encode_page_token(offset + size)
        body["resultSizeEstimate"] = len(drafts)
        return JSONResponse(body)

    async def _drafts_get(self, request: Request, box: Mailbox) -> Response:
        fmt = request.query_params.get("format", "full")
        if fmt not in FORMATS:
            return google_error(400, message=f"Invalid value at 'format' ({fmt[:20]})")
        draft_id = request.path_params["draft_id"]
        with self._lock:
            message_id = box.drafts.get(draft_id)
            stored = box.messages.get(message_id) if message_id else None
        if stored is None:
            return google_error(404)
        return JSONResponse({"id": draft_id, "message": render_message(stored, fmt)})

    async def _deliver(self, request: Request) -> Response:
        with self._lock:
            self.calls["deliver"] += 1
        try:
            body = json.loads(await request.body())
            to, sender = str(body["to"]), str(body["from"])
            subject, text = str(body.get("subject", "")), str(body.get("text", ""))
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "expected JSON {to, from, subject, text}"}, 400)
        # deliver() POSTs the push synchronously; a worker thread keeps the loop free
        # for the requests the push receiver makes back to this fake.
        result = await run_in_threadpool(
            self.deliver,
            to,
            sender,
            subject,
            text,
            in_reply_to=body.get("in_reply_to"),
            thread_id=body.get("thread_id"),
        )
        return JSONResponse(result)

    async def _deny_consent(self, request: Request) -> Response:
        with self._lock:
            self.calls["deny_consent"] += 1
        self.deny_next_consent()
        return JSONResponse({"ok": True})


def _draft_resource(draft_id: str, stored: StoredMessage) -> dict[str, Any]:
    """drafts.create's answer: the draft id and a minimal message."""
    message = {"id": stored.id, "threadId": stored.thread_id, "labelIds": list(stored.label_ids)}
    return {"id": draft_id, "message": message}


def _google_error_page(refused: AuthorizeRefused) -> Response:
    """What Google shows instead of redirecting: its "Access blocked" page."""
    status = "401" if refused.error == "invalid_client" else "400"
    text = html.escape(f"Error {status}: {refused.error}. {refused.description}")
    page = (
        "<!doctype html><html><head><title>Error</title></head>"
        f"<body><h1>Access blocked: Authorization Error</h1><p>{text}</p></body></html>"
    )
    return HTMLResponse(page, status_code=400)


__all__ = [
    "DEFAULT_SCOPES",
    "SANDBOX_REFRESH_TOKEN",
    "GmailFake",
    "Mailbox",
    "StoredDraft",
    "google_error",
]
