"""Graph's and the identity platform's wire details, as the Graph fake emits them.

Error bodies, timestamp spellings, OData query options and the opaque paging/delta
tokens (base64url JSON the fake alone reads; clients must treat them as opaque).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse

from connectors.outlook.payloads import parse_graph_datetime

# status -> (code, message), as Graph words them.
_ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Invalid request."),
    401: ("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
    403: ("ErrorAccessDenied", "Access is denied. Check credentials and try again."),
    404: ("ErrorItemNotFound", "The specified object was not found in the store."),
    410: (
        "syncStateNotFound",
        "The sync state generation is not found or has expired. Start a new initial sync.",
    ),
    429: ("TooManyRequests", "Please retry again later."),
    500: ("InternalServerError", "An internal server error occurred."),
    502: ("BadGateway", "Bad gateway."),
    503: ("ServiceNotAvailable", "The service is temporarily unavailable. Retry later."),
    504: ("GatewayTimeout", "The gateway did not receive a timely response."),
}
_WWW_AUTHENTICATE = (
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",'
    ' client_id="00000003-0000-0000-c000-000000000000"'
)
_FILTER = re.compile(r"^\s*receivedDateTime\s+(ge|gt)\s+(\S+)\s*$", re.IGNORECASE)
_MAX_PAGE = re.compile(r"odata\.maxpagesize\s*=\s*(\d+)", re.IGNORECASE)
_TEXT_BODY = re.compile(r'outlook\.body-content-type\s*=\s*"?text"?', re.IGNORECASE)


def iso_z(when: datetime) -> str:
    """2024-06-23T08:30:00Z: resources' timestamps."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_7(when: datetime, *, offset: bool = False) -> str:
    """2024-06-23T08:30:00.0000000Z (or +00:00): subscriptions' and notifications' style."""
    utc = when.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0{'+00:00' if offset else 'Z'}"


def iso_offset(when: datetime) -> str:
    """2024-06-23T08:30:00+00:00: change notifications' style."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def graph_error(
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    retry_after: float | None = None,
) -> JSONResponse:
    default_code, default_message = _ERRORS.get(status, ("UnknownError", "Request failed."))
    request_id = str(uuid.uuid4())
    inner: dict[str, str] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": request_id,
        "client-request-id": request_id,
    }
    if status == 429:
        inner |= {"code": "429", "message": "Please retry after", "status": "429"}
    body = {
        "error": {
            "code": code or default_code,
            "message": message or default_message,
            "innerError": inner,
        }
    }
    headers = {"request-id": request_id, "client-request-id": request_id}
    if retry_after is not None:
        headers["Retry-After"] = f"{retry_after:g}"
    if status == 401:
        headers["WWW-Authenticate"] = _WWW_AUTHENTICATE
    return JSONResponse(body, status_code=status, headers=headers)


def oauth_error(error: str, code: int, description: str, *, status: int = 400) -> JSONResponse:
    """The identity platform's error shape, AADSTS code first in the description."""
    now = datetime.now(UTC)
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = now.strftime("%Y-%m-%d %H:%M:%SZ")
    body = {
        "error": error,
        "error_description": (
            f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation}"
            f" Timestamp: {stamp}"
        ),
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace,
        "correlation_id": correlation,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }
    headers = {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}
    return JSONResponse(body, status_code=status, headers=headers)


def parse_select(value: str | None) -> frozenset[str] | None:
    """$select as lower-cased property names (OData names are case-insensitive)."""
    if not value:
        return None
    return frozenset(name.strip().lower() for name in value.split(",") if name.strip())


def parse_received_filter(value: str | None) -> tuple[str, datetime] | None:
    """The one $filter delta supports on messages; ValueError for any other."""
    if not value:
        return None
    found = _FILTER.match(value)
    if found is None:
        raise ValueError("unsupported filter")
    return found.group(1).lower(), parse_graph_datetime(found.group(2).strip("'"))


def max_page_size(prefer: str | None) -> int | None:
    found = _MAX_PAGE.search(prefer or "")
    return int(found.group(1)) if found else None


def wants_text_body(prefer: str | None) -> bool:
    return bool(_TEXT_BODY.search(prefer or ""))


def encode_state(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_state(token: str) -> dict[str, Any]:
    """The state behind a $skiptoken/$deltatoken; ValueError when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        state: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("not a state token") from exc
    if not isinstance(state, dict):
        raise ValueError("not a state token")
    return state
