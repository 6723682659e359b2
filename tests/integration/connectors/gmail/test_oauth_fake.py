"""Connecting a Gmail mailbox: GmailConnector's OAuth calls against GmailFake over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from connectors.errors import AuthExpired, ConnectorError
from connectors.fakeserver import RunningServer
from connectors.gmail.connector import GmailConnector
from connectors.gmail.fake import GmailFake
from connectors.gmail.push import PushVerifier
from connectors.types import Credentials
from tests.support.fakes import Switch, pkce_pair, query_of

pytestmark = pytest.mark.integration

ALEX = "alex@example.com"
CLIENT_ID = "123-hub.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-hub-secret"
REDIRECT = "http://hub.test/api/v1/connections/gmail/callback"
REDIRECT_WITH_QUERY = "http://hub.test/callback?provider=gmail"


@dataclass
class Env:
    fake: GmailFake
    base_url: str
    http: httpx.Client
    connector: GmailConnector

    def connector_for(self, client_id: str) -> GmailConnector:
        return make_connector(self.http, self.base_url, client_id=client_id)

    def consent(self, url: str) -> httpx.Response:
        """The browser's visit to the consent page; the fake consents at once."""
        return self.http.get(url, follow_redirects=False)


def make_connector(
    http: httpx.Client, base_url: str, *, client_id: str = CLIENT_ID
) -> GmailConnector:
    return GmailConnector(
        http=http,
        api_url=base_url,
        oauth_url=base_url,
        client_id=client_id,
        client_secret=CLIENT_SECRET,
        push_verifier=PushVerifier(f"{base_url}/oauth2/v3/certs", "aud", "sa@example.com", http),
        authorize_url_base=f"{base_url}/o/oauth2/v2/auth",
    )


@pytest.fixture
def env(fake_server: tuple[Switch, RunningServer]) -> Iterator[Env]:
    switch, server = fake_server
    fake = GmailFake(
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
    assert answer["scope"] == (
        "https://www.googleapis.com/auth/gmail.readonly"
        " https://www.googleapis.com/auth/gmail.compose"
    )
    grant = env.connector.exchange_code(
        code=answer["code"], redirect_uri=REDIRECT, code_verifier=verifier
    )
    assert grant.refresh_token
    assert env.connector.whoami(grant.access_token) == ALEX
    refreshed = env.connector.refresh(grant.refresh_token)
    batch = env.connector.recent(
        Credentials(refreshed.access_token, grant.refresh_token, refreshed.expires_at),
        account=ALEX,
        limit=5,
    )
    assert batch.added  # the new tokens read the seeded mailbox
    assert grant.refresh_token in env.fake.refresh_tokens_of(ALEX)
    assert env.fake.calls["authorize"] == 1


def test_a_query_already_on_the_redirect_uri_is_kept(env: Env) -> None:
    _, challenge = pkce_pair()
    url = env.connector.authorize_url(
        redirect_uri=REDIRECT_WITH_QUERY, state="s", code_challenge=challenge
    )

    answer = query_of(env.consent(url))

    assert answer["provider"] == "gmail"
    assert answer["state"] == "s"
    assert answer["code"]


def test_login_hint_picks_the_mailbox_that_consents(env: Env) -> None:
    verifier, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=challenge)

    code = query_of(env.consent(url + "&login_hint=Sam%40Example.com"))["code"]

    grant = env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert env.connector.whoami(grant.access_token) == "sam@example.com"


def test_a_wrong_verifier_is_refused_and_spends_the_code(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)

    with pytest.raises(AuthExpired, match="authorization code refused"):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=pkce_pair()[0])
    with pytest.raises(AuthExpired):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)


def test_a_code_is_single_use(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)
    env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)

    with pytest.raises(AuthExpired):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)


def test_an_expired_code_is_refused(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)
    env.fake.expire_authorization_codes()

    with pytest.raises(AuthExpired):
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)


def test_the_code_is_bound_to_its_redirect_uri(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)

    with pytest.raises(AuthExpired):
        env.connector.exchange_code(
            code=code, redirect_uri=REDIRECT_WITH_QUERY, code_verifier=verifier
        )


def test_another_client_is_refused_as_a_configuration_error(env: Env) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)
    other = env.connector_for("other-client")

    with pytest.raises(ConnectorError, match="invalid_client") as refused:
        other.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert not isinstance(refused.value, AuthExpired)  # the hub's setup, not the user's


def test_the_code_is_bound_to_its_client(
    env: Env, fake_server: tuple[Switch, RunningServer]
) -> None:
    open_fake = GmailFake()  # as in the sandbox: any client id, any redirect URI
    open_fake.seed_sandbox()
    fake_server[0].app = open_fake.asgi_app()
    verifier, challenge = pkce_pair()
    code = code_for(env, challenge)

    with pytest.raises(AuthExpired):
        env.connector_for("other-client").exchange_code(
            code=code, redirect_uri=REDIRECT, code_verifier=verifier
        )


@pytest.mark.parametrize(
    ("client_id", "redirect_uri", "shown"),
    [
        (CLIENT_ID, "http://evil.test/callback", "redirect_uri_mismatch"),
        (CLIENT_ID, "/relative/callback", "invalid_request"),
        ("unknown-client", REDIRECT, "invalid_client"),
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
    env.http.post(f"{env.base_url}/_fake/gmail/deny-consent").raise_for_status()

    denied = query_of(env.consent(url))
    again = query_of(env.consent(url))

    assert denied == {"error": "access_denied", "state": "st-9"}
    assert "code" in again  # only the next consent was denied


@pytest.mark.parametrize(
    ("replace", "by", "error"),
    [
        ("code_challenge_method=S256", "code_challenge_method=plain", "invalid_request"),
        ("&code_challenge=", "&code_challenge_x=", "invalid_request"),
        ("response_type=code", "response_type=token", "unsupported_response_type"),
        ("access_type=offline", "access_type=sometimes", "invalid_request"),
    ],
)
def test_an_invalid_request_is_redirected_with_its_error(
    env: Env, replace: str, by: str, error: str
) -> None:
    _, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="st", code_challenge=challenge)
    assert replace in url

    answer = query_of(env.consent(url.replace(replace, by)))

    assert answer == {"error": error, "state": "st"}


def test_without_offline_access_there_is_no_refresh_token_and_no_connection(env: Env) -> None:
    verifier, challenge = pkce_pair()
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge=challenge)
    code = query_of(env.consent(url.replace("access_type=offline", "access_type=online")))["code"]

    with pytest.raises(ConnectorError, match="no refresh token") as refused:
        env.connector.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert not isinstance(refused.value, AuthExpired)


def test_whoami_with_a_dead_token_is_auth_expired(env: Env) -> None:
    with pytest.raises(AuthExpired):
        env.connector.whoami("ya29.not-a-token")
