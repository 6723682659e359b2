"""Google's wire shapes for errors and paging, as the Gmail fake emits them."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from starlette.responses import JSONResponse

# status -> (message, domain, reason, RPC status), as Google words them.
_ERRORS: dict[int, tuple[str, str, str, str]] = {
    400: ("Invalid argument.", "global", "invalidArgument", "INVALID_ARGUMENT"),
    401: (
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login"
        " cookie or other valid authentication credential. See"
        " https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "global",
        "authError",
        "UNAUTHENTICATED",
    ),
    403: ("User Rate Limit Exceeded", "usageLimits", "userRateLimitExceeded", "PERMISSION_DENIED"),
    404: ("Requested entity was not found.", "global", "notFound", "NOT_FOUND"),
    429: (
        "Too many concurrent requests for user.",
        "usageLimits",
        "rateLimitExceeded",
        "RESOURCE_EXHAUSTED",
    ),
    500: ("Backend Error", "global", "backendError", "INTERNAL"),
    503: ("The service is currently unavailable.", "global", "backendError", "UNAVAILABLE"),
}


def google_error(
    status: int,
    *,
    message: str | None = None,
    retry_after: float | None = None,
    reason: str | None = None,
) -> JSONResponse:
    """Google's JSON error; reason overrides the status's usual one (403 "forbidden")."""
    default_message, domain, default_reason, rpc_status = _ERRORS.get(
        status, ("Request failed.", "global", "failed", "UNKNOWN")
    )
    if reason is None:
        reason = default_reason
    else:
        domain = "global"
    text = message or default_message
    item: dict[str, str] = {"message": text if status != 401 else "Invalid Credentials"}
    item |= {"domain": domain, "reason": reason}
    if status == 401:
        item |= {"location": "Authorization", "locationType": "header"}
    headers = {"Vary": "Origin, X-Origin, Referer"}
    if retry_after is not None:
        headers["Retry-After"] = f"{retry_after:g}"
    body = {"error": {"code": status, "message": text, "errors": [item], "status": rpc_status}}
    return JSONResponse(body, status_code=status, headers=headers)


def insufficient_scope_error(method: str, scopes: Iterable[str]) -> JSONResponse:
    """Google's 403 for a token granted without a scope the method needs."""
    body = {
        "error": {
            "code": 403,
            "message": "Request had insufficient authentication scopes.",
            "errors": [
                {
                    "message": "Insufficient Permission",
                    "domain": "global",
                    "reason": "insufficientPermissions",
                }
            ],
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                    "domain": "googleapis.com",
                    "metadata": {"method": method, "service": "gmail.googleapis.com"},
                }
            ],
        }
    }
    headers = {
        "Vary": "Origin, X-Origin, Referer",
        "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
        f'error="insufficient_scope", scope="{" ".join(sorted(scopes))}"',
    }
    return JSONResponse(body, status_code=403, headers=headers)


def oauth_error(error: str, description: str, *, status: int = 400) -> JSONResponse:
    """The OAuth token endpoint's error shape (not Google's API error shape)."""
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"},
    )


def encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_page_token(token: str | None) -> int:
    """The offset a page token stands for; ValueError when it is not one of ours."""
    if not token:
        return 0
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    if not decoded.startswith("o:"):
        raise ValueError("bad page token")
    return int(decoded[2:])
