"""Slack's OAuth v2 install flow as SlackFake runs it (no PKCE, unlike connectors.fakeoauth).

connectors.fakeoauth.AuthorizationServer requires response_type=code and an S256
code_challenge, which Slack's install flow never sends, so this is the small Slack
variant. What it enforces is what Slack does:

- client_id, redirect_uri and scope are checked first; when one is wrong the user sees
  an error page (InstallRefused), never a redirect to an unverified URI. A declined
  consent goes back to redirect_uri as error=access_denied with the state.
- A code is single-use, lives 10 minutes and is bound to the client_id and the exact
  redirect_uri. oauth.v2.access checks the client (form fields or HTTP Basic) before
  it spends the code.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from connectors.fakeoauth import CODE_LIFETIME


class InstallRefused(Exception):
    """An authorization request shown as an error page (HTTP 400), never redirected."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class AccessRefused(Exception):
    """oauth.v2.access refusing: becomes HTTP 200 {"ok": false, "error": code}."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class InstallRequest:
    """A validated authorization request; query holds every parameter as sent."""

    client_id: str
    redirect_uri: str
    state: str | None
    scopes: tuple[str, ...]
    team: str | None
    channel: str | None
    query: Mapping[str, str]


@dataclass(frozen=True)
class InstallCode:
    """What a code was issued for: the client, redirect and the consented install."""

    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    team_id: str
    channel_id: str | None
    expires_at: datetime


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str


class SlackOAuthServer:
    """Consent and codes for SlackFake; every method is safe to call from any thread.

    client_id / client_secret / redirect_uris set to None accept any value (an absolute
    http(s) redirect URI is still required).
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uris: Collection[str] | None = None,
        lifetime: timedelta = CODE_LIFETIME,
    ) -> None:
        self._clock = clock
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uris = frozenset(redirect_uris) if redirect_uris is not None else None
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self._codes: dict[str, InstallCode] = {}
        self._redeemed: set[str] = set()
        self._denials = 0

    # Control

    def deny_next_consent(self, count: int = 1) -> None:
        with self._lock:
            self._denials += count

    def expire_codes(self) -> None:
        """Age every outstanding code past its lifetime."""
        with self._lock:
            past = self._clock() - timedelta(seconds=1)
            self._codes = {code: replace(c, expires_at=past) for code, c in self._codes.items()}

    # The authorization endpoint

    def parse(self, items: Sequence[tuple[str, str]]) -> InstallRequest:
        """Validate /oauth/v2/authorize's query; raise InstallRefused (an error page)."""
        query: dict[str, str] = {}
        for key, value in items:
            if key in query:
                raise InstallRefused("invalid_request", f"{key[:40]} is repeated")
            query[key] = value
        client_id = query.get("client_id", "")
        if not client_id:
            raise InstallRefused("invalid_client_id", "client_id is missing")
        if self._client_id is not None and client_id != self._client_id:
            raise InstallRefused("invalid_client_id", "Invalid client_id parameter")
        redirect_uri = query.get("redirect_uri", "")
        if not _redirectable(redirect_uri):
            raise InstallRefused(
                "bad_redirect_uri",
                "redirect_uri must be an absolute http(s) URI without a fragment",
            )
        if self._redirect_uris is not None and redirect_uri not in self._redirect_uris:
            raise InstallRefused(
                "bad_redirect_uri", "redirect_uri did not match any configured URIs"
            )
        scopes = tuple(s.strip() for s in query.get("scope", "").split(",") if s.strip())
        if not scopes:
            raise InstallRefused("invalid_scope", "scope is missing: no bot scopes requested")
        return InstallRequest(
            client_id=client_id,
            redirect_uri=redirect_uri,
            state=query.get("state"),
            scopes=scopes,
            team=query.get("team") or None,
            channel=query.get("channel") or None,
            query=query,
        )

    def take_denial(self) -> bool:
        """Whether the user declines this consent (deny_next_consent was called)."""
        with self._lock:
            if self._denials <= 0:
                return False
            self._denials -= 1
            return True

    def issue(self, request: InstallRequest, *, team_id: str, channel_id: str | None) -> str:
        code = f"{secrets.randbelow(10**13):013d}.{secrets.randbelow(10**13):013d}."
        code += secrets.token_hex(32)
        with self._lock:
            self._codes[code] = InstallCode(
                client_id=request.client_id,
                redirect_uri=request.redirect_uri,
                scopes=request.scopes,
                team_id=team_id,
                channel_id=channel_id,
                expires_at=self._clock() + self._lifetime,
            )
        return code

    # oauth.v2.access

    def client_of(self, params: Mapping[str, object], authorization: str) -> ClientCredentials:
        """The calling client, from HTTP Basic or the form; AccessRefused when wrong."""
        client_id = str(params.get("client_id") or "")
        client_secret = str(params.get("client_secret") or "")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise AccessRefused("invalid_client_id") from None
            client_id, _, client_secret = decoded.partition(":")
        if not client_id or (self._client_id is not None and client_id != self._client_id):
            raise AccessRefused("invalid_client_id")
        if self._client_secret is not None and not hmac.compare_digest(
            client_secret.encode(), self._client_secret.encode()
        ):
            raise AccessRefused("bad_client_secret")
        return ClientCredentials(client_id, client_secret)

    def redeem(self, code: str, *, client_id: str, redirect_uri: str) -> InstallCode:
        """Spend code (whatever the outcome) and return what it was issued for."""
        if not code:
            raise AccessRefused("invalid_code")
        with self._lock:
            issued = self._codes.pop(code, None)
            if issued is None:
                raise AccessRefused(
                    "code_already_used" if code in self._redeemed else "invalid_code"
                )
            self._redeemed.add(code)
        if issued.expires_at <= self._clock() or client_id != issued.client_id:
            raise AccessRefused("invalid_code")
        if redirect_uri != issued.redirect_uri:
            raise AccessRefused("bad_redirect_uri")
        return issued


def _redirectable(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and "#" not in uri
