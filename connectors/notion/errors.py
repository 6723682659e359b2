"""Map Notion HTTP failures onto the connector error family, in one place.

Notion answers errors with `{"object": "error", "status", "code", "message",
"request_id"}`. Messages we raise carry the status and code; for a 400 they also
carry Notion's own message (its text, not ours), cleaned and cut to 200 characters.
"""

from __future__ import annotations

import math
import re
from typing import Any

import httpx

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited

MAX_MESSAGE = 200
_CODE = re.compile(r"[a-z][a-z_]{0,63}")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")


class NotionError(ConnectorError):
    """Notion refused the page for a reason a retry will not fix (sharing, schema)."""

    def __init__(self, message: str, *, status: int, code: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body: Any = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_code(response: httpx.Response) -> str | None:
    code = _body(response).get("code")
    return code if isinstance(code, str) and _CODE.fullmatch(code) else None


def error_message(response: httpx.Response) -> str:
    """Notion's message, on one line, at most MAX_MESSAGE characters."""
    message = _body(response).get("message")
    if not isinstance(message, str):
        return ""
    text = " ".join(_UNSAFE.sub(" ", message).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "\u2026"


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Retry-After (integer seconds from Notion) as a float, None when absent or bad."""
    raw = response.headers.get("retry-after", "").strip()
    try:
        value = float(raw)
    except ValueError:
        return None
    return max(0.0, value) if math.isfinite(value) else None


def error_for_response(response: httpx.Response) -> ConnectorError:
    """The exception for a non-2xx Notion response."""
    status = response.status_code
    code = error_code(response)
    detail = f"{status} {code}" if code else str(status)
    if status == 429:
        return RateLimited(
            f"notion: rate limited ({detail})", retry_after=retry_after_seconds(response)
        )
    if status == 401:
        return AuthExpired(f"notion: token rejected ({detail})")
    if status == 404:
        return NotionError(
            "notion: database not found or not shared; share the database with the"
            f" integration from its Connections menu ({detail})",
            status=status,
            code=code,
        )
    if status == 403:
        return NotionError(
            f"notion: the integration may not insert content here ({detail})",
            status=status,
            code=code,
        )
    if status == 409 or status >= 500:
        # 409 conflict_error: a transaction collided; Notion says to retry.
        return ProviderUnavailable(f"notion: unavailable ({detail})")
    if status == 400:
        message = error_message(response)
        suffix = f": {message}" if message else ""
        return NotionError(f"notion: request rejected ({detail}){suffix}", status=status, code=code)
    return NotionError(f"notion: request failed ({detail})", status=status, code=code)


def error_for_transport(exc: httpx.TransportError) -> ConnectorError:
    """Timeouts and connection failures are transient by nature."""
    return ProviderUnavailable(f"notion: {type(exc).__name__}")
