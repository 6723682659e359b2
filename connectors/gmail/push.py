"""Verify the OIDC bearer token Pub/Sub attaches to authenticated push deliveries."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from connectors.errors import ProviderUnavailable, WebhookRejected

GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
# However many unknown kids arrive, Google's certs endpoint sees at most one extra
# fetch per this many seconds.
UNKNOWN_KID_REFETCH_SECONDS = 60.0


class PushVerifier:
    """Checks signature (RS256 against the JWKS at certs_url), iss, aud, email, expiry."""

    def __init__(
        self,
        certs_url: str,
        audience: str,
        service_account: str,
        http: httpx.Client,
        leeway_seconds: int = 60,
        cache_seconds: int = 3600,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._certs_url = certs_url
        self._audience = audience
        self._service_account = service_account.lower()
        self._http = http
        self._leeway = leeway_seconds
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = threading.Lock()

    def verify(self, authorization_header: str | None) -> dict[str, Any]:
        """Return the token's claims, or raise WebhookRejected with a short reason.

        Raises ProviderUnavailable when the keys cannot be fetched at all: that is
        our outage, not a forged request, and Pub/Sub will redeliver.
        """
        token = _bearer_token(authorization_header)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise WebhookRejected("malformed token") from exc
        if header.get("alg") != "RS256":
            raise WebhookRejected("unexpected token algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise WebhookRejected("token has no key id")
        claims = self._decode(token, self._key_for(kid))
        if str(claims.get("email", "")).lower() != self._service_account:
            raise WebhookRejected("unexpected service account")
        if claims.get("email_verified") not in (True, "true"):
            raise WebhookRejected("service account email not verified")
        return claims

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self._audience,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "email"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise WebhookRejected("token expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise WebhookRejected("token not yet valid") from exc
        except jwt.InvalidAudienceError as exc:
            raise WebhookRejected("wrong audience") from exc
        except jwt.InvalidSignatureError as exc:
            raise WebhookRejected("bad signature") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise WebhookRejected(f"missing claim {exc.claim}") from exc
        except jwt.PyJWTError as exc:
            raise WebhookRejected("invalid token") from exc
        if claims.get("iss") not in GOOGLE_ISSUERS:
            raise WebhookRejected("wrong issuer")
        return claims

    def _key_for(self, kid: str) -> Any:
        with self._lock:
            now = self._clock()
            expired = self._fetched_at is None or now - self._fetched_at >= self._cache_seconds
            # An unknown kid may mean Google rotated keys; a flood of random kids (or an
            # outage) still costs Google at most one fetch per interval.
            due = expired or kid not in self._keys
            allowed = (
                self._attempted_at is None
                or now - self._attempted_at >= UNKNOWN_KID_REFETCH_SECONDS
            )
            if due and allowed:
                self._refresh(now)
            if self._fetched_at is None:
                raise ProviderUnavailable("google certs unavailable")
            key = self._keys.get(kid)
        if key is None:
            raise WebhookRejected("unknown signing key")
        return key

    def _refresh(self, now: float) -> None:
        self._attempted_at = now
        try:
            response = self._http.get(self._certs_url)
            response.raise_for_status()
            keys = _rsa_keys(response.json())
        except (httpx.HTTPError, ValueError):
            # Stale keys keep serving through a Google hiccup; none at all is our outage.
            return
        self._keys = keys
        self._fetched_at = now


def _bearer_token(authorization_header: str | None) -> str:
    if not authorization_header:
        raise WebhookRejected("missing bearer token")
    scheme, _, token = authorization_header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise WebhookRejected("missing bearer token")
    return token.strip()


def _rsa_keys(jwks: Any) -> dict[str, Any]:
    """Public RSA keys by kid from a JWKS document; other key types are ignored."""
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWKS document")
    keys: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or not entry.get("kid"):
            continue
        try:
            keys[str(entry["kid"])] = jwt.PyJWK(entry, algorithm="RS256").key
        except jwt.PyJWTError:
            continue
    return keys
