"""The FastAPI factory: routers, error handlers, request ids, and the runtime's lifetime."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute

from hub.analysis.api import router as usage_router
from hub.config import Settings, get_settings
from hub.connections.api import router as connections_router
from hub.context.api import router as context_router
from hub.errors import install_exception_handlers
from hub.events.api import router as events_router
from hub.health.api import router as health_router
from hub.metrics import REQUESTS
from hub.tasks.api import router as tasks_router
from hub.threads.api import router as threads_router
from hub.webhooks.api import router as webhooks_router
from hub.wiring import Runtime, close_runtime, init_runtime
from slackapp.routes import build_router as build_slack_router

log = structlog.get_logger(__name__)


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0] if route.tags else 'hub'}-{route.name}"


def create_app(settings: Settings | None = None, *, rt: Runtime | None = None) -> FastAPI:
    """Build the app. Given a runtime, the caller owns it; otherwise the app builds one."""
    owns_runtime = rt is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = rt if rt is not None else init_runtime(settings or get_settings())
        try:
            yield
        finally:
            if owns_runtime:
                close_runtime()

    app = FastAPI(
        title="inbox-hub",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    if rt is not None:
        app.state.runtime = rt
    install_exception_handlers(app)
    app.middleware("http")(_request_context)
    routers = (
        health_router,
        webhooks_router,
        threads_router,
        context_router,
        tasks_router,
        connections_router,
        usage_router,
        events_router,
    )
    for router in routers:
        app.include_router(router)
    app.include_router(build_slack_router(rt))
    return app


async def _request_context(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    structlog.contextvars.bind_contextvars(request_id=request_id)
    started = time.perf_counter()
    try:
        response = await call_next(request)
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    elapsed = time.perf_counter() - started
    route = request.scope.get("route")
    template = route.path if isinstance(route, APIRoute) else "unmatched"
    REQUESTS.labels(request.method, template, str(response.status_code)).observe(elapsed)
    response.headers["X-Request-ID"] = request_id
    log.info(
        "request.completed",
        request_id=request_id,
        method=request.method,
        path=template,
        status=response.status_code,
        duration_ms=round(elapsed * 1000, 1),
    )
    return response
