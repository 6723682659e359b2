"""The Graph fake's tokens: the identity platform's refresh grant (with rotation) and bearers."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from starlette.responses import JSONResponse, Response

from connectors.outlook.fake_wire import graph_error, oauth_error

ACCESS_TOKEN_SECONDS = 4599  # the identity platform varies it (60-90 min); never 3600
_SCOPE = "https://graph.microsoft.com/Mail.Read offline_access"


class TokenStore:
    """Which mailbox each refresh and access token stands for; safe from any thread."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        self._clock = clock
        self._client_id = client_id
        self._client_secret = client_secret
        self._lock = threading.Lock()
        self._refresh: dict[str, str] = {}
        self._access: dict[str, tuple[str, datetime]] = {}

    def add_refresh_token(self, token: str, address: str) -> None:
        with self._lock:
            self._refresh[token] = address

    def refresh_tokens_of(self, address: str) -> list[str]:
        with self._lock:
            return [token for token, owner in self._refresh.items() if owner == address]

    def revoke_refresh_token(self, token: str) -> None:
        with self._lock:
            self._refresh.pop(token, None)

    def issue_access_token(self, address: str, expires_in: int = ACCESS_TOKEN_SECONDS) -> str:
        token = f"EwB{secrets.token_urlsafe(32)}"
        with self._lock:
            self._access[token] = (address, self._clock() + timedelta(seconds=expires_in))
        return token

    def expire_access_tokens(self) -> None:
        with self._lock:
            self._access.clear()

    def bearer_owner(self, authorization: str) -> str | Response:
        """The mailbox an Authorization header speaks for, or Graph's 401 answer."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return graph_error(401, message="Access token is empty.")
        with self._lock:
            owner = self._access.get(token.strip())
        if owner is None:
            return graph_error(401, message="Access token validation failure.")
        if owner[1] <= self._clock():
            return graph_error(401)
        return owner[0]

    def grant(self, form: Mapping[str, str]) -> Response:
        """POST /{tenant}/oauth2/v2.0/token with grant_type=refresh_token."""
        if form.get("grant_type") != "refresh_token":
            return oauth_error(
                "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        if (self._client_id and form.get("client_id") != self._client_id) or (
            self._client_secret and form.get("client_secret") != self._client_secret
        ):
            return oauth_error(
                "invalid_client", 7000215, "Invalid client secret provided.", status=401
            )
        rotated = f"1.AXkA{secrets.token_urlsafe(48)}"
        with self._lock:
            # Rotation: the presented refresh token is spent and the new one replaces it.
            address = self._refresh.pop(form.get("refresh_token", ""), None)
            if address is not None:
                self._refresh[rotated] = address
        if address is None:
            return oauth_error(
                "invalid_grant",
                70008,
                "The provided authorization code or refresh token has expired due to"
                " inactivity. Send a new interactive authorization request for this user"
                " and resource.",
            )
        body = {
            "token_type": "Bearer",
            "scope": _SCOPE,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "ext_expires_in": ACCESS_TOKEN_SECONDS,
            "access_token": self.issue_access_token(address),
            "refresh_token": rotated,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store, no-cache"})
