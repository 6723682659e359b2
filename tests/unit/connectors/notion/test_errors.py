"""Mapping Notion error responses onto the connector error family (no I/O)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.notion.errors import NotionError, error_for_response, error_for_transport

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "notion"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def response(
    status: int, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def notion_error(status: int, code: str, message: str = "m") -> dict[str, Any]:
    return {"object": "error", "status": status, "code": code, "message": message}


def test_401_is_auth_expired() -> None:
    result = error_for_response(response(401, load("error_401")))

    assert type(result) is AuthExpired
    assert "unauthorized" in str(result)


def test_404_says_to_share_the_database() -> None:
    result = error_for_response(response(404, load("error_404")))

    assert type(result) is NotionError
    assert result.code == "object_not_found"
    assert "share the database with the integration" in str(result)
    assert "8e2c2b76" not in str(result)  # Notion's message is not echoed for a 404


@pytest.mark.parametrize("fixture", ["error_validation", "error_validation_body"])
def test_400_carries_code_and_notions_message(fixture: str) -> None:
    body = load(fixture)

    result = error_for_response(response(400, body))

    assert type(result) is NotionError
    assert result.status == 400
    assert result.code == "validation_error"
    assert str(result) == f"notion: request rejected (400 validation_error): {body['message']}"


def test_400_message_is_cut_to_200_characters_on_one_line() -> None:
    body = notion_error(400, "validation_error", "bad\n\x00value " + "x" * 500)

    result = error_for_response(response(400, body))

    message = str(result).split("): ", 1)[1]
    assert len(message) == 200
    assert message.startswith("bad value x")
    assert "\n" not in message


def test_missing_version_is_a_notion_error() -> None:
    result = error_for_response(response(400, notion_error(400, "missing_version")))

    assert isinstance(result, NotionError)
    assert result.code == "missing_version"


def test_429_fixture_with_retry_after() -> None:
    meta = load("error_429.headers")

    result = error_for_response(response(429, load("error_429"), meta["headers"]))

    assert isinstance(result, RateLimited)
    assert result.retry_after == 1.0


@pytest.mark.parametrize(("header", "expected"), [(None, None), ("later", None), ("30", 30.0)])
def test_429_retry_after_variants(header: str | None, expected: float | None) -> None:
    headers = {} if header is None else {"Retry-After": header}

    result = error_for_response(response(429, load("error_429"), headers))

    assert isinstance(result, RateLimited)
    assert result.retry_after == expected


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "internal_server_error"),
        (502, "bad_gateway"),
        (503, "service_unavailable"),
        (504, "gateway_timeout"),
        (529, "service_overload"),
        (409, "conflict_error"),
    ],
)
def test_transient_statuses_are_unavailable(status: int, code: str) -> None:
    result = error_for_response(response(status, notion_error(status, code)))

    assert type(result) is ProviderUnavailable
    assert code in str(result)


def test_non_json_server_error_is_unavailable() -> None:
    result = error_for_response(httpx.Response(502, text="<html>Bad gateway</html>"))

    assert type(result) is ProviderUnavailable


def test_403_is_a_notion_error() -> None:
    result = error_for_response(response(403, notion_error(403, "restricted_resource")))

    assert type(result) is NotionError


def test_a_code_that_is_not_one_is_not_echoed() -> None:
    result = error_for_response(response(404, notion_error(404, "ntn_SECRET token!")))

    assert isinstance(result, ConnectorError)
    assert "SECRET" not in str(result)


def test_transport_errors_are_unavailable() -> None:
    assert type(error_for_transport(httpx.ConnectTimeout("slow"))) is ProviderUnavailable
