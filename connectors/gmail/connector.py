"""Gmail over its REST API: push verification and parsing, history sync, fetch, OAuth."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ValidationError

from connectors.errors import AuthExpired, ConnectorError, CursorExpired, WebhookRejected
from connectors.gmail.drafts import raw_field, reply_message
from connectors.gmail.errors import error_for_response, error_for_transport
from connectors.gmail.payloads import (
    DraftResponse,
    HistoryListResponse,
    MessageListResponse,
    ProfileResponse,
    PushEnvelope,
    TokenResponse,
    WatchResponse,
    decode_push_data,
)
from connectors.gmail.push import PushVerifier
from connectors.gmail.rawstream import NotARawResource, split_raw_resource
from connectors.mail.gmail import parse_gmail_raw
from connectors.mail.types import ParsedMessage
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

DEFAULT_TOPIC = "projects/inbox-hub/topics/gmail-push"
DEFAULT_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
DEFAULT_SCOPES = (
    "https://www.googleapis.com/auth/gmail.readonly",  # watch, history, messages
    "https://www.googleapis.com/auth/gmail.compose",  # reply drafts (drafts.create)
)
_OAUTH_ERROR = re.compile(r"[a-z_]{1,64}")
_SKIPPED_LABELS = frozenset({"DRAFT"})  # drafts fire messagesAdded but are not mail received

_Model = TypeVar("_Model", bound=BaseModel)


class GmailConnector:
    provider = Provider.GMAIL

    def __init__(
        self,
        *,
        http: httpx.Client,
        api_url: str,
        oauth_url: str,
        client_id: str,
        client_secret: str,
        push_verifier: PushVerifier,
        topic_name: str = DEFAULT_TOPIC,
        watch_label_ids: Sequence[str] = ("INBOX",),
        history_page_size: int = 500,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        authorize_url_base: str = DEFAULT_AUTHORIZE_URL,
        scopes: Sequence[str] = DEFAULT_SCOPES,
    ) -> None:
        self._http = http
        self._users = f"{api_url.rstrip('/')}/gmail/v1/users"
        self._token_url = f"{oauth_url.rstrip('/')}/token"
        self._authorize_url = authorize_url_base
        self._scopes = list(scopes)
        self._client_id = client_id
        self._client_secret = client_secret
        self._verifier = push_verifier
        self._topic_name = topic_name
        self._watch_label_ids = list(watch_label_ids)
        self._history_page_size = history_page_size
        self._clock = clock

    # WebhookSource

    def verify(self, request: WebhookRequest) -> None:
        self._verifier.verify(request.headers.get("authorization"))

    def challenge(self, request: WebhookRequest) -> str | None:
        return None  # Pub/Sub push has no handshake: the subscription is set up in Google Cloud

    def parse(self, request: WebhookRequest) -> list[Notification]:
        try:
            envelope = PushEnvelope.model_validate_json(request.body)
            data = decode_push_data(envelope.message)
        except (ValidationError, ValueError) as exc:
            raise WebhookRejected("malformed push body") from exc
        return [
            Notification(
                dedupe_key=envelope.message.message_id,
                account_key=data.email_address.strip().lower(),
                payload={
                    "history_id": str(data.history_id),
                    "publish_time": envelope.message.publish_time or "",
                },
            )
        ]

    # MessageSource

    def watch(
        self, credentials: Credentials, *, account: str, current: Watch | None = None
    ) -> Watch:
        # users.watch is idempotent: calling it again renews the one watch a mailbox has.
        body: dict[str, Any] = {"topicName": self._topic_name}
        if self._watch_label_ids:
            body |= {"labelIds": self._watch_label_ids, "labelFilterBehavior": "include"}
        response = self._call(credentials, "POST", "/watch", json=body)
        watch = _model(WatchResponse, response)
        return Watch(cursor=watch.history_id, expires_at=watch.expires_at, external_id="")

    def unwatch(self, credentials: Credentials, *, account: str, current: Watch) -> None:
        self._call(credentials, "POST", "/stop")

    def changes_since(self, credentials: Credentials, *, account: str, cursor: str) -> ChangeBatch:
        refs: dict[str, MessageRef] = {}
        params: dict[str, str | int] = {
            "startHistoryId": cursor,
            "historyTypes": "messageAdded",
            "maxResults": self._history_page_size,
        }
        while True:
            response = self._call(credentials, "GET", "/history", params=params, on_404=True)
            if response.status_code == 404:
                raise CursorExpired("gmail: history cursor no longer known (404)")
            page = _model(HistoryListResponse, response)
            for record in page.history:
                for added in record.messages_added:
                    stub = added.message
                    if _SKIPPED_LABELS.isdisjoint(stub.label_ids):
                        refs.setdefault(stub.id, MessageRef(stub.id, stub.thread_id or stub.id))
            # The cursor is only safe to store once the last page has been read.
            if not page.next_page_token:
                return ChangeBatch(added=tuple(refs.values()), cursor=page.history_id)
            params["pageToken"] = page.next_page_token

    def recent(self, credentials: Credentials, *, account: str, limit: int) -> ChangeBatch:
        # Read the cursor first: anything arriving during the listing is then seen
        # again by the next history call (a harmless duplicate) rather than lost.
        profile = _model(ProfileResponse, self._call(credentials, "GET", "/profile"))
        listing = _model(
            MessageListResponse,
            self._call(credentials, "GET", "/messages", params={"maxResults": limit}),
        )
        refs = {m.id: MessageRef(m.id, m.thread_id or m.id) for m in listing.messages}
        return ChangeBatch(added=tuple(refs.values()), cursor=profile.history_id)

    def fetch(
        self, credentials: Credentials, *, account: str, refs: Sequence[MessageRef]
    ) -> list[ParsedMessage]:
        # messages.list (recent) names drafts too: like deleted ones, they are skipped.
        parsed = (self._fetch_raw(credentials, ref.message_id) for ref in refs)
        return [
            message
            for message in parsed
            if message is not None and _SKIPPED_LABELS.isdisjoint(message.labels)
        ]

    def _fetch_raw(self, credentials: Credentials, message_id: str) -> ParsedMessage | None:
        """One message as RFC 822 bytes, attachments included; None when it was deleted.

        The response is streamed through split_raw_resource so a large message is held
        once, decoded, rather than as JSON text plus its decoded copies.
        """
        request = self._request(
            credentials, "GET", f"/messages/{message_id}", params={"format": "raw"}
        )
        try:
            with self._http.stream(**request) as response:
                if response.status_code == 404:
                    return None  # deleted since the change was recorded
                if not response.is_success:
                    response.read()
                    raise error_for_response(response)
                resource, raw = split_raw_resource(response.iter_bytes())
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        except NotARawResource as exc:
            raise ConnectorError("gmail: message response is not a JSON object") from exc
        return parse_gmail_raw(resource, raw)

    # DraftSink

    def save_draft(self, credentials: Credentials, *, account: str, draft: MailDraft) -> str:
        """drafts.create in the mailbox of account (its address is the userId and From).

        Naming the mailbox rather than "me" makes Gmail refuse (403) credentials that
        belong to another one, instead of keeping the draft in the wrong mailbox.
        """
        raw = reply_message(draft, sender=account, date=self._clock())
        message: dict[str, str] = {"raw": raw_field(raw)}
        if draft.thread_id:
            message["threadId"] = draft.thread_id
        response = self._call(
            credentials, "POST", "/drafts", json={"message": message}, user=account, on_404=True
        )
        if response.status_code == 404:
            raise ConnectorError("gmail: the thread the draft answers is gone (404)")
        return _model(DraftResponse, response).id

    # TokenRefresher

    def refresh(self, refresh_token: str) -> TokenGrant:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        token = self._token(form, refused="google: refresh token expired or revoked")
        return self._grant(token)

    # OAuthConnector

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        params = {
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(self._scopes),
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            # offline + consent: Google issues a refresh token only then (and on re-consent
            # only with prompt=consent), and the hub cannot sync without one.
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        }
        separator = "&" if "?" in self._authorize_url else "?"
        return f"{self._authorize_url}{separator}{urlencode(params, quote_via=quote)}"

    def connect(self, *, code: str, redirect_uri: str, code_verifier: str) -> ConnectedAccount:
        grant = self.exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        return ConnectedAccount(self.whoami(grant.access_token), grant)

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenGrant:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "code_verifier": code_verifier,
        }
        token = self._token(form, refused="google: authorization code refused")
        if not token.refresh_token:
            raise ConnectorError(
                "google returned no refresh token; the consent must ask for offline access"
            )
        return self._grant(token)

    def whoami(self, access_token: str) -> str:
        credentials = Credentials(access_token=access_token, refresh_token=None, expires_at=None)
        profile = _model(ProfileResponse, self._call(credentials, "GET", "/profile"))
        address = profile.email_address.strip().lower()
        if not address:
            raise ConnectorError("gmail: profile names no mailbox")
        return address

    def _token(self, form: Mapping[str, str], *, refused: str) -> TokenResponse:
        """POST the token endpoint; invalid_grant raises AuthExpired(refused)."""
        try:
            response = self._http.post(self._token_url, data=form)
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if response.status_code in (400, 401):
            error = _json_object(response, strict=False).get("error")
            if error == "invalid_grant":
                raise AuthExpired(refused)
            # RFC 6749 error codes are short ASCII words: safe to name (invalid_client, ...).
            named = f": {error}" if isinstance(error, str) and _OAUTH_ERROR.fullmatch(error) else ""
            raise ConnectorError(f"google token endpoint refused ({response.status_code}){named}")
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

    def _request(
        self,
        credentials: Credentials,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        user: str = "me",
    ) -> dict[str, Any]:
        if not credentials.access_token:
            raise AuthExpired("gmail: no access token")
        return {
            "method": method,
            "url": f"{self._users}/{quote(user.strip(), safe='@')}{path}",
            "params": params,
            "json": json,
            "headers": {"Authorization": f"Bearer {credentials.access_token}"},
        }

    def _call(
        self,
        credentials: Credentials,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        on_404: bool = False,
        user: str = "me",
    ) -> httpx.Response:
        """Send one authorized request; with on_404 a 404 is returned for the caller."""
        request = self._request(credentials, method, path, params=params, json=json, user=user)
        try:
            response = self._http.request(**request)
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if response.is_success or (on_404 and response.status_code == 404):
            return response
        raise error_for_response(response)


def _json_object(response: httpx.Response, *, strict: bool = True) -> dict[str, Any]:
    try:
        body: Any = response.json()
    except ValueError as exc:
        if not strict:
            return {}
        raise ConnectorError(f"gmail: response is not JSON ({response.status_code})") from exc
    if not isinstance(body, dict):
        if not strict:
            return {}
        raise ConnectorError("gmail: response is not a JSON object")
    return body


def _model(model: type[_Model], response: httpx.Response) -> _Model:
    try:
        return model.model_validate(_json_object(response))
    except ValidationError as exc:
        raise ConnectorError(f"gmail: unexpected {model.__name__} shape") from exc
