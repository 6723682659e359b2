"""Installing the Slack app: SlackConnector's OAuth v2 calls against SlackFake over HTTP."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Match

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.fakeserver import RunningServer
from connectors.gmail.fake import GmailFake
from connectors.outlook.fake import GraphFake
from connectors.sandbox import SLACK_BOT_TOKEN, SLACK_CHANNEL, SLACK_TEAM_ID, start_sandbox
from connectors.slack.connector import SlackCallError, SlackConnector
from connectors.slack.fake import SlackFake
from connectors.types import SlackMessage
from tests.support.fakes import Switch, query_of

pytestmark = pytest.mark.integration

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "slack-app-secret"
REDIRECT = "http://hub.test/api/v1/connections/slack/callback"
REDIRECT_WITH_QUERY = "http://hub.test/callback?provider=slack"
TEAM = "T0SANDBOX"
OLD_TOKEN = "xoxb-sandbox-bot-token"


def make_connector(
    base_url: str, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET
) -> SlackConnector:
    return SlackConnector(
        api_url=f"{base_url}/api/",
        authorize_url_base=f"{base_url}/oauth/v2/authorize",
        client_id=client_id,
        client_secret=client_secret,
        timeout=5,
    )


@dataclass
class Env:
    fake: SlackFake
    base_url: str
    http: httpx.Client
    connector: SlackConnector

    def connector_with(
        self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET
    ) -> SlackConnector:
        return make_connector(self.base_url, client_id=client_id, client_secret=client_secret)

    def consent(self, url: str) -> httpx.Response:
        """The browser's visit to the install page; the fake allows at once."""
        return self.http.get(url, follow_redirects=False)

    def code(self, *, redirect_uri: str = REDIRECT, extra: str = "") -> str:
        url = self.connector.authorize_url(redirect_uri=redirect_uri, state="s", code_challenge="")
        return query_of(self.consent(url + extra))["code"]


@pytest.fixture
def env(fake_server: tuple[Switch, RunningServer]) -> Iterator[Env]:
    switch, server = fake_server
    fake = SlackFake(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[REDIRECT, REDIRECT_WITH_QUERY],
    )
    fake.add_workspace(TEAM, OLD_TOKEN, ["C0INBOX", "C0GENERAL"], team_name="Sandbox Co")
    fake.add_workspace("T0OTHER", "xoxb-other", ["C0SALES", "C0OPS"], bot_user_id="U0BOT0002")
    switch.app = fake.asgi_app()
    with httpx.Client(timeout=10) as http:
        yield Env(fake, server.base_url, http, make_connector(server.base_url))


def test_the_whole_dance_installs_the_app(env: Env) -> None:
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="st-1", code_challenge="x")

    response = env.consent(url)

    assert response.headers["location"].startswith(f"{REDIRECT}?")
    answer = query_of(response)
    assert answer["state"] == "st-1"
    install = env.connector.exchange_install(code=answer["code"], redirect_uri=REDIRECT)
    assert install.team_id == TEAM
    assert install.team_name == "Sandbox Co"
    assert install.bot_user_id == "U0BOT0001"
    assert install.channel_id == "C0INBOX"  # the workspace's first channel
    token = install.grant.access_token
    assert token.startswith("xoxb-")
    assert token != OLD_TOKEN
    assert install.grant.refresh_token is None

    # The new bot token works for the Web API, in the installed channel.
    ts = env.connector.post_message(
        token, channel=install.channel_id, message=SlackMessage(text="Installed!")
    )
    assert env.connector.whoami(token) == TEAM
    (posted,) = env.fake.messages_in("C0INBOX")
    assert posted["ts"] == ts
    assert posted["team"] == TEAM
    (recorded,) = env.fake.installs
    assert recorded["bot_token"] == token
    assert "incoming-webhook" in recorded["scopes"]
    assert env.fake.calls["oauth.v2.access"] == 1


def test_exchange_code_gives_the_same_bot_token(env: Env) -> None:
    grant = env.connector.exchange_code(code=env.code(), redirect_uri=REDIRECT, code_verifier="v")

    assert env.connector.whoami(grant.access_token) == TEAM


def test_team_and_channel_parameters_pick_the_install(env: Env) -> None:
    code = env.code(extra="&team=T0OTHER&channel=C0OPS")

    install = env.connector.exchange_install(code=code, redirect_uri=REDIRECT)

    assert (install.team_id, install.channel_id, install.bot_user_id) == (
        "T0OTHER",
        "C0OPS",
        "U0BOT0002",
    )
    assert env.connector.whoami(install.grant.access_token) == "T0OTHER"


