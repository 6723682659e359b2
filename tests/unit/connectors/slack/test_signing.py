"""Slack v0 request signing."""

from __future__ import annotations

import pytest

from connectors.errors import WebhookRejected
from connectors.slack.signing import sign_slack_request, verify_slack_request

# Slack's published test vector (fixtures/slack/signing.md, example 1).
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TS = 1531420618
DOC_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
    b"%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

SECRET = "test-signing-secret-0123456789abcdef"
URL_VERIFICATION = (
    b'{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":'
    b'"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}'
)


def test_sign_matches_published_vector() -> None:
    headers = sign_slack_request(DOC_SECRET, DOC_BODY, DOC_TS)
    assert headers == {
        "X-Slack-Request-Timestamp": str(DOC_TS),
        "X-Slack-Signature": DOC_SIGNATURE,
    }


def test_sign_matches_fixture_example_4() -> None:
    headers = sign_slack_request(SECRET, URL_VERIFICATION, "1714000000")
    assert headers["X-Slack-Signature"] == (
        "v0=2a1a1983605d164cc28b1efc7c994dd8580a113521394c13549432cafc339656"
    )


def test_valid_request_accepted() -> None:
    headers = {"X-Slack-Request-Timestamp": str(DOC_TS), "X-Slack-Signature": DOC_SIGNATURE}
    verify_slack_request(DOC_SECRET, headers, DOC_BODY, now=DOC_TS + 10)


def test_lowercased_headers_accepted() -> None:
    headers = {k.lower(): v for k, v in sign_slack_request(SECRET, b"{}", 1000).items()}
    verify_slack_request(SECRET, headers, b"{}", now=1000)


def test_fresh_signature_with_real_clock() -> None:
    verify_slack_request(SECRET, sign_slack_request(SECRET, b"x=1"), b"x=1")


@pytest.mark.parametrize("skew", [301, -301, 10_000])
def test_stale_or_future_timestamp_rejected(skew: int) -> None:
    headers = sign_slack_request(SECRET, b"{}", 1_700_000_000)
    with pytest.raises(WebhookRejected, match="stale"):
        verify_slack_request(SECRET, headers, b"{}", now=1_700_000_000 + skew)


def test_tolerance_edge_accepted() -> None:
    headers = sign_slack_request(SECRET, b"{}", 1_700_000_000)
    verify_slack_request(SECRET, headers, b"{}", now=1_700_000_300)


def test_bad_signature_rejected() -> None:
    headers = sign_slack_request(SECRET, b'{"a":1}', 1000)
    with pytest.raises(WebhookRejected, match="bad"):
        verify_slack_request(SECRET, headers, b'{"a":2}', now=1000)
    with pytest.raises(WebhookRejected, match="bad"):
        verify_slack_request("other-secret", headers, b'{"a":1}', now=1000)


def test_non_ascii_signature_rejected_not_crashing() -> None:
    headers = {"X-Slack-Request-Timestamp": "1000", "X-Slack-Signature": "v0=\u00e9\u00e9"}
    with pytest.raises(WebhookRejected, match="bad"):
        verify_slack_request(SECRET, headers, b"{}", now=1000)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "1000"},
        {"X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=00"},
    ],
)
def test_missing_headers_rejected(headers: dict[str, str]) -> None:
    with pytest.raises(WebhookRejected, match="missing"):
        verify_slack_request(SECRET, headers, b"{}", now=1000)


@pytest.mark.parametrize("timestamp", ["abc", "-5", "1e3", "\u0661\u0662"])
def test_malformed_timestamp_rejected(timestamp: str) -> None:
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00"}
    with pytest.raises(WebhookRejected, match="malformed"):
        verify_slack_request(SECRET, headers, b"{}", now=1000)


def test_empty_secret_rejects_everything() -> None:
    headers = sign_slack_request("", b"{}", 1000)
    with pytest.raises(WebhookRejected, match="not configured"):
        verify_slack_request("", headers, b"{}", now=1000)
