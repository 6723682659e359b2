from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.gmail.errors import error_for_response, error_for_transport, retry_after_seconds

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "gmail"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def response(
    status: int, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def test_401_is_auth_expired() -> None:
    assert type(error_for_response(response(401, load("error_401")))) is AuthExpired


def test_429_with_retry_after() -> None:
    error = error_for_response(response(429, load("error_429"), {"Retry-After": "7"}))

    assert isinstance(error, RateLimited)
    assert error.retry_after == 7.0


def test_429_without_retry_after() -> None:
    error = error_for_response(response(429, load("error_429")))

    assert isinstance(error, RateLimited)
    assert error.retry_after is None


def test_403_user_rate_limit_is_rate_limited() -> None:
    error = error_for_response(response(403, load("error_403_user_rate_limit")))

    assert isinstance(error, RateLimited)


def test_403_for_other_reasons_is_plain_error() -> None:
    body = {"error": {"code": 403, "errors": [{"reason": "domainPolicy"}], "status": "DENIED"}}

    error = error_for_response(response(403, body))

    assert type(error) is ConnectorError
    assert "403" in str(error)


@pytest.mark.parametrize(
    "error",
    [
        {"code": 403, "errors": [{"reason": "insufficientPermissions"}]},
        {"code": 403, "details": [{"reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]},
    ],
)
def test_403_for_a_missing_scope_needs_a_new_consent(error: dict[str, Any]) -> None:
    # Google's answer when the grant lacks the scope (gmail.compose for drafts.create).
    assert type(error_for_response(response(403, {"error": error}))) is AuthExpired


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_unavailable(status: int) -> None:
    assert isinstance(error_for_response(response(status)), ProviderUnavailable)


@pytest.mark.parametrize("status", [400, 404, 409])
def test_other_statuses_carry_only_the_status(status: int) -> None:
    body = {"error": {"message": "secret-ish detail from the body"}}

    error = error_for_response(response(status, body))

    assert type(error) is ConnectorError
    assert str(status) in str(error)
    assert "secret-ish" not in str(error)


def test_non_json_403_is_plain_error() -> None:
    error = error_for_response(httpx.Response(403, text="<html>nope</html>"))

    assert type(error) is ConnectorError


@pytest.mark.parametrize(
    "exc", [httpx.ConnectTimeout("t"), httpx.ReadTimeout("t"), httpx.ConnectError("c")]
)
def test_transport_errors_are_unavailable(exc: httpx.TransportError) -> None:
    assert isinstance(error_for_transport(exc), ProviderUnavailable)


def test_retry_after_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)

    seconds = retry_after_seconds(when)

    assert seconds is not None
    assert 25 <= seconds <= 31


@pytest.mark.parametrize("value", [None, "", "soon"])
def test_retry_after_unusable(value: str | None) -> None:
    assert retry_after_seconds(value) is None
