"""The authorization-code flow with PKCE (S256) as the provider fakes run it.

Provider-neutral: GmailFake (Google) and GraphFake (the Microsoft identity platform)
both use it and add only their wire details (error pages, AADSTS codes, token bodies).
What it enforces is what both providers do:

- client_id and redirect_uri are checked first; when either is wrong the user gets an
  error page (AuthorizeRefused.redirect_uri is None), never a redirect to an unverified
  URI (RFC 6749 §4.1.2.1). Every later problem goes back to redirect_uri as error=...
  with the state.
- A code is single-use, lives 10 minutes, and is bound to the client_id, the exact
  redirect_uri and the code_challenge; the verifier must hash (S256) to the challenge.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from starlette.responses import RedirectResponse

CODE_LIFETIME = timedelta(minutes=10)
# RFC 7636 §4.1-4.2: verifier and challenge are 43-128 unreserved characters.
_PKCE_VALUE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
_NEVER_REDIRECTED = ("client_id", "redirect_uri")


class AuthorizeRefused(Exception):
    """An authorization request the fake refuses.

    redirect_uri is None when the refusal must be shown as a page (bad client or
    redirect URI); otherwise error and description go back to redirect_uri with state.
    parameter names what was wrong ("" for a denied consent), for provider wording.
    """

    def __init__(
        self,
        error: str,
        description: str,
        *,
        parameter: str = "",
        redirect_uri: str | None = None,
        state: str | None = None,
    ) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.parameter = parameter
        self.redirect_uri = redirect_uri
        self.state = state


class CodeRefused(Exception):
    """A code the token endpoint refuses (always invalid_grant on the wire).

    reason is one of: unknown, redeemed, expired, client, redirect_uri, verifier.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated authorization request; query holds every parameter as sent."""

    client_id: str
    redirect_uri: str
    state: str | None
    scopes: tuple[str, ...]
    code_challenge: str
    login_hint: str | None
    query: Mapping[str, str]

    def refuse(self, error: str, description: str, *, parameter: str = "") -> AuthorizeRefused:
        """A refusal sent back to the (verified) redirect_uri."""
        return AuthorizeRefused(
            error,
            description,
            parameter=parameter,
            redirect_uri=self.redirect_uri,
            state=self.state,
        )


@dataclass(frozen=True)
class IssuedCode:
    client_id: str
    redirect_uri: str
    code_challenge: str
    address: str
    scopes: tuple[str, ...]
    offline: bool  # whether redeeming it yields a refresh token
    expires_at: datetime


class AuthorizationServer:
    """Consent and codes for one fake; every method is safe to call from any thread.

    Consent is automatic: for the account named by login_hint, else the first account
    added. deny_next_consent() makes the next consents come back as access_denied.
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        client_id: str | None = None,
        redirect_uris: Collection[str] | None = None,
        code_prefix: str = "",
        lifetime: timedelta = CODE_LIFETIME,
    ) -> None:
        self._clock = clock
        self._client_id = client_id
        self._redirect_uris = frozenset(redirect_uris) if redirect_uris is not None else None
        self._code_prefix = code_prefix
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self._accounts: list[str] = []
        self._codes: dict[str, IssuedCode] = {}
        self._redeemed: set[str] = set()
        self._denials = 0

    # Control

    def add_account(self, address: str) -> None:
        key = address.strip().lower()
        with self._lock:
            if key not in self._accounts:
                self._accounts.append(key)

    def deny_next_consent(self, count: int = 1) -> None:
        """The next `count` consents are declined by the user (error=access_denied)."""
        with self._lock:
            self._denials += count

    def expire_codes(self) -> None:
        """Age every outstanding code past its lifetime."""
        with self._lock:
            past = self._clock() - timedelta(seconds=1)
            self._codes = {
                code: replace(issued, expires_at=past) for code, issued in self._codes.items()
            }

    # The authorization endpoint

    def parse(self, items: Sequence[tuple[str, str]]) -> AuthorizationRequest:
        """Validate an authorization request's query; raise AuthorizeRefused."""
        query: dict[str, str] = {}
        repeated: list[str] = []
        for key, value in items:
            if key in query:
                repeated.append(key)
            query[key] = value
        client_id = query.get("client_id", "")
        if not client_id or "client_id" in repeated:
            raise AuthorizeRefused("invalid_request", "client_id is missing", parameter="client_id")
        if self._client_id is not None and client_id != self._client_id:
            raise AuthorizeRefused(
                "invalid_client", "The OAuth client was not found.", parameter="client_id"
            )
        redirect_uri = query.get("redirect_uri", "")
        if "redirect_uri" in repeated or not _redirectable(redirect_uri):
            raise AuthorizeRefused(
                "invalid_request",
                "redirect_uri must be an absolute http(s) URI without a fragment",
                parameter="redirect_uri",
            )
        if self._redirect_uris is not None and redirect_uri not in self._redirect_uris:
            raise AuthorizeRefused(
                "redirect_uri_mismatch",
                "The redirect URI does not match one registered for the client.",
                parameter="redirect_uri",
            )
        request = AuthorizationRequest(
            client_id=client_id,
            redirect_uri=redirect_uri,
            state=query.get("state"),
            scopes=tuple(query.get("scope", "").split()),
            code_challenge=query.get("code_challenge", ""),
            login_hint=query.get("login_hint", "").strip().lower() or None,
            query=query,
        )
        self._check(request, repeated)
        return request

    def _check(self, request: AuthorizationRequest, repeated: Sequence[str]) -> None:
        if repeated:
            name = repeated[0]
            raise request.refuse("invalid_request", f"{name} is repeated", parameter=name)
        response_type = request.query.get("response_type", "")
        if not response_type:
            raise request.refuse(
                "invalid_request", "response_type is missing", parameter="response_type"
            )
        if response_type != "code":
            raise request.refuse(
                "unsupported_response_type",
                f"response_type {response_type[:20]!r} is not supported",
                parameter="response_type",
            )
        if not request.scopes:
            raise request.refuse("invalid_request", "scope is missing", parameter="scope")
        if not request.code_challenge:
            raise request.refuse(
                "invalid_request", "code_challenge is required", parameter="code_challenge"
            )
        if request.query.get("code_challenge_method") != "S256":
            raise request.refuse(
                "invalid_request",
                "code_challenge_method must be S256",
                parameter="code_challenge_method",
            )
        if not _PKCE_VALUE.fullmatch(request.code_challenge):
            raise request.refuse(
                "invalid_request", "code_challenge is malformed", parameter="code_challenge"
            )

    def consent(self, request: AuthorizationRequest, *, offline: bool) -> tuple[str, str]:
        """The user consents: (code, mailbox address); AuthorizeRefused when declined."""
        with self._lock:
            if self._denials > 0:
                self._denials -= 1
                raise request.refuse("access_denied", "The user declined the consent.")
            address = request.login_hint or (self._accounts[0] if self._accounts else None)
            if address is None:
                raise request.refuse("access_denied", "No account is signed in.")
            code = f"{self._code_prefix}{secrets.token_urlsafe(48)}"
            self._codes[code] = IssuedCode(
                client_id=request.client_id,
                redirect_uri=request.redirect_uri,
                code_challenge=request.code_challenge,
                address=address,
                scopes=request.scopes,
                offline=offline,
                expires_at=self._clock() + self._lifetime,
            )
            return code, address

    # The token endpoint

    def redeem(
        self, code: str, *, client_id: str, redirect_uri: str, code_verifier: str
    ) -> IssuedCode:
        """Spend code (whatever the outcome) and return what it was issued for."""
        with self._lock:
            issued = self._codes.pop(code, None)
            if issued is None:
                raise CodeRefused("redeemed" if code in self._redeemed else "unknown")
            self._redeemed.add(code)
        if issued.expires_at <= self._clock():
            raise CodeRefused("expired")
        if client_id != issued.client_id:
            raise CodeRefused("client")
        if redirect_uri != issued.redirect_uri:
            raise CodeRefused("redirect_uri")
        if not _PKCE_VALUE.fullmatch(code_verifier):
            raise CodeRefused("verifier")
        challenge: str = create_s256_code_challenge(code_verifier)
        if not hmac.compare_digest(challenge.encode(), issued.code_challenge.encode()):
            raise CodeRefused("verifier")
        return issued


def redirect_with(uri: str, params: Mapping[str, str | None]) -> RedirectResponse:
    """302 to uri with params added to the query it already has (None values left out)."""
    parts = urlsplit(uri)
    added = urlencode({key: value for key, value in params.items() if value is not None})
    query = f"{parts.query}&{added}" if parts.query and added else parts.query or added
    location = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-store"})


def _redirectable(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and "#" not in uri
