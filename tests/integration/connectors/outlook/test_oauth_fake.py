"""Connecting an Outlook mailbox: OutlookConnector's OAuth calls against GraphFake over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from connectors.errors import AuthExpired, ConnectorError
from connectors.fakeserver import RunningServer
from connectors.outlook.connector import OutlookConnector
from connectors.outlook.fake import SANDBOX_ADDRESS, GraphFake
from tests.support.fakes import Switch, pkce_pair, query_of

pytestmark = pytest.mark.integration

ALEX = SANDBOX_ADDRESS
CLIENT_ID = "hub-microsoft-client"
CLIENT_SECRET = "hub-microsoft-secret"
REDIRECT = "http://hub.test/api/v1/connections/outlook/callback"
REDIRECT_WITH_QUERY = "http://hub.test/callback?provider=outlook"


@dataclass
class Env:
    fake: GraphFake
    base_url: str
    http: httpx.Client
    connector: OutlookConnector

    def connector_for(self, client_id: str) -> OutlookConnector:
        return make_connector(self.http, self.base_url, client_id=client_id)

    def consent(self, url: str) -> httpx.Response:
        """The browser's visit to the sign-in page; the fake consents at once."""
        return self.http.get(url, follow_redirects=False)


def make_connector(
    http: httpx.Client, base_url: str, *, client_id: str = CLIENT_ID
) -> OutlookConnector:
    return OutlookConnector(
        http=http,
        api_url=f"{base_url}/v1.0",
        login_url=base_url,
        client_id=client_id,
        client_secret=CLIENT_SECRET,
        notification_url="http://hub.test/webhooks/outlook",
    )


@pytest.fixture
def env(fake_server: tuple[Switch, RunningServer]) -> Iterator[Env]:
    switch, server = fake_server
    fake = GraphFake(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[REDIRECT, REDIRECT_WITH_QUERY],
    )
    fake.seed_sandbox()
    switch.app = fake.asgi_app()
    with httpx.Client(timeout=10) as http:
        yield Env(fake, server.base_url, http, make_connector(http, server.base_url))


def code_for(env: Env, challenge: str, *, redirect_uri: str = REDIRECT) -> str:
    url = env.connector.authorize_url(
        redirect_uri=redirect_uri, state="st-1", code_challenge=challenge
    )
    return query_of(env.consent(url))["code"]


def test_the_whole_dance_connects_the_mailbox(env: Env) -> None:
    verifier, challenge = pkce_pair()
    url = env.connector.authorize_url(
        redirect_uri=REDIRECT, state="state-xyz", code_challenge=challenge
    )

    response = env.consent(url)

    assert response.headers["location"].startswith(f"{REDIRECT}?")
    answer = query_of(response)
    assert answer["state"] == "state-xyz"
    grant = env.connector.exchange_code(
        code=answer["code"], redirect_uri=REDIRECT, code_verifier=verifier
    )
    assert grant.refresh_token
    assert env.connector.whoami(grant.access_token) == ALEX
    refreshed = env.connector.refresh(grant.refresh_token)
    assert refreshed.refresh_token not in (None, grant.refresh_token)  # rotated
    assert env.fake.tokens.refresh_tokens_of(ALEX)[-1] == refreshed.refresh_token
    assert env.fake.calls["authorize"] == 1


def test_any_tenant_segment_is_served(env: Env) -> None:
    connector = OutlookConnector(
        http=env.http,
        api_url=f"{env.base_url}/v1.0",
        login_url=env.base_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant="organizations",
        notification_url="http://hub.test/webhooks/outlook",
    )
    verifier, challenge = pkce_pair()
    url = connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=challenge)
    assert "/organizations/oauth2/v2.0/authorize?" in url

    code = query_of(env.consent(url))["code"]

    grant = connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert connector.whoami(grant.access_token) == ALEX


def test_a_query_already_on_the_redirect_uri_is_kept(env: Env) -> None:
    _, challenge = pkce_pair()
    url = env.connector.authorize_url(
        redirect_uri=REDIRECT_WITH_QUERY, state="s", code_challenge=challenge
    )

    answer = query_of(env.consent(url))

    assert answer["provider"] == "outlook"
    assert answer["state"] == "s"
    assert answer["code"]


