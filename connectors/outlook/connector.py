"""Outlook mail over Microsoft Graph: subscriptions, notifications, sync, fetch, drafts, OAuth."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.errors import AuthExpired, ConnectorError, CursorExpired
from connectors.mail.graph import parse_graph
from connectors.mail.types import Address, ParsedMessage
from connectors.outlook import webhook
from connectors.outlook.errors import (
    error_for_response,
    error_for_transport,
    is_sync_state_lost,
    oauth_error,
)
from connectors.outlook.payloads import (
    DeltaItem,
    DeltaPage,
    MessageResource,
    SubscriptionResponse,
    TokenResponse,
    format_graph_datetime,
)
from connectors.types import (
    ChangeBatch,
    ConnectedAccount,
    Credentials,
    MailDraft,
    MessageRef,
    Notification,
    Provider,
    TokenGrant,
    Watch,
    WebhookRequest,
)

# A refresh asks only for what syncing needs: asking for a permission that an account
# connected before drafts never consented to would refuse its refresh (AADSTS65001). The
# access token still carries every consented Graph permission (Mail.ReadWrite included), as
# the identity platform returns them all for the resource (tests/fixtures/graph refresh reply).
SCOPE = "offline_access https://graph.microsoft.com/Mail.Read"
# Connecting asks for Mail.ReadWrite (createReply keeps reply drafts) and User.Read (whoami
# reads /me); offline_access brings the refresh token.
CONNECT_SCOPE = (
    "offline_access https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/Mail.ReadWrite"
    " https://graph.microsoft.com/User.Read"
)
INBOX_RESOURCE = "me/mailFolders('inbox')/messages"
_DELTA_PATH = "/me/mailFolders('inbox')/messages/delta"
_DELTA_SELECT = "id,conversationId,receivedDateTime"
_MESSAGE_SELECT = "id,conversationId,categories,receivedDateTime,uniqueBody"
_PAGE_SIZE = 50
_ODATA_SAFE = ",'():"
_MAX_PAGES = 10_000  # a server that never ends a round must not keep us looping

_Model = TypeVar("_Model", bound=BaseModel)


class _User(BaseModel):
    """GET /me: the signed-in user; mail is null for accounts without a mailbox address."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    mail: str | None = None
    user_principal_name: str | None = Field(default=None, alias="userPrincipalName")