def test_the_wire_answer_has_the_fixture_shape(env: Env) -> None:
    response = env.http.post(
        f"{env.base_url}/api/oauth.v2.access",
        # Client credentials in the form this time (slack_sdk sends HTTP Basic).
        data={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": env.code(),
            "redirect_uri": REDIRECT,
        },
    )

    body = response.json()
    assert response.status_code == 200
    assert body["ok"] is True
    assert body["token_type"] == "bot"
    assert body["team"] == {"id": TEAM, "name": "Sandbox Co"}
    assert body["authed_user"] == {"id": "U0USER001"}
    assert body["enterprise"] is None
    assert body["is_enterprise_install"] is False
    assert set(body["scope"].split(",")) >= {"chat:write", "commands", "incoming-webhook"}
    hook = body["incoming_webhook"]
    assert hook["channel_id"] == "C0INBOX"
    assert hook["channel"].startswith("#")
    assert hook["url"].startswith("https://hooks.slack.com/services/")
    assert {"app_id", "access_token", "bot_user_id"} <= set(body)


def test_a_query_already_on_the_redirect_uri_is_kept(env: Env) -> None:
    url = env.connector.authorize_url(
        redirect_uri=REDIRECT_WITH_QUERY, state="s", code_challenge=""
    )

    answer = query_of(env.consent(url))

    assert answer["provider"] == "slack"
    assert answer["state"] == "s"
    install = env.connector.exchange_install(code=answer["code"], redirect_uri=REDIRECT_WITH_QUERY)
    assert install.team_id == TEAM


def test_a_code_is_single_use(env: Env) -> None:
    code = env.code()
    env.connector.exchange_install(code=code, redirect_uri=REDIRECT)

    with pytest.raises(AuthExpired, match=r"refused \(code_already_used\)"):
        env.connector.exchange_install(code=code, redirect_uri=REDIRECT)


def test_an_unknown_or_expired_code_is_refused(env: Env) -> None:
    code = env.code()
    env.fake.expire_authorization_codes()

    with pytest.raises(AuthExpired, match=r"refused \(invalid_code\)"):
        env.connector.exchange_install(code=code, redirect_uri=REDIRECT)
    with pytest.raises(AuthExpired, match=r"refused \(invalid_code\)"):
        env.connector.exchange_install(code="made-up", redirect_uri=REDIRECT)


def test_the_code_is_bound_to_its_redirect_uri(env: Env) -> None:
    code = env.code()

    with pytest.raises(AuthExpired, match=r"refused \(bad_redirect_uri\)"):
        env.connector.exchange_install(code=code, redirect_uri=REDIRECT_WITH_QUERY)
    # The failed attempt spent it.
    with pytest.raises(AuthExpired, match="code_already_used"):
        env.connector.exchange_install(code=code, redirect_uri=REDIRECT)


def test_a_wrong_client_is_a_configuration_error_and_keeps_the_code(env: Env) -> None:
    code = env.code()

    with pytest.raises(SlackCallError, match="bad_client_secret") as bad_secret:
        env.connector_with(client_secret="wrong").exchange_install(code=code, redirect_uri=REDIRECT)
    with pytest.raises(ConnectorError, match="invalid_client_id") as bad_client:
        env.connector_with(client_id="9.9").exchange_install(code=code, redirect_uri=REDIRECT)

    assert not isinstance(bad_secret.value, AuthExpired)
    assert not isinstance(bad_client.value, AuthExpired)
    assert env.connector.exchange_install(code=code, redirect_uri=REDIRECT).team_id == TEAM


def test_refresh_and_unknown_grant_types_are_refused(env: Env) -> None:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    headers = {"Authorization": f"Basic {basic}"}
    url = f"{env.base_url}/api/oauth.v2.access"

    refresh = env.http.post(url, headers=headers, data={"grant_type": "refresh_token"}).json()
    other = env.http.post(url, headers=headers, data={"grant_type": "password"}).json()

    assert refresh == {"ok": False, "error": "invalid_refresh_token"}
    assert other == {"ok": False, "error": "invalid_grant_type"}


def test_a_denied_consent_comes_back_as_access_denied(env: Env) -> None:
    url = env.connector.authorize_url(redirect_uri=REDIRECT, state="st-9", code_challenge="")
    env.http.post(f"{env.base_url}/_fake/slack/deny-consent").raise_for_status()

    denied = query_of(env.consent(url))
    again = query_of(env.consent(url))

    assert denied == {"error": "access_denied", "state": "st-9"}
    assert "code" in again  # only the next consent was denied


