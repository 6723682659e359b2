from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import (
    AuthExpired,
    ConnectorError,
    CursorExpired,
    ProviderUnavailable,
    RateLimited,
)
from connectors.outlook.errors import (
    error_for_response,
    error_for_transport,
    graph_error_code,
    is_sync_state_lost,
    oauth_error,
    retry_after_seconds,
)

_REPO = Path(__file__).resolve().parents[4]
FIXTURES = _REPO / "tests" / "fixtures" / "graph"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def response(
    status: int, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def test_401_is_auth_expired() -> None:
    body = {"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}}

    assert type(error_for_response(response(401, body))) is AuthExpired


def test_429_fixture_with_the_fixture_headers() -> None:
    meta = load("error_429.headers.json")

    error = error_for_response(response(meta["status"], load("error_429.json"), meta["headers"]))

    assert isinstance(error, RateLimited)
    assert error.retry_after == 10.0


def test_429_with_fractional_retry_after() -> None:
    error = error_for_response(response(429, load("error_429.json"), {"Retry-After": "2.128"}))

    assert isinstance(error, RateLimited)
    assert error.retry_after == pytest.approx(2.128)


def test_429_without_retry_after() -> None:
    error = error_for_response(response(429, load("error_429.json")))

    assert isinstance(error, RateLimited)
    assert error.retry_after is None


@pytest.mark.parametrize("status", [503, 504])
def test_503_504_with_retry_after_are_rate_limited(status: int) -> None:
    error = error_for_response(response(status, headers={"Retry-After": "3"}))

    assert isinstance(error, RateLimited)
    assert error.retry_after == 3.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_without_retry_after_is_unavailable(status: int) -> None:
    assert type(error_for_response(response(status))) is ProviderUnavailable


def test_500_with_retry_after_is_still_unavailable() -> None:
    error = error_for_response(response(500, headers={"Retry-After": "3"}))

    assert type(error) is ProviderUnavailable


@pytest.mark.parametrize("status", [400, 403, 404, 409, 410])
def test_other_statuses_carry_only_the_status(status: int) -> None:
    body = {"error": {"code": "Whatever", "message": "secret-ish detail from the body"}}

    error = error_for_response(response(status, body, {"Authorization": "Bearer EwB-token"}))

    assert type(error) is ConnectorError
    assert str(status) in str(error)
    assert "secret-ish" not in str(error)
    assert "EwB-token" not in str(error)


@pytest.mark.parametrize(
    "exc", [httpx.ConnectTimeout("t"), httpx.ReadTimeout("t"), httpx.ConnectError("c")]
)
def test_transport_errors_are_unavailable(exc: httpx.TransportError) -> None:
    error = error_for_transport(exc)

    assert isinstance(error, ProviderUnavailable)
    assert not isinstance(error, CursorExpired)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("10", 10.0), ("2.128", 2.128), (" 7 ", 7.0), ("0", 0.0), ("-3", 0.0)],
)
def test_retry_after_seconds(value: str, seconds: float) -> None:
    assert retry_after_seconds(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value", [None, "", "soon", "nan", "inf", "-inf"])
def test_retry_after_unusable(value: str | None) -> None:
    assert retry_after_seconds(value) is None


def test_retry_after_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)

    seconds = retry_after_seconds(when)

    assert seconds is not None
    assert 25 <= seconds <= 31
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@pytest.mark.parametrize(
    ("status", "body", "lost"),
    [
        (410, None, True),
        (410, {"error": {"code": "syncStateNotFound", "message": "gone"}}, True),
        (400, {"error": {"code": "resyncRequired", "message": "resync"}}, True),
        (404, {"error": {"code": "SyncStateNotFound", "message": "gone"}}, True),
        (400, {"error": {"code": "BadRequest", "message": "bad"}}, False),
        (500, {"error": {"code": "syncStateNotFound"}}, False),
        (400, ["not", "an", "object"], False),
    ],
)
def test_sync_state_lost(status: int, body: Any, lost: bool) -> None:
    assert is_sync_state_lost(response(status, body)) is lost


def test_graph_error_code_of_non_json_is_empty() -> None:
    assert graph_error_code(httpx.Response(400, text="<html>")) == ""


def test_oauth_error_reads_the_aadsts_code() -> None:
    meta = load("token_invalid_grant.headers.json")

    error, code = oauth_error(response(meta["status"], load("token_invalid_grant.json")))

    assert (error, code) == ("invalid_grant", "700082")


def test_oauth_error_falls_back_to_the_description() -> None:
    body = {"error": "invalid_grant", "error_description": "AADSTS50173: The grant was revoked."}

    assert oauth_error(response(400, body)) == ("invalid_grant", "50173")
    assert oauth_error(httpx.Response(400, text="oops")) == ("", None)
