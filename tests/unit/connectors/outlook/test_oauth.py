"""OutlookConnector's OAuth calls: authorize URL, code exchange, whoami (in-memory)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connectors.base import OAuthConnector
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable
from connectors.outlook.connector import OutlookConnector

API = "https://graph.microsoft.com/v1.0"
LOGIN = "https://login.microsoftonline.com"
NOW = datetime(2024, 6, 20, 10, 0, tzinfo=UTC)
REDIRECT = "https://hub.example.com/api/v1/connections/outlook/callback"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
SCOPE = (
    "offline_access https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/Mail.ReadWrite"
    " https://graph.microsoft.com/User.Read"
)

Handler = Callable[[httpx.Request], httpx.Response]
Make = Callable[..., tuple[OutlookConnector, list[httpx.Request]]]


@pytest.fixture
def make() -> Iterator[Make]:
    clients: list[httpx.Client] = []

    def build(
        handler: Handler | None = None, **options: Any
    ) -> tuple[OutlookConnector, list[httpx.Request]]:
        requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            if handler is None:
                raise AssertionError(f"unexpected request {request.url}")
            return handler(request)

        http = httpx.Client(transport=httpx.MockTransport(record))
        clients.append(http)
        connector = OutlookConnector(
            http=http,
            api_url=API,
            login_url=LOGIN,
            client_id="client-id",
            client_secret="client-secret",
            notification_url="https://hub.example.com/webhooks/outlook",
            clock=lambda: NOW,
            **options,
        )
        return connector, requests

    yield build
    for client in clients:
        client.close()


def answer(status: int, body: Any) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def aadsts(error: str, code: int, status: int = 400) -> Handler:
    body = {
        "error": error,
        "error_description": f"AADSTS{code}: Something. Trace ID: x Correlation ID: y",
        "error_codes": [code],
    }
    return answer(status, body)


def form_of(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode(), strict_parsing=True).items()}


def test_implements_the_oauth_protocol(make: Make) -> None:
    connector, _ = make()

    assert isinstance(connector, OAuthConnector)


def test_authorize_url_asks_for_mail_offline_access_and_pkce(make: Make) -> None:
    connector, requests = make()

    url = connector.authorize_url(
        redirect_uri=REDIRECT, state="st&te=1 x", code_challenge=CHALLENGE
    )

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "login.microsoftonline.com",
        "/common/oauth2/v2.0/authorize",
    )
    assert parse_qs(parts.query, strict_parsing=True) == {
        "client_id": ["client-id"],
        "response_type": ["code"],
        "redirect_uri": [REDIRECT],
        "response_mode": ["query"],
        "scope": [SCOPE],
        "state": ["st&te=1 x"],
        "code_challenge": [CHALLENGE],
        "code_challenge_method": ["S256"],
        "prompt": ["select_account"],
    }
    assert requests == []


def test_authorize_url_names_the_tenant(make: Make) -> None:
    connector, _ = make(tenant="contoso.onmicrosoft.com")

    url = connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=CHALLENGE)

    assert urlsplit(url).path == "/contoso.onmicrosoft.com/oauth2/v2.0/authorize"


def test_exchange_code_posts_the_code_verifier_and_scope(make: Make) -> None:
    token = {
        "token_type": "Bearer",
        "scope": SCOPE,
        "expires_in": 4599,
        "ext_expires_in": 4599,
        "access_token": "EwB-new",
        "refresh_token": "1.AXkA-new",
    }
    connector, requests = make(answer(200, token))

    grant = connector.exchange_code(
        code="0.AXkA-code", redirect_uri=REDIRECT, code_verifier=VERIFIER
    )

    assert grant.access_token == "EwB-new"
    assert grant.refresh_token == "1.AXkA-new"
    assert grant.expires_at == NOW + timedelta(seconds=4599)
    [request] = requests
    assert request.method == "POST"
    assert str(request.url) == f"{LOGIN}/common/oauth2/v2.0/token"
    assert form_of(request) == {
        "grant_type": "authorization_code",
        "client_id": "client-id",
        "client_secret": "client-secret",
        "code": "0.AXkA-code",
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        "scope": SCOPE,
    }


@pytest.mark.parametrize("code", [54005, 70008, 501481, 9002313])
def test_a_refused_code_is_auth_expired(make: Make, code: int) -> None:
    connector, _ = make(aadsts("invalid_grant", code))

    with pytest.raises(AuthExpired, match=rf"authorization code refused \(AADSTS{code}\)"):
        connector.exchange_code(code="0.AXkA", redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_a_refused_client_is_a_connector_error(make: Make) -> None:
    connector, _ = make(aadsts("invalid_client", 7000215, status=401))

    with pytest.raises(ConnectorError, match=r"refused \(401\) \(AADSTS7000215\)") as raised:
        connector.exchange_code(code="0.AXkA", redirect_uri=REDIRECT, code_verifier=VERIFIER)
    assert not isinstance(raised.value, AuthExpired)


def test_a_grant_without_a_refresh_token_is_refused(make: Make) -> None:
    connector, _ = make(answer(200, {"access_token": "EwB-x", "expires_in": 4599}))

    with pytest.raises(ConnectorError, match="no refresh token") as raised:
        connector.exchange_code(code="0.AXkA", redirect_uri=REDIRECT, code_verifier=VERIFIER)
    assert not isinstance(raised.value, AuthExpired)


def test_a_server_error_at_exchange_is_unavailable(make: Make) -> None:
    connector, _ = make(lambda request: httpx.Response(500, text="oops"))

    with pytest.raises(ProviderUnavailable):
        connector.exchange_code(code="0.AXkA", redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_whoami_prefers_mail(make: Make) -> None:
    me = {"id": "u1", "mail": "Alex@Contoso.com", "userPrincipalName": "alex_contoso#EXT#@x"}
    connector, requests = make(answer(200, me))

    assert connector.whoami("EwB-token") == "alex@contoso.com"
    [request] = requests
    assert request.method == "GET"
    assert (request.url.host, request.url.path) == ("graph.microsoft.com", "/v1.0/me")
    assert request.url.params["$select"] == "mail,userPrincipalName"
    assert request.headers["authorization"] == "Bearer EwB-token"


def test_whoami_falls_back_to_the_user_principal_name(make: Make) -> None:
    connector, _ = make(
        answer(200, {"id": "u1", "mail": None, "userPrincipalName": "Sam@Live.com"})
    )

    assert connector.whoami("EwB-token") == "sam@live.com"


def test_whoami_without_either_is_a_connector_error(make: Make) -> None:
    connector, _ = make(answer(200, {"id": "u1", "mail": None}))

    with pytest.raises(ConnectorError, match="names no mailbox"):
        connector.whoami("EwB-token")


def test_whoami_with_a_rejected_token_is_auth_expired(make: Make) -> None:
    connector, _ = make(answer(401, {"error": {"code": "InvalidAuthenticationToken"}}))

    with pytest.raises(AuthExpired):
        connector.whoami("EwB-dead")


def test_refresh_still_maps_invalid_grant(make: Make) -> None:
    connector, requests = make(aadsts("invalid_grant", 70008))

    with pytest.raises(AuthExpired, match=r"refresh token expired or revoked \(AADSTS70008\)"):
        connector.refresh("1.AXkA-dead")
    assert form_of(requests[0])["grant_type"] == "refresh_token"
