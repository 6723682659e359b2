"""Mapping ClickUp error responses onto the connector error family (no I/O)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.clickup.errors import ClickUpError, error_for_response, error_for_transport
from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "clickup"
NOW = 1_714_000_800.0


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def response(
    status: int, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def error(resp: httpx.Response) -> ConnectorError:
    return error_for_response(resp, clock=lambda: NOW)


@pytest.mark.parametrize("fixture", ["error_401", "error_401_missing_header"])
def test_401_token_errors_are_auth_expired(fixture: str) -> None:
    body = load(fixture)

    result = error(response(401, body))

    assert type(result) is AuthExpired
    assert body["ECODE"] in str(result)
    assert body["err"] not in str(result)


def test_401_without_ecode_is_auth_expired() -> None:
    assert type(error(response(401, None))) is AuthExpired


@pytest.mark.parametrize("ecode", ["OAUTH_023", "OAUTH_027", "OAUTH_045"])
def test_401_workspace_not_authorized_is_a_target_error(ecode: str) -> None:
    result = error(response(401, {"err": "Team not authorized", "ECODE": ecode}))

    assert type(result) is ClickUpError
    assert result.status == 401
    assert result.ecode == ecode
    assert "not visible" in str(result)


def test_429_fixture_uses_rate_limit_reset() -> None:
    meta = load("error_429.headers")

    result = error(response(429, load("error_429"), meta["headers"]))

    assert isinstance(result, RateLimited)
    assert result.retry_after == float(meta["headers"]["X-RateLimit-Reset"]) - NOW
    assert "APP_002" in str(result)


def test_429_retry_after_wins_over_reset() -> None:
    headers = {"Retry-After": "7", "X-RateLimit-Reset": str(int(NOW) + 60)}

    result = error(response(429, load("error_429"), headers))

    assert isinstance(result, RateLimited)
    assert result.retry_after == 7.0


def test_429_reset_in_the_past_is_floored_at_zero() -> None:
    result = error(response(429, load("error_429"), {"X-RateLimit-Reset": str(int(NOW) - 30)}))

    assert isinstance(result, RateLimited)
    assert result.retry_after == 0.0


def test_429_reset_in_milliseconds_is_understood() -> None:
    headers = {"X-RateLimit-Reset": str(int(NOW * 1000) + 5000)}

    result = error(response(429, load("error_429"), headers))

    assert isinstance(result, RateLimited)
    assert result.retry_after == pytest.approx(5.0)


def test_429_bad_retry_after_falls_back_to_reset() -> None:
    headers = {"Retry-After": "soon", "X-RateLimit-Reset": str(int(NOW) + 12)}

    result = error(response(429, load("error_429"), headers))

    assert isinstance(result, RateLimited)
    assert result.retry_after == 12.0


def test_429_without_headers_has_no_retry_after() -> None:
    result = error(response(429, load("error_429")))

    assert isinstance(result, RateLimited)
    assert result.retry_after is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_unavailable(status: int) -> None:
    result = error(httpx.Response(status, text="<html>upstream error</html>"))

    assert type(result) is ProviderUnavailable
    assert str(status) in str(result)


@pytest.mark.parametrize(
    ("status", "ecode"), [(404, "ITEM_013"), (400, "INPUT_005"), (403, "ACCESS_001")]
)
def test_client_errors_carry_status_and_ecode_only(status: int, ecode: str) -> None:
    secret_text = "list 901 of pk_12345_SECRET is gone"
    result = error(response(status, {"err": secret_text, "ECODE": ecode}))

    assert type(result) is ClickUpError
    assert str(result) == f"clickup: list not found or task rejected ({status} {ecode})"
    assert (result.status, result.ecode) == (status, ecode)


def test_an_ecode_that_is_not_one_is_not_echoed() -> None:
    result = error(response(404, {"err": "x", "ECODE": "pk_123 <script>"}))

    assert isinstance(result, ClickUpError)
    assert result.ecode is None
    assert str(result) == "clickup: list not found or task rejected (404)"


def test_transport_errors_are_unavailable() -> None:
    assert type(error_for_transport(httpx.ReadTimeout("slow"))) is ProviderUnavailable
    assert type(error_for_transport(httpx.ConnectError("refused"))) is ProviderUnavailable
