"""Map Google HTTP failures onto the connector error family, in one place."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from connectors.errors import (
    AuthExpired,
    ConnectorError,
    ProviderUnavailable,
    RateLimited,
)

_RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
# A token granted without a scope the call needs (e.g. gmail.compose for drafts, on an
# account connected before the hub asked for it): only a new consent grants it.
_SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_reasons(response: httpx.Response) -> set[str]:
    """The `errors[].reason` and `details[].reason` values of a Google JSON error body."""
    try:
        body: Any = response.json()
    except ValueError:
        return set()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set()
    reasons: set[str] = set()
    for key in ("errors", "details"):
        items = error.get(key)
        if isinstance(items, list):
            reasons |= {
                str(item["reason"]) for item in items if isinstance(item, dict) and "reason" in item
            }
    return reasons


def error_for_response(response: httpx.Response) -> ConnectorError:
    """The exception for a non-2xx Google response; messages carry the status, never bodies."""
    status = response.status_code
    if status == 401:
        return AuthExpired("gmail: access token rejected (401)")
    reasons = error_reasons(response) if status == 403 else set()
    if reasons & _SCOPE_REASONS:
        return AuthExpired("gmail: the grant lacks a scope this call needs (403); reconnect")
    if status == 429 or reasons & _RATE_LIMIT_REASONS:
        return RateLimited(
            f"gmail: rate limited ({status})",
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )
    if status >= 500:
        return ProviderUnavailable(f"gmail: server error ({status})")
    return ConnectorError(f"gmail: request failed ({status})")


def error_for_transport(exc: httpx.TransportError) -> ConnectorError:
    """Timeouts and connection failures are transient by nature."""
    return ProviderUnavailable(f"gmail: {type(exc).__name__}")
