"""The Graph fake's identity platform: consent, the code and refresh grants, and bearers.

Consent (GET /{tenant}/oauth2/v2.0/authorize) is automatic and needs PKCE (S256); the
flow's rules are connectors.fakeoauth's, worded here as Microsoft words them.
"""

from __future__ import annotations

import html
import secrets
import threading
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta

from starlette.responses import HTMLResponse, JSONResponse, Response

from connectors.fakeoauth import (
    AuthorizationServer,
    AuthorizeRefused,
    CodeRefused,
    redirect_with,
)
from connectors.outlook.fake_wire import graph_error, oauth_error

ACCESS_TOKEN_SECONDS = 4599  # the identity platform varies it (60-90 min); never 3600
_SCOPE = "https://graph.microsoft.com/Mail.Read offline_access"
_EXPIRED = (
    70008,
    "The provided authorization code or refresh token has expired due to inactivity. Send a new"
    " interactive authorization request for this user and resource.",
)
# Why a code was refused -> (AADSTS code, description), all sent as invalid_grant.
_CODE_REFUSALS: dict[str, tuple[int, str]] = {
    "unknown": (9002313, "Invalid request. Request is malformed or invalid."),
    "redeemed": (
        54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code or"
        " use an existing refresh token.",
    ),
    "expired": _EXPIRED,
    "client": (70000, "Provided grant is invalid or malformed."),
    "redirect_uri": (
        500112,
        "The reply address does not match the reply address provided when requesting the"
        " authorization code.",
    ),
    "verifier": (
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization"
        " request.",
    ),
}


class TokenStore:
    """Which mailbox each refresh and access token stands for; safe from any thread."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uris: Collection[str] | None = None,
    ) -> None:
        self._clock = clock
        self._client_id = client_id
        self._client_secret = client_secret
        self.authorization = AuthorizationServer(
            clock, client_id=client_id, redirect_uris=redirect_uris, code_prefix="0.AXkA"
        )
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

    def authorize(self, items: Sequence[tuple[str, str]]) -> Response:
        """GET /{tenant}/oauth2/v2.0/authorize: consent, then 302 back with a code."""
        try:
            request = self.authorization.parse(items)
            if request.query.get("response_mode", "query") != "query":
                raise request.refuse(
                    "invalid_request",
                    "only response_mode=query is supported",
                    parameter="response_mode",
                )
            code, _ = self.authorization.consent(
                request, offline="offline_access" in request.scopes
            )
        except AuthorizeRefused as refused:
            number, description = _authorize_refusal(refused)
            if refused.redirect_uri is None:
                return _error_page(number, description)
            params = {
                "error": refused.error,
                "error_description": f"AADSTS{number}: {description}",
                "error_subcode": "cancel" if refused.error == "access_denied" else None,
                "state": refused.state,
            }
            return redirect_with(refused.redirect_uri, params)
        params = {"code": code, "state": request.state, "session_state": str(uuid.uuid4())}
        return redirect_with(request.redirect_uri, params)

    def grant(self, form: Mapping[str, str]) -> Response:
        """POST /{tenant}/oauth2/v2.0/token: the refresh_token and authorization_code grants."""
        grant_type = form.get("grant_type")
        if grant_type not in ("refresh_token", "authorization_code"):
            return oauth_error(
                "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        if (self._client_id and form.get("client_id") != self._client_id) or (
            self._client_secret and form.get("client_secret") != self._client_secret
        ):
            return oauth_error(
                "invalid_client", 7000215, "Invalid client secret provided.", status=401
            )
        if grant_type == "authorization_code":
            return self._code_grant(form)
        rotated = f"1.AXkA{secrets.token_urlsafe(48)}"
        with self._lock:
            # Rotation: the presented refresh token is spent and the new one replaces it.
            address = self._refresh.pop(form.get("refresh_token", ""), None)
            if address is not None:
                self._refresh[rotated] = address
        if address is None:
            return oauth_error("invalid_grant", *_EXPIRED)
        return self._tokens(address, _SCOPE, rotated)

    def _code_grant(self, form: Mapping[str, str]) -> Response:
        try:
            issued = self.authorization.redeem(
                form.get("code", ""),
                client_id=form.get("client_id", ""),
                redirect_uri=form.get("redirect_uri", ""),
                code_verifier=form.get("code_verifier", ""),
            )
        except CodeRefused as refused:
            return oauth_error("invalid_grant", *_CODE_REFUSALS[refused.reason])
        refresh_token = None
        if issued.offline:  # offline_access was consented: a refresh token for the mailbox
            refresh_token = f"1.AXkA{secrets.token_urlsafe(48)}"
            self.add_refresh_token(refresh_token, issued.address)
        return self._tokens(issued.address, " ".join(issued.scopes), refresh_token)

    def _tokens(self, address: str, scope: str, refresh_token: str | None) -> Response:
        body = {
            "token_type": "Bearer",
            "scope": scope,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "ext_expires_in": ACCESS_TOKEN_SECONDS,
            "access_token": self.issue_access_token(address),
        }
        if refresh_token is not None:
            body["refresh_token"] = refresh_token
        return JSONResponse(body, headers={"Cache-Control": "no-store, no-cache"})


# The parameter an authorization request got wrong -> (AADSTS code, description).
_AUTHORIZE_REFUSALS: dict[str, tuple[int, str]] = {
    "client_id": (
        700016,
        "Application with the identifier given was not found in the directory. This can"
        " happen if the application has not been installed by the administrator of the tenant.",
    ),
    "redirect_uri": (
        50011,
        "The redirect URI specified in the request does not match the redirect URIs"
        " configured for the application.",
    ),
    "response_type": (900144, "The request body must contain a valid 'response_type'."),
    "scope": (900144, "The request body must contain the following parameter: 'scope'."),
    "code_challenge": (501491, "Invalid size of Code_Challenge parameter."),
    "code_challenge_method": (
        9002313,
        "Invalid request. Request is malformed or invalid: code_challenge_method must be S256.",
    ),
    "response_mode": (9002313, "Invalid request. Request is malformed or invalid."),
}


def _authorize_refusal(refused: AuthorizeRefused) -> tuple[int, str]:
    if refused.error == "access_denied":
        if refused.description.startswith("No account"):
            return 50058, "A silent sign-in request was sent but no user is signed in."
        return 65004, "User declined to consent to access the app."
    default = (9002313, f"Invalid request. Request is malformed or invalid: {refused.description}")
    return _AUTHORIZE_REFUSALS.get(refused.parameter, default)


def _error_page(number: int, description: str) -> Response:
    """The sign-in page's error, shown instead of redirecting to an unverified URI."""
    text = html.escape(f"AADSTS{number}: {description}")
    page = (
        "<!doctype html><html><head><title>Sign in to your account</title></head>"
        f"<body><h1>Sorry, but we're having trouble signing you in.</h1><p>{text}</p></body></html>"
    )
    return HTMLResponse(page, status_code=400)