def test_login_hint_picks_the_mailbox_that_consents(env: Env) -> None:
    verifier, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=challenge)

    code = query_of(env.consent(url + "&login_hint=Sam%40Contoso.com"))["code"]

    grant = env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert env.connector.whoami(grant.access_token) == "sam@contoso.com"


def test_a_wrong_verifier_is_refused_and_spends_the_code(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)

    with pytest.raises(AuthExpired, match="AADSTS501481"):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=pkce_pair()[0])
    with pytest.raises(AuthExpired, match="AADSTS54005"):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)


def test_a_code_is_single_use(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)
    env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)

    with pytest.raises(AuthExpired, match="AADSTS54005"):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)


def test_an_expired_code_is_refused(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)
    env.fake.expire_authorization_codes()

    with pytest.raises(AuthExpired, match="AADSTS70008"):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)


def test_the_code_is_bound_to_its_redirect_uri(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)

    with pytest.raises(AuthExpired, match="AADSTS500112"):
        env.connector.exchange_code(
            code=code, redirect_uri=REDIRECT_WITH_QUERY, code_verifier=verifier
        )


def test_another_client_is_refused_as_a_configuration_error(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)

    with pytest.raises(ConnectorError, match="AADSTS7000215") as refused:
        env.connector_for("other-client").exchange_code(
            code=code, redirect_uri=REDIRECT, code_verifier=verifier
        )
    assert not isinstance(refused.value, AuthExpired)


@pytest.mark.parametrize(
    ("client_id", "redirect_uri", "shown"),
    [
        (CLIENT_ID, "http://evil.test/callback", "AADSTS50011"),
        (CLIENT_ID, "http://hub.test/callback#fragment", "AADSTS50011"),
        ("unknown-client", REDIRECT, "AADSTS700016"),
    ],
)
def test_a_bad_client_or_redirect_uri_gets_a_page_not_a_redirect(
    env: Env, client_id: str, redirect_uri: str, shown: str
) -> None:
    _, challenge = pkce_pair()
    url = env.connector_for(client_id).authorize_url(
        redirect_uri=redirect_uri, state="s", code_challenge=challenge
    )

    response = env.consent(url)

    assert response.status_code == 400
    assert "location" not in response.headers
    assert shown in response.text


def test_a_denied_consent_comes_back_as_access_denied(env: Env) -> None:
    _, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="st-9", code_challenge=challenge)
    env.http.post(f"{env.base_url}/_fake/outlook/deny-consent").raise_for_status()

    denied = query_of(env.consent(url))
    again = query_of(env.consent(url))

    assert denied["error"] == "access_denied"
    assert denied["state"] == "st-9"
    assert denied["error_description"].startswith("AADSTS65004: ")
    assert "code" not in denied
    assert "code" in again  # only the next consent was denied


@pytest.mark.parametrize(
    ("replace", "by", "error"),
    [
        ("code_challenge_method=S256", "code_challenge_method=plain", "invalid_request"),
        ("&code_challenge=", "&code_challenge_x=", "invalid_request"),
        ("response_type=code", "response_type=id_token", "unsupported_response_type"),
        ("response_mode=query", "response_mode=form_post", "invalid_request"),
    ],
)
def test_an_invalid_request_is_redirected_with_its_error(
    env: Env, replace: str, by: str, error: str
) -> None:
    _, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="st", code_challenge=challenge)
    assert replace in url

    answer = query_of(env.consent(url.replace(replace, by)))

    assert answer["error"] == error
    assert answer["state"] == "st"
    assert answer["error_description"].startswith("AADSTS")


def test_without_offline_access_there_is_no_refresh_token_and_no_connection(env: Env) -> None:
    verifier, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=challenge)
    code = query_of(env.consent(url.replace("scope=offline_access%20", "scope=")))["code"]

    with pytest.raises(ConnectorError, match="no refresh token") as refused:
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert not isinstance(refused.value, AuthExpired)


def test_whoami_with_a_dead_token_is_auth_expired(env: Env) -> None:
    with pytest.raises(AuthExpired):
        env.connector.whoami("EwB-not-a-token")
