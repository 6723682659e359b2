"""HTTP entry points Slack calls: events, slash commands, interactivity.

Each endpoint is sync (the Bolt App is sync) and receives the raw body from an async
dependency, because the signature covers the exact bytes. Bolt verifies the signature
and timestamp; its 401 is turned into the hub's JSON error shape.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt import App, BoltRequest, BoltResponse

from hub.deps import RawBody, get_runtime
from hub.wiring import Runtime
from slackapp.bolt import build_bolt_app

_SKIPPED_HEADERS = frozenset({"content-length"})


def _bolt_request(request: Request, body: bytes) -> BoltRequest:
    headers: dict[str, str | Sequence[str]] = {
        key: request.headers.getlist(key) for key in request.headers
    }
    return BoltRequest(
        # A body that is not UTF-8 cannot carry a valid signature: it fails verification.
        body=body.decode("utf-8", errors="replace"),
        query=request.url.query,
        headers=headers,
    )


def _http_response(bolt_response: BoltResponse) -> Response:
    if bolt_response.status == 401:
        return _error(401, "unauthorized", "invalid or stale Slack request signature")
    response = Response(content=bolt_response.body, status_code=bolt_response.status)
    for key, values in bolt_response.headers.items():
        if key.lower() in _SKIPPED_HEADERS:
            continue
        for value in values:
            response.headers.append(key, value)
    return response


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


class _BoltApps:
    """One Bolt App per runtime, built on first use.

    create_app() may only build its runtime in the lifespan, after the routers are
    included, so the router can also take the runtime from the request's app state.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runtime: Runtime | None = None
        self._app: App | None = None

    def for_runtime(self, rt: Runtime) -> App:
        with self._lock:
            if self._app is None or self._runtime is not rt:
                self._app, self._runtime = build_bolt_app(rt), rt
            return self._app


def build_router(rt: Runtime | None = None) -> APIRouter:
    """POST /slack/events, /slack/commands and /slack/interactions, all into one Bolt App.

    Without rt, the runtime is the request's app.state.runtime (hub.deps.get_runtime).
    Without a signing secret nothing can be verified, so every request is refused.
    """
    router = APIRouter(prefix="/slack", tags=["slack"])
    apps = _BoltApps()
    if rt is not None and rt.settings.slack_signing_secret:
        apps.for_runtime(rt)  # fail at startup, not on Slack's first request

    def dispatch(request: Request, body: bytes) -> Response:
        runtime = rt if rt is not None else get_runtime(request)
        if not runtime.settings.slack_signing_secret:
            return _error(503, "unavailable", "Slack is not configured (SLACK_SIGNING_SECRET)")
        bolt_app = apps.for_runtime(runtime)
        return _http_response(bolt_app.dispatch(_bolt_request(request, body)))

    @router.post("/events")
    def slack_events(request: Request, body: RawBody) -> Response:
        return dispatch(request, body)

    @router.post("/commands")
    def slack_commands(request: Request, body: RawBody) -> Response:
        return dispatch(request, body)

    @router.post("/interactions")
    def slack_interactions(request: Request, body: RawBody) -> Response:
        return dispatch(request, body)

    return router
