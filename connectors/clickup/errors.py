"""Map ClickUp HTTP failures onto the connector error family, in one place.

ClickUp answers errors with `{"err": "<message>", "ECODE": "<code>"}`. Messages we
raise carry the status and the ECODE only: never the token, never the `err` text.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from connectors.errors import AuthExpired, ConnectorError, ProviderUnavailable, RateLimited

_ECODE = re.compile(r"[A-Z][A-Z0-9]{0,19}_[A-Z0-9]{1,10}")

# 401 codes saying the token itself is missing, unknown or revoked: re-consent needed.
TOKEN_ECODES = frozenset({"OAUTH_017", "OAUTH_019", "OAUTH_021", "OAUTH_025", "OAUTH_077"})
# 401 codes saying the token is fine but the Workspace (so the list) is not authorized
# for it; ClickUp also answers these for ids the token cannot see.
WORKSPACE_ECODES = frozenset(
    {"OAUTH_023", "OAUTH_026", "OAUTH_027"} | {f"OAUTH_0{n}" for n in range(29, 46)}
)
# X-RateLimit-Reset above this is taken as milliseconds rather than seconds.
_MS_THRESHOLD = 100_000_000_000


class ClickUpError(ConnectorError):
    """ClickUp refused the task for a reason a retry will not fix (list, body)."""

    def __init__(self, message: str, *, status: int, ecode: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.ecode = ecode


def ecode_of(response: httpx.Response) -> str | None:
    """The ECODE of a ClickUp error body when it looks like one, else None."""
    try:
        body: Any = response.json()
    except ValueError:
        return None
    code = body.get("ECODE") if isinstance(body, dict) else None
    if isinstance(code, str) and _ECODE.fullmatch(code):
        return code
    return None


def retry_after_seconds(response: httpx.Response, *, now: float) -> float | None:
    """Retry-After when present and valid, else X-RateLimit-Reset (Unix s) minus now."""
    retry_after = response.headers.get("retry-after", "").strip()
    if retry_after:
        try:
            value = float(retry_after)
            if math.isfinite(value):
                return max(0.0, value)
        except ValueError:
            try:
                when = parsedate_to_datetime(retry_after)
            except (TypeError, ValueError, IndexError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                return max(0.0, when.timestamp() - now)
    reset = response.headers.get("x-ratelimit-reset", "").strip()
    if reset:
        try:
            at = float(reset)
        except ValueError:
            return None
        if not math.isfinite(at):
            return None
        if at > _MS_THRESHOLD:
            at /= 1000
        return max(0.0, at - now)
    return None


def error_for_response(
    response: httpx.Response, *, clock: Callable[[], float] = time.time
) -> ConnectorError:
    """The exception for a non-2xx ClickUp response."""
    status = response.status_code
    ecode = ecode_of(response)
    detail = f"{status} {ecode}" if ecode else str(status)
    if status == 429:
        return RateLimited(
            f"clickup: rate limited ({detail})",
            retry_after=retry_after_seconds(response, now=clock()),
        )
    if status == 401:
        if ecode in WORKSPACE_ECODES:
            return ClickUpError(
                "clickup: list not visible to this token; authorize its workspace"
                f" or choose another list ({detail})",
                status=status,
                ecode=ecode,
            )
        return AuthExpired(f"clickup: token rejected ({detail})")
    if status >= 500:
        return ProviderUnavailable(f"clickup: server error ({detail})")
    if 400 <= status < 500:
        return ClickUpError(
            f"clickup: list not found or task rejected ({detail})", status=status, ecode=ecode
        )
    return ClickUpError(f"clickup: unexpected response ({detail})", status=status, ecode=ecode)


def error_for_transport(exc: httpx.TransportError) -> ConnectorError:
    """Timeouts and connection failures are transient by nature."""
    return ProviderUnavailable(f"clickup: {type(exc).__name__}")