@pytest.mark.parametrize(
    ("client_id", "redirect_uri", "extra", "shown"),
    [
        (CLIENT_ID, "http://evil.test/callback", "", "bad_redirect_uri"),
        (CLIENT_ID, "/relative/callback", "", "bad_redirect_uri"),
        (CLIENT_ID, "javascript:alert(1)", "", "bad_redirect_uri"),
        (CLIENT_ID, "http://hub.test/callback#fragment", "", "bad_redirect_uri"),
        ("unknown-client", REDIRECT, "", "invalid_client_id"),
        (CLIENT_ID, REDIRECT, "&team=T0NOPE", "team_not_found"),
        (CLIENT_ID, REDIRECT, "&channel=C0NOPE", "channel_not_found"),
    ],
)
def test_a_bad_install_link_gets_a_page_not_a_redirect(
    env: Env, client_id: str, redirect_uri: str, extra: str, shown: str
) -> None:
    url = env.connector_with(client_id=client_id).authorize_url(
        redirect_uri=redirect_uri, state="s", code_challenge=""
    )

    response = env.consent(url + extra)

    assert response.status_code == 400
    assert "location" not in response.headers
    assert shown in response.text


def test_an_install_link_without_scopes_gets_a_page(env: Env) -> None:
    url = env.connector_with().authorize_url(redirect_uri=REDIRECT, state="s", code_challenge="")
    without_scope = url.replace("scope=", "other=")

    response = env.consent(without_scope)

    assert response.status_code == 400
    assert "location" not in response.headers


def test_rate_limits_and_outages_of_the_exchange(env: Env) -> None:
    code = env.code()
    env.fake.fail_next("oauth.v2.access", status=429, retry_after=12)
    env.fake.fail_next("oauth.v2.access", status=503)

    with pytest.raises(RateLimited) as limited:
        env.connector.exchange_install(code=code, redirect_uri=REDIRECT)
    with pytest.raises(ProviderUnavailable):
        env.connector.exchange_install(code=code, redirect_uri=REDIRECT)

    assert limited.value.retry_after == 12.0
    # The faults never reached the code: it still installs.
    assert env.connector.exchange_install(code=code, redirect_uri=REDIRECT).team_id == TEAM


def test_a_reinstall_after_revocation_gets_a_working_token(env: Env) -> None:
    env.fake.revoke_token(OLD_TOKEN)

    install = env.connector.exchange_install(code=env.code(), redirect_uri=REDIRECT)

    assert env.connector.whoami(install.grant.access_token) == TEAM
    with pytest.raises(AuthExpired):
        env.connector.whoami(OLD_TOKEN)


# ---- the Slack fake beside the other OAuth fakes ----------------------------------


def _matches(routes: list[BaseRoute], method: str, path: str) -> bool:
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    return any(route.matches(scope)[0] is not Match.NONE for route in routes)


def test_oauth_paths_do_not_collide() -> None:
    gmail = GmailFake().routes()
    graph = GraphFake(client_id="c", client_secret="s").routes()
    slack = SlackFake().routes()
    owners = {"gmail": gmail, "graph": graph, "slack": slack}
    paths = {
        ("GET", "/oauth/v2/authorize"): "slack",
        ("POST", "/api/oauth.v2.access"): "slack",
        ("GET", "/o/oauth2/v2/auth"): "gmail",
        ("POST", "/token"): "gmail",
        ("GET", "/common/oauth2/v2.0/authorize"): "graph",
        ("POST", "/organizations/oauth2/v2.0/token"): "graph",
    }

    for (method, path), owner in paths.items():
        for name, routes in owners.items():
            assert _matches(routes, method, path) is (name == owner), (name, path)

    # In one app, as the sandbox mounts them, each path reaches its own fake.
    app = Starlette(routes=[*gmail, *graph, *slack])
    for (method, path), owner in paths.items():
        route = next(r for r in app.routes if _matches([r], method, path))
        assert route in owners[owner], path


def test_the_dance_on_the_shared_sandbox_server() -> None:
    sandbox = start_sandbox()
    try:
        base = sandbox.base_url
        connector = SlackConnector(
            api_url=f"{base}/api/",
            authorize_url_base=f"{base}/oauth/v2/authorize",
            client_id="any-client",
            client_secret="any-secret",
            timeout=5,
        )
        url = connector.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge="")
        with httpx.Client(timeout=10) as http:
            code = query_of(http.get(url))["code"]
            # Microsoft's authorize endpoint still answers as Microsoft (an unknown client).
            graph = http.get(f"{base}/common/oauth2/v2.0/authorize?client_id=x")
        install = connector.exchange_install(code=code, redirect_uri=REDIRECT)

        assert install.team_id == SLACK_TEAM_ID
        assert install.channel_id == SLACK_CHANNEL
        assert install.grant.access_token != SLACK_BOT_TOKEN
        connector.post_message(
            install.grant.access_token, channel=SLACK_CHANNEL, message=SlackMessage(text="hi")
        )
        assert sandbox.slack.messages_in(SLACK_CHANNEL)[-1]["text"] == "hi"
        assert sandbox.graph.calls["authorize"] == 1
        assert graph.status_code == 400
        assert "AADSTS" in graph.text
        assert sandbox.slack.calls["oauth/v2/authorize"] == 1
    finally:
        sandbox.stop()
