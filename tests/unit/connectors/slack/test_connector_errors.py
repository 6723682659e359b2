"""Mapping Slack responses onto the connector error family (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited
from connectors.slack.connector import SlackCallError, _map_api_error


def _response(
    status: int, data: dict[str, Any], headers: dict[str, Any] | None = None
) -> SlackResponse:
    return SlackResponse(
        client=WebClient(),
        http_verb="POST",
        api_url="http://fake/api/chat.postMessage",
        req_args={},
        data=data,
        headers=headers or {},
        status_code=status,
    )


def test_429_is_rate_limited_with_retry_after() -> None:
    error = _map_api_error(
        "chat.postMessage",
        _response(429, {"ok": False, "error": "ratelimited"}, {"retry-after": "7"}),
    )
    assert isinstance(error, RateLimited)
    assert error.retry_after == 7.0


def test_429_without_header_has_no_retry_after() -> None:
    error = _map_api_error("chat.postMessage", _response(429, {"ok": False}))
    assert isinstance(error, RateLimited)
    assert error.retry_after is None


@pytest.mark.parametrize(
    "code", ["invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"]
)
def test_auth_errors(code: str) -> None:
    error = _map_api_error("auth.test", _response(200, {"ok": False, "error": code}))
    assert isinstance(error, AuthExpired)


@pytest.mark.parametrize(
    ("status", "data"),
    [
        (500, {"ok": False, "error": "non-json"}),
        (503, {}),
        (200, {"ok": False, "error": "fatal_error"}),
    ],
)
def test_server_errors_are_unavailable(status: int, data: dict[str, Any]) -> None:
    assert isinstance(_map_api_error("chat.update", _response(status, data)), ProviderUnavailable)


def test_other_errors_carry_the_slack_code() -> None:
    error = _map_api_error(
        "chat.postMessage", _response(200, {"ok": False, "error": "channel_not_found"})
    )
    assert isinstance(error, SlackCallError)
    assert isinstance(error, ConnectorError)
    assert not isinstance(error, (AuthExpired, RateLimited, ProviderUnavailable))
    assert error.code == "channel_not_found"
    assert "channel_not_found" in str(error)


def test_implements_chat_sink() -> None:
    from connectors.base import ChatSink
    from connectors.slack.connector import SlackConnector

    assert isinstance(SlackConnector(api_url="http://fake/api/"), ChatSink)