class OutlookConnector:
    provider = Provider.OUTLOOK

    def __init__(
        self,
        *,
        http: httpx.Client,
        api_url: str,
        login_url: str,
        client_id: str,
        client_secret: str,
        tenant: str = "common",
        notification_url: str,
        subscription_minutes: int = 4230,
        resync_days: int = 14,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._http = http
        self._api = api_url.rstrip("/")
        authority = f"{login_url.rstrip('/')}/{quote(tenant, safe='')}/oauth2/v2.0"
        self._token_url = f"{authority}/token"
        self._authorize_url = f"{authority}/authorize"
        self._client_id = client_id
        self._client_secret = client_secret
        self._notification_url = notification_url
        self._subscription_minutes = subscription_minutes
        self._resync_days = resync_days
        self._clock = clock

    # WebhookSource

    def challenge(self, request: WebhookRequest) -> str | None:
        return webhook.validation_token(request)

    def verify(self, request: WebhookRequest) -> None:
        webhook.verify_envelope(request)

    def parse(self, request: WebhookRequest) -> list[Notification]:
        return webhook.parse_notifications(request.body)

    # MessageSource

    def watch(
        self, credentials: Credentials, *, account: str, current: Watch | None = None
    ) -> Watch:
        # Without its secret a renewed subscription could never be authenticated: replace it.
        if current is not None and current.external_id and current.secret:
            renewed = self._renew(credentials, current)
            if renewed is not None:
                return renewed
        return self._subscribe(credentials)

    def unwatch(self, credentials: Credentials, *, account: str, current: Watch) -> None:
        if current.external_id:
            path = f"/subscriptions/{quote(current.external_id, safe='')}"
            self._call(credentials, "DELETE", self._url(path), on_404=True)

    def _renew(self, credentials: Credentials, current: Watch) -> Watch | None:
        """PATCH a new expiration; None when Graph no longer knows the subscription."""
        body = {"expirationDateTime": self._expiration()}
        path = f"/subscriptions/{quote(current.external_id, safe='')}"
        response = self._call(credentials, "PATCH", self._url(path), json=body, on_404=True)
        if response.status_code == 404:
            return None
        subscription = _model(SubscriptionResponse, response)
        return Watch(
            cursor="",
            expires_at=subscription.expiration_date_time,
            external_id=subscription.id,
            secret=current.secret,
        )

    def _subscribe(self, credentials: Credentials) -> Watch:
        client_state = secrets.token_urlsafe(32)  # Graph allows 128 characters; this is 43
        body = {
            "changeType": "created",
            "notificationUrl": self._notification_url,
            "lifecycleNotificationUrl": self._notification_url,
            "resource": INBOX_RESOURCE,
            "expirationDateTime": self._expiration(),
            "clientState": client_state,
            "latestSupportedTlsVersion": "v1_2",
        }
        response = self._call(
            credentials, "POST", self._url("/subscriptions"), json=body, on_400=True
        )
        if response.status_code == 400:
            raise ConnectorError(
                "outlook: subscription refused (400): Graph could not validate the"
                " notification URL, or the expiration or resource was rejected"
            )
        subscription = _model(SubscriptionResponse, response)
        return Watch(
            cursor="",
            expires_at=subscription.expiration_date_time,
            external_id=subscription.id,
            secret=client_state,
        )

    def changes_since(self, credentials: Credentials, *, account: str, cursor: str) -> ChangeBatch:
        if not self._is_ours(cursor):
            # Stored under another GRAPH_API_URL (a national cloud, the sandbox): never sent
            # the token elsewhere; a bounded resync starts a new delta round here.
            raise CursorExpired("outlook: stored delta link is for another Graph API URL")
        items, delta_link = self._delta_round(credentials, cursor)
        refs: dict[str, MessageRef] = {}
        for item in items:
            if item.removed is None:
                refs.setdefault(item.id, MessageRef(item.id, item.conversation_id or item.id))
        return ChangeBatch(added=tuple(refs.values()), cursor=delta_link)

    def recent(self, credentials: Credentials, *, account: str, limit: int) -> ChangeBatch:
        since = format_graph_datetime(self._clock() - timedelta(days=self._resync_days))
        query = _odata_query({"$select": _DELTA_SELECT, "$filter": f"receivedDateTime ge {since}"})
        items, delta_link = self._delta_round(credentials, self._url(_DELTA_PATH) + query)
        latest: dict[str, DeltaItem] = {}
        for item in items:
            if item.removed is None:
                latest[item.id] = item
            else:
                latest.pop(item.id, None)
        oldest = datetime.min.replace(tzinfo=UTC)
        # The newest `limit`, handed over oldest first as changes_since does.
        newest = sorted(latest.values(), key=lambda i: i.received_date_time or oldest)
        chosen = newest[-limit:] if limit > 0 else []
        refs = tuple(MessageRef(i.id, i.conversation_id or i.id) for i in chosen)
        return ChangeBatch(added=refs, cursor=delta_link)

    def _delta_round(self, credentials: Credentials, url: str) -> tuple[list[DeltaItem], str]:
        """Every item of one delta round, and the deltaLink that ends it.

        nextLinks are followed unchanged (the query options are baked into them); the
        deltaLink only comes with the last page, so the cursor is never stored mid-round.
        """
        items: list[DeltaItem] = []
        for _ in range(_MAX_PAGES):
            self._check_link(url)
            headers = {"Prefer": f"odata.maxpagesize={_PAGE_SIZE}"}
            response = self._call(credentials, "GET", url, headers=headers, on_sync_lost=True)
            if is_sync_state_lost(response):
                raise CursorExpired(
                    f"outlook: delta state no longer known ({response.status_code})"
                )
            page = _model(DeltaPage, response)
            items += page.value
            if page.delta_link:
                self._check_link(page.delta_link)
                return items, page.delta_link
            if not page.next_link:
                raise ConnectorError("outlook: delta page without a nextLink or deltaLink")
            url = page.next_link
        raise ConnectorError("outlook: delta round did not end")

    def fetch(
        self, credentials: Credentials, *, account: str, refs: Sequence[MessageRef]
    ) -> list[ParsedMessage]:
        parsed = (self._fetch_one(credentials, ref.message_id) for ref in refs)
        return [message for message in parsed if message is not None]

    def _fetch_one(self, credentials: Credentials, message_id: str) -> ParsedMessage | None:
        """The JSON (ids, categories, uniqueBody) and the MIME; None when it was deleted."""
        path = f"/me/messages/{quote(message_id, safe='')}"
        response = self._call(
            credentials,
            "GET",
            self._url(path) + _odata_query({"$select": _MESSAGE_SELECT}),
            # A text uniqueBody is compared with our own text split as it is.
            headers={"Prefer": 'outlook.body-content-type="text"'},
            on_404=True,
        )
        if response.status_code == 404:
            return None  # deleted since the change was recorded
        resource = _json_object(response)
        try:
            message = MessageResource.model_validate(resource)
        except ValidationError as exc:
            raise ConnectorError("outlook: unexpected message shape") from exc
        raw = self._fetch_mime(credentials, self._url(f"{path}/$value"))
        if raw is None:
            return None
        unique = message.unique_body.content if message.unique_body else None
        return parse_graph(resource, mime=raw, unique_body=unique or None)

    def _fetch_mime(self, credentials: Credentials, url: str) -> bytes | None:
        try:
            with self._http.stream("GET", url, headers=self._auth_headers(credentials)) as response:
                if response.status_code == 404:
                    return None
                if not response.is_success:
                    response.read()
                    raise error_for_response(response)
                return b"".join(response.iter_bytes())
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc

    # DraftSink

    def save_draft(self, credentials: Credentials, *, account: str, draft: MailDraft) -> str:
        """POST createReply: a reply draft in Drafts, threaded by Graph itself.

        Graph gives it the original's conversationId, In-Reply-To and References and a
        "RE: " subject, and puts the comment above the quoted original. The body goes as
        the comment (plain text); the draft's recipients replace Graph's default (the
        original's replyTo or sender) when it names any. Returns the draft message's id.
        """
        if not draft.answers:
            raise ConnectorError("outlook: the draft answers no message")
        body: dict[str, Any] = {"comment": draft.body}
        message = {
            key: recipients
            for key, recipients in (
                ("toRecipients", _recipients(draft.to)),
                ("ccRecipients", _recipients(draft.cc)),
            )
            if recipients
        }
        if message:
            body["message"] = message
        path = f"/me/messages/{quote(draft.answers, safe='')}/createReply"
        response = self._call(credentials, "POST", self._url(path), json=body, accept=(403, 404))
        if response.status_code == 404:
            raise ConnectorError("outlook: the message the draft answers is gone (404)")
        if response.status_code == 403:
            raise ConnectorError(
                "outlook: draft refused (403): the account must reconnect to grant Mail.ReadWrite"
            )
        return _model(MessageResource, response).id

    # TokenRefresher

    def refresh(self, refresh_token: str) -> TokenGrant:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "refresh_token": refresh_token,
            "scope": SCOPE,
        }
        token = self._token(form, refused="microsoft: refresh token expired or revoked")
        # The identity platform rotates refresh tokens: the new one must be stored.
        return self._grant(token)

    # OAuthConnector

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        params = {
            "client_id": self._client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "response_mode": "query",
            "scope": CONNECT_SCOPE,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            "prompt": "select_account",
        }
        return f"{self._authorize_url}?{urlencode(params, quote_via=quote)}"

    def connect(self, *, code: str, redirect_uri: str, code_verifier: str) -> ConnectedAccount:
        grant = self.exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        return ConnectedAccount(self.whoami(grant.access_token), grant)

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenGrant:
        form = {
            "grant_type": "authorization_code",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
            "scope": CONNECT_SCOPE,
        }
        # AADSTS54005 (already redeemed), 70008 (expired), 501481 (PKCE mismatch), ...
        token = self._token(form, refused="microsoft: authorization code refused")
        if not token.refresh_token:
            raise ConnectorError(
                "microsoft returned no refresh token; the consent must include offline_access"
            )
        return self._grant(token)

    def whoami(self, access_token: str) -> str:
        credentials = Credentials(access_token=access_token, refresh_token=None, expires_at=None)
        url = self._url("/me") + _odata_query({"$select": "mail,userPrincipalName"})
        user = _model(_User, self._call(credentials, "GET", url))
        # mail is null for a mailbox-less or some personal accounts; the UPN is then the address.
        address = (user.mail or user.user_principal_name or "").strip().lower()
        if not address:
            raise ConnectorError("outlook: /me names no mailbox")
        return address

    def _token(self, form: Mapping[str, str], *, refused: str) -> TokenResponse:
        """POST the token endpoint; invalid_grant raises AuthExpired(refused + AADSTS code)."""
        try:
            response = self._http.post(self._token_url, data=form)
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if response.status_code in (400, 401):
            error, code = oauth_error(response)
            detail = f" (AADSTS{code})" if code else ""
            if error == "invalid_grant":
                raise AuthExpired(f"{refused}{detail}")
            raise ConnectorError(
                f"microsoft token endpoint refused ({response.status_code}){detail}"
            )
        if not response.is_success:
            raise error_for_response(response)
        return _model(TokenResponse, response)

    def _grant(self, token: TokenResponse) -> TokenGrant:
        return TokenGrant(
            access_token=token.access_token,
            expires_at=self._clock() + timedelta(seconds=token.expires_in),
            refresh_token=token.refresh_token,
        )

    # HTTP

    def _url(self, path: str) -> str:
        return f"{self._api}{path}"

    def _expiration(self) -> str:
        return format_graph_datetime(self._clock() + timedelta(minutes=self._subscription_minutes))

    def _is_ours(self, url: str) -> bool:
        return url.startswith(f"{self._api}/") or url.startswith(f"{self._api}?")

    def _check_link(self, url: str) -> None:
        """Refuse any link outside our Graph base URL: it would receive the bearer token."""
        if not self._is_ours(url):
            raise ConnectorError("outlook: delta link does not point at the configured Graph API")

    @staticmethod
    def _auth_headers(credentials: Credentials) -> dict[str, str]:
        if not credentials.access_token:
            raise AuthExpired("outlook: no access token")
        return {"Authorization": f"Bearer {credentials.access_token}"}

    def _call(
        self,
        credentials: Credentials,
        method: str,
        url: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        on_404: bool = False,
        on_400: bool = False,
        on_sync_lost: bool = False,
        accept: Collection[int] = (),
    ) -> httpx.Response:
        """Send one authorized request; on_* and accept hand those failures to the caller."""
        request_headers = self._auth_headers(credentials) | dict(headers or {})
        try:
            response = self._http.request(method, url, json=json, headers=request_headers)
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        status = response.status_code
        if (
            response.is_success
            or (on_404 and status == 404)
            or (on_400 and status == 400)
            or (on_sync_lost and is_sync_state_lost(response))
            or status in accept
        ):
            return response
        raise error_for_response(response)


def _odata_query(params: Mapping[str, str]) -> str:
    # Spelled as Graph's docs do ($select=a,b and %20 for spaces), not form-encoded.
    pairs = (f"{key}={quote(value, safe=_ODATA_SAFE)}" for key, value in params.items())
    return "?" + "&".join(pairs)


def _recipients(addresses: Sequence[Address]) -> list[dict[str, Any]]:
    """Graph recipients; an address without a usable addr-spec is left out."""
    return [
        {"emailAddress": {"address": a.email} | ({"name": a.name} if a.name else {})}
        for a in addresses
        if a.email
    ]


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body: Any = response.json()
    except ValueError as exc:
        raise ConnectorError(f"outlook: response is not JSON ({response.status_code})") from exc
    if not isinstance(body, dict):
        raise ConnectorError("outlook: response is not a JSON object")
    return body


def _model(model: type[_Model], response: httpx.Response) -> _Model:
    try:
        return model.model_validate(_json_object(response))
    except ValidationError as exc:
        raise ConnectorError(f"outlook: unexpected {model.__name__} shape") from exc
