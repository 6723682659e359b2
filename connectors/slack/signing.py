"""Slack request signing (v0): verify inbound requests, sign them in tests and fakes.

signature = "v0=" + hex(HMAC-SHA256(signing_secret, "v0:" + timestamp + ":" + raw_body)),
sent as X-Slack-Signature next to X-Slack-Request-Timestamp. The raw body bytes are
signed exactly as received, before any form or JSON decoding.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

from connectors.errors import WebhookRejected

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
DEFAULT_TOLERANCE = 300
_VERSION = "v0"


def _signature(signing_secret: str, body: bytes, timestamp: str) -> str:
    base = f"{_VERSION}:{timestamp}:".encode() + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"{_VERSION}={digest}"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # Callers pass lower-cased (WebhookRequest), canonical or raw header maps.
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def sign_slack_request(
    signing_secret: str, body: bytes, timestamp: int | str | None = None
) -> dict[str, str]:
    """Headers Slack would send with body (for tests and fakes); timestamp defaults to now."""
    ts = str(int(time.time())) if timestamp is None else str(timestamp)
    return {
        TIMESTAMP_HEADER: ts,
        SIGNATURE_HEADER: _signature(signing_secret, body, ts),
    }


def verify_slack_request(
    signing_secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE,
) -> None:
    """Raise WebhookRejected unless the request is signed by Slack and fresh.

    The messages never include the expected signature or the secret.
    """
    if not signing_secret:
        # An empty key would let anyone forge a signature: refuse everything.
        raise WebhookRejected("slack signing secret is not configured")
    timestamp = _header(headers, TIMESTAMP_HEADER)
    signature = _header(headers, SIGNATURE_HEADER)
    if not timestamp or not signature:
        raise WebhookRejected("missing slack signature headers")
    timestamp = timestamp.strip()
    if not timestamp.isascii() or not timestamp.isdigit():
        raise WebhookRejected("malformed slack request timestamp")
    current = time.time() if now is None else now
    # Both directions: a timestamp far in the future is as replayable as an old one.
    if abs(current - int(timestamp)) > tolerance:
        raise WebhookRejected("stale slack request timestamp")
    expected = _signature(signing_secret, body, timestamp)
    # Compare bytes: compare_digest rejects non-ASCII str, and a header may carry any.
    if not hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace")):
        raise WebhookRejected("bad slack signature")
