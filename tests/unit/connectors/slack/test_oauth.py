"""SlackConnector's OAuth v2 install: the authorize URL, oauth.v2.access parsing and errors.

No I/O: slack_sdk's urlopen is replaced by a stub that records each request and
answers (or raises HTTPError / URLError) the way urllib does.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPMessage
from io import BytesIO
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request

import pytest
import slack_sdk.web.base_client

from connectors.base import OAuthConnector
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.slack.connector import (
    DEFAULT_BOT_SCOPES,
    SlackCallError,
    SlackConnector,
    SlackInstall,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
API = "https://slack.test/api/"
REDIRECT = "https://hub.example.com/api/v1/connections/slack/callback"

# /work/shared/fixtures/slack/oauth_v2_access.json (see the fixtures README).
OAUTH_V2_ACCESS: dict[str, Any] = {
    "ok": True,
    "app_id": "A0123ABCD",
    "authed_user": {
        "id": "U0USER001",
        "scope": "chat:write",
        "access_token": "xoxp-test-user-token",
        "token_type": "user",
    },
    "scope": "app_mentions:read,channels:history,chat:write,commands,im:history,users:read",
    "token_type": "bot",
    "access_token": "xoxb-test-bot-token",
    "bot_user_id": "U0BOT0001",
    "team": {"id": "T012AB3C4", "name": "Acme Test Workspace"},
    "enterprise": None,
    "is_enterprise_install": False,
}
WEBHOOK = {
    "channel": "#inbox",
    "channel_id": "C0INBOX01",
    "configuration_url": "https://acme-test.slack.com/services/B0BOT0001",
    "url": "https://hooks.slack.com/services/T012AB3C4/B0BOT0001/xyz",
}


@dataclass
class Sent:
    url: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class StubSlack:
    """Stands in for urllib.request.urlopen inside slack_sdk."""

    answers: list[tuple[int, Any, dict[str, str]] | Exception] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)

    def answer(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.answers.append((status, body, headers or {}))

    def __call__(self, req: Request, **_: Any) -> Any:
        data = req.data if isinstance(req.data, bytes) else b""
        form = {k: v[0] for k, v in parse_qs(data.decode()).items()}
        self.sent.append(Sent(req.full_url, {k.lower(): v for k, v in req.header_items()}, form))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body, extra = answer
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers = HTTPMessage()
        headers["Content-Type"] = "application/json; charset=utf-8"
        for key, value in extra.items():
            headers[key] = value
        if status >= 400:
            raise HTTPError(req.full_url, status, "error", headers, BytesIO(raw))
        return _Response(status, headers, raw)


@dataclass
class _Response:
    code: int
    headers: HTTPMessage
    body: bytes

    def read(self) -> bytes:
        return self.body


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubSlack]:
    fake = StubSlack()
    monkeypatch.setattr(slack_sdk.web.base_client, "urlopen", fake)
    yield fake
    assert not fake.answers, "an answer was never asked for"


def connector(**overrides: Any) -> SlackConnector:
    kwargs: dict[str, Any] = {
        "api_url": API,
        "client_id": "111.222",
        "client_secret": "app-secret",
        "clock": lambda: NOW,
    }
    kwargs.update(overrides)
    return SlackConnector(**kwargs)


def success(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(OAUTH_V2_ACCESS)
    body.update(changes)
    return body


# ---- authorize_url ----------------------------------------------------------------


def test_authorize_url_asks_for_the_bot_scopes_with_state() -> None:
    url = connector().authorize_url(redirect_uri=REDIRECT, state="st&1", code_challenge="x" * 43)

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://slack.com/oauth/v2/authorize"
    query = parse_qs(parts.query)
    assert query == {
        "client_id": ["111.222"],
        "scope": [",".join(DEFAULT_BOT_SCOPES)],
        "redirect_uri": [REDIRECT],
        "state": ["st&1"],
    }
    # Slack v2 OAuth has no PKCE: the challenge is not sent.
    assert "code_challenge" not in url


def test_default_scopes_cover_the_app_features() -> None:
    assert {"chat:write", "commands", "incoming-webhook"} <= set(DEFAULT_BOT_SCOPES)


def test_authorize_url_uses_the_configured_base_and_scopes() -> None:
    slack = connector(
        authorize_url_base="http://127.0.0.1:9/oauth/v2/authorize?x=1",
        bot_scopes=["chat:write", "commands"],
    )
    url = slack.authorize_url(redirect_uri=REDIRECT, state="s", code_challenge="")

    assert url.startswith("http://127.0.0.1:9/oauth/v2/authorize?x=1&client_id=111.222&")
    assert parse_qs(urlsplit(url).query)["scope"] == ["chat:write,commands"]


def test_authorize_url_needs_a_client_id() -> None:
    with pytest.raises(ConnectorError, match="client id"):
        connector(client_id="").authorize_url(redirect_uri=REDIRECT, state="s", code_challenge="")


# ---- exchange_install / exchange_code ---------------------------------------------


def test_exchange_install_parses_the_fixture(stub: StubSlack) -> None:
    stub.answer(success(incoming_webhook=WEBHOOK))

    install = connector().exchange_install(code="c0de", redirect_uri=REDIRECT)

    assert install.team_id == "T012AB3C4"
    assert install.team_name == "Acme Test Workspace"
    assert install.bot_user_id == "U0BOT0001"
    assert install.channel_id == "C0INBOX01"
    assert install.grant.access_token == "xoxb-test-bot-token"
    assert install.grant.refresh_token is None
    # Without token rotation the bot token does not expire.
    assert install.grant.expires_at == NOW + timedelta(days=3650)


def test_exchange_posts_the_code_with_the_client_credentials(stub: StubSlack) -> None:
    stub.answer(success())

    connector().exchange_install(code="c0de", redirect_uri=REDIRECT)

    (sent,) = stub.sent
    assert sent.url == f"{API}oauth.v2.access"
    assert sent.form == {"code": "c0de", "redirect_uri": REDIRECT}
    basic = base64.b64encode(b"111.222:app-secret").decode()
    assert sent.headers["authorization"] == f"Basic {basic}"


def test_install_without_incoming_webhook_has_no_channel(stub: StubSlack) -> None:
    stub.answer(success())

    assert connector().exchange_install(code="c", redirect_uri=REDIRECT).channel_id is None


def test_token_rotation_gives_expiry_and_refresh_token(stub: StubSlack) -> None:
    stub.answer(success(expires_in=43200, refresh_token="xoxe-1-refresh"))

    grant = connector().exchange_install(code="c", redirect_uri=REDIRECT).grant

    assert grant.expires_at == NOW + timedelta(seconds=43200)
    assert grant.refresh_token == "xoxe-1-refresh"


def test_exchange_code_is_the_install_grant_and_ignores_the_verifier(stub: StubSlack) -> None:
    stub.answer(success())

    grant = connector().exchange_code(code="c", redirect_uri=REDIRECT, code_verifier="ignored")

    assert grant.access_token == "xoxb-test-bot-token"
    assert "code_verifier" not in stub.sent[0].form


def test_install_repr_hides_the_token(stub: StubSlack) -> None:
    stub.answer(success())

    install = connector().exchange_install(code="c", redirect_uri=REDIRECT)

    assert isinstance(install, SlackInstall)
    assert "xoxb" not in repr(install)


@pytest.mark.parametrize(
    "code", ["invalid_code", "code_already_used", "bad_redirect_uri", "invalid_grant_type"]
)
def test_refused_codes_are_auth_expired(stub: StubSlack, code: str) -> None:
    stub.answer({"ok": False, "error": code})

    with pytest.raises(AuthExpired) as raised:
        connector().exchange_install(code="c", redirect_uri=REDIRECT)

    assert str(raised.value) == f"slack: authorization code refused ({code})"


@pytest.mark.parametrize("code", ["invalid_client_id", "bad_client_secret"])
def test_refused_clients_are_connector_errors_naming_the_code(stub: StubSlack, code: str) -> None:
    stub.answer({"ok": False, "error": code})

    with pytest.raises(ConnectorError) as raised:
        connector().exchange_code(code="c", redirect_uri=REDIRECT, code_verifier="")

    assert not isinstance(raised.value, (AuthExpired, RateLimited, ProviderUnavailable))
    assert isinstance(raised.value, SlackCallError)
    assert raised.value.code == code
    assert code in str(raised.value)


def test_rate_limit_carries_retry_after(stub: StubSlack) -> None:
    stub.answer({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "30"})

    with pytest.raises(RateLimited) as raised:
        connector().exchange_install(code="c", redirect_uri=REDIRECT)

    assert raised.value.retry_after == 30.0


@pytest.mark.parametrize(
    "answer",
    [
        (500, "<html>oops</html>"),
        (503, {"ok": False, "error": "service_unavailable"}),
        (200, {"ok": False, "error": "fatal_error"}),
    ],
)
def test_server_trouble_is_unavailable(stub: StubSlack, answer: tuple[int, Any]) -> None:
    status, body = answer
    stub.answer(body, status=status)

    with pytest.raises(ProviderUnavailable):
        connector().exchange_install(code="c", redirect_uri=REDIRECT)


@pytest.mark.parametrize(
    "error", [URLError(ConnectionRefusedError(111, "refused")), TimeoutError("timed out")]
)
def test_transport_failures_are_unavailable(stub: StubSlack, error: Exception) -> None:
    stub.answers.append(error)

    with pytest.raises(ProviderUnavailable):
        connector().exchange_install(code="c", redirect_uri=REDIRECT)


@pytest.mark.parametrize(
    "body",
    [
        success(access_token=None),
        success(token_type="user"),
        success(team=None, is_enterprise_install=True, enterprise={"id": "E1", "name": "Org"}),
        success(team={"name": "No id"}),
    ],
)
def test_unusable_success_answers_are_connector_errors(
    stub: StubSlack, body: dict[str, Any]
) -> None:
    stub.answer(body)

    with pytest.raises(ConnectorError) as raised:
        connector().exchange_install(code="c", redirect_uri=REDIRECT)

    assert not isinstance(raised.value, AuthExpired)


def test_exchange_needs_client_credentials_before_any_request(stub: StubSlack) -> None:
    with pytest.raises(ConnectorError, match="secret"):
        connector(client_secret="").exchange_install(code="c", redirect_uri=REDIRECT)
    with pytest.raises(ConnectorError, match="client id"):
        connector(client_id="").exchange_install(code="c", redirect_uri=REDIRECT)

    assert stub.sent == []


# ---- whoami -------------------------------------------------------------------------


def test_whoami_is_the_team_id_from_auth_test(stub: StubSlack) -> None:
    stub.answer({"ok": True, "team_id": "T012AB3C4", "team": "Acme", "user_id": "U0BOT0001"})

    assert connector().whoami("xoxb-new") == "T012AB3C4"

    (sent,) = stub.sent
    assert sent.url == f"{API}auth.test"
    assert sent.headers["authorization"] == "Bearer xoxb-new"


def test_whoami_with_a_revoked_token_is_auth_expired(stub: StubSlack) -> None:
    stub.answer({"ok": False, "error": "token_revoked"})

    with pytest.raises(AuthExpired):
        connector().whoami("xoxb-old")


def test_implements_oauth_connector() -> None:
    assert isinstance(connector(), OAuthConnector)
