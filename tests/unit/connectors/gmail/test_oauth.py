"""GmailConnector's OAuth calls: authorize URL, code exchange, whoami (in-memory transports)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connectors.base import OAuthConnector
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable
from connectors.gmail.connector import GmailConnector
from connectors.gmail.push import PushVerifier

API = "https://gmail.test"
OAUTH = "https://oauth.test"
NOW = datetime(2024, 6, 20, 10, 0, tzinfo=UTC)
REDIRECT = "https://hub.example.com/api/v1/connections/gmail/callback"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

Handler = Callable[[httpx.Request], httpx.Response]
Make = Callable[..., tuple[GmailConnector, list[httpx.Request]]]


@pytest.fixture
def make() -> Iterator[Make]:
    clients: list[httpx.Client] = []

    def build(
        handler: Handler | None = None, **options: Any
    ) -> tuple[GmailConnector, list[httpx.Request]]:
        requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            if handler is None:
                raise AssertionError(f"unexpected request {request.url}")
            return handler(request)

        http = httpx.Client(transport=httpx.MockTransport(record))
        clients.append(http)
        connector = GmailConnector(
            http=http,
            api_url=API,
            oauth_url=OAUTH,
            client_id="client-id.apps.googleusercontent.com",
            client_secret="client-secret",
            push_verifier=PushVerifier("https://certs.test", "aud", "sa@example.com", http),
            clock=lambda: NOW,
            **options,
        )
        return connector, requests

    yield build
    for client in clients:
        client.close()


def answer(status: int, body: Any) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def form_of(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode(), strict_parsing=True).items()}


def test_implements_the_oauth_protocol(make: Make) -> None:
    connector, _ = make()

    assert isinstance(connector, OAuthConnector)


def test_authorize_url_asks_google_for_offline_consent_with_pkce(make: Make) -> None:
    connector, requests = make()

    url = connector.authorize_url(
        redirect_uri=REDIRECT, state="st&te=1 x", code_challenge=CHALLENGE
    )

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "accounts.google.com",
        "/o/oauth2/v2/auth",
    )
    assert parse_qs(parts.query, strict_parsing=True) == {
        "client_id": ["client-id.apps.googleusercontent.com"],
        "redirect_uri": [REDIRECT],
        "response_type": ["code"],
        "scope": [
            "https://www.googleapis.com/auth/gmail.readonly"
            " https://www.googleapis.com/auth/gmail.compose"
        ],
        "state": ["st&te=1 x"],
        "code_challenge": [CHALLENGE],
        "code_challenge_method": ["S256"],
        "access_type": ["offline"],
        "prompt": ["consent"],
        "include_granted_scopes": ["true"],
    }
    assert requests == []  # building the URL calls nobody


def test_authorize_url_uses_the_configured_base_and_scopes(make: Make) -> None:
    connector, _ = make(
        authorize_url_base="http://127.0.0.1:8765/o/oauth2/v2/auth",
        scopes=("https://www.googleapis.com/auth/gmail.readonly", "openid", "email"),
    )

    url = connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=CHALLENGE)

    assert url.startswith("http://127.0.0.1:8765/o/oauth2/v2/auth?")
    scope = parse_qs(urlsplit(url).query)["scope"]
    assert scope == ["https://www.googleapis.com/auth/gmail.readonly openid email"]


def test_exchange_code_posts_the_code_and_verifier(make: Make) -> None:
    token = {
        "access_token": "ya29.new",
        "expires_in": 3599,
        "refresh_token": "1//0new-refresh",
        "scope": "https://www.googleapis.com/auth/gmail.readonly",
        "token_type": "Bearer",
    }
    connector, requests = make(answer(200, token))

    grant = connector.exchange_code(code="4/0Acode", redirect_uri=REDIRECT, code_verifier=VERIFIER)

    assert grant.access_token == "ya29.new"
    assert grant.refresh_token == "1//0new-refresh"
    assert grant.expires_at == NOW + timedelta(seconds=3599)
    [request] = requests
    assert request.method == "POST"
    assert str(request.url) == f"{OAUTH}/token"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form_of(request) == {
        "grant_type": "authorization_code",
        "code": "4/0Acode",
        "redirect_uri": REDIRECT,
        "client_id": "client-id.apps.googleusercontent.com",
        "client_secret": "client-secret",
        "code_verifier": VERIFIER,
    }


def test_a_refused_code_is_auth_expired(make: Make) -> None:
    connector, _ = make(answer(400, {"error": "invalid_grant", "error_description": "Bad Request"}))

    with pytest.raises(AuthExpired, match="google: authorization code refused"):
        connector.exchange_code(code="4/0Aold", redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_a_refused_client_is_a_connector_error_that_names_it(make: Make) -> None:
    connector, _ = make(answer(401, {"error": "invalid_client", "error_description": "Unauth"}))

    with pytest.raises(ConnectorError, match=r"refused \(401\): invalid_client$") as raised:
        connector.exchange_code(code="4/0A", redirect_uri=REDIRECT, code_verifier=VERIFIER)
    assert not isinstance(raised.value, AuthExpired)


def test_an_error_code_that_is_not_a_plain_word_is_not_echoed(make: Make) -> None:
    connector, _ = make(answer(400, {"error": "<script>alert(1)</script>"}))

    with pytest.raises(ConnectorError, match=r"refused \(400\)$"):
        connector.exchange_code(code="4/0A", redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_a_grant_without_a_refresh_token_is_refused(make: Make) -> None:
    connector, _ = make(answer(200, {"access_token": "ya29.online", "expires_in": 3599}))

    with pytest.raises(ConnectorError, match="no refresh token") as raised:
        connector.exchange_code(code="4/0A", redirect_uri=REDIRECT, code_verifier=VERIFIER)
    assert not isinstance(raised.value, AuthExpired)


def test_a_server_error_at_exchange_is_unavailable(make: Make) -> None:
    connector, _ = make(lambda request: httpx.Response(503, text="busy"))

    with pytest.raises(ProviderUnavailable):
        connector.exchange_code(code="4/0A", redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_a_token_body_that_is_not_a_token_is_a_connector_error(make: Make) -> None:
    connector, _ = make(answer(200, {"token_type": "Bearer"}))

    with pytest.raises(ConnectorError, match="TokenResponse"):
        connector.exchange_code(code="4/0A", redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_whoami_reads_the_profile_address(make: Make) -> None:
    profile = {
        "emailAddress": "Alex@Example.com",
        "messagesTotal": 3,
        "threadsTotal": 2,
        "historyId": "9001",
    }
    connector, requests = make(answer(200, profile))

    assert connector.whoami("ya29.token") == "alex@example.com"
    [request] = requests
    assert request.method == "GET"
    assert str(request.url) == f"{API}/gmail/v1/users/me/profile"
    assert request.headers["authorization"] == "Bearer ya29.token"


def test_whoami_with_a_rejected_token_is_auth_expired(make: Make) -> None:
    connector, _ = make(answer(401, {"error": {"code": 401, "message": "Invalid Credentials"}}))

    with pytest.raises(AuthExpired):
        connector.whoami("ya29.dead")


@pytest.mark.parametrize("address", ["", "   "])
def test_whoami_without_an_address_is_a_connector_error(make: Make, address: str) -> None:
    connector, _ = make(answer(200, {"emailAddress": address, "historyId": "1"}))

    with pytest.raises(ConnectorError, match="names no mailbox"):
        connector.whoami("ya29.token")


def test_refresh_still_maps_invalid_grant(make: Make) -> None:
    body = json.dumps({"error": "invalid_grant", "error_description": "Token has been expired"})
    connector, requests = make(lambda request: httpx.Response(400, text=body))

    with pytest.raises(AuthExpired, match="refresh token expired or revoked"):
        connector.refresh("1//0dead")
    assert form_of(requests[0])["grant_type"] == "refresh_token"
