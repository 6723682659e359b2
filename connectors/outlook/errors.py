"""Map Microsoft Graph and identity-platform HTTP failures onto the connector errors."""

from __future__ import annotations

import math
import re
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

# Delta answers a forgotten or invalidated sync state with one of these codes (or 410).
_SYNC_STATE_CODES = frozenset({"syncstatenotfound", "resyncrequired"})
_AADSTS = re.compile(r"\bAADSTS(\d{4,7})\b")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds, None when absent or unusable.

    Graph sends delta-seconds, sometimes fractional ("2.128"); HTTP allows a date too.
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until(value)
    # float() also accepts "nan" and "inf", which no sleep can honour.
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _seconds_until(http_date: str) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body: Any = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def graph_error_code(response: httpx.Response) -> str:
    """error.code of a Graph JSON error body, "" when the body is not one."""
    error = _json_object(response).get("error")
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else ""


def is_sync_state_lost(response: httpx.Response) -> bool:
    """True when a delta link is no longer usable and a full initial round is needed."""
    if response.status_code == 410:
        return True
    return response.is_client_error and graph_error_code(response).lower() in _SYNC_STATE_CODES


def oauth_error(response: httpx.Response) -> tuple[str, str | None]:
    """The identity platform's `error` and its AADSTS code number (if it gave one)."""
    body = _json_object(response)
    error = body.get("error")
    codes = body.get("error_codes")
    if isinstance(codes, list) and codes and isinstance(codes[0], int):
        number: str | None = str(codes[0])
    else:
        description = body.get("error_description")
        found = _AADSTS.search(description) if isinstance(description, str) else None
        number = found.group(1) if found else None
    return (error if isinstance(error, str) else ""), number


def error_for_response(response: httpx.Response) -> ConnectorError:
    """The exception for a non-2xx Graph response; messages carry the status, never bodies."""
    status = response.status_code
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    if status == 401:
        return AuthExpired("outlook: access token rejected (401)")
    if status == 429 or (status in (503, 504) and retry_after is not None):
        return RateLimited(f"outlook: throttled ({status})", retry_after=retry_after)
    if status >= 500:
        return ProviderUnavailable(f"outlook: server error ({status})")
    return ConnectorError(f"outlook: request failed ({status})")


def error_for_transport(exc: httpx.TransportError) -> ConnectorError:
    """Timeouts and connection failures are transient by nature."""
    return ProviderUnavailable(f"outlook: {type(exc).__name__}")
