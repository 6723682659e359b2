"""Test control of the Graph fake over HTTP, under /_fake/outlook (sandbox and e2e tests)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

LIFECYCLE_EVENTS = frozenset({"reauthorizationRequired", "subscriptionRemoved", "missed"})


class Controllable(Protocol):
    calls: Counter[str]

    def fail_next(
        self, path_prefix: str, status: int, retry_after: float | None = None, count: int = 1
    ) -> None: ...

    def deliver(
        self, to: str, sender: str, subject: str, text: str, *, in_reply_to: str | None = None
    ) -> dict[str, Any]: ...

    def send_lifecycle(
        self, address: str, event: str, *, observed_shape: bool = False
    ) -> list[int | None]: ...

    def deny_next_consent(self, count: int = 1) -> None: ...


def json_body(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except ValueError:
        return None


def control_routes(fake: Controllable, count: Callable[[str], None]) -> list[BaseRoute]:
    async def deliver(request: Request) -> Response:
        count("control.deliver")
        body = json_body(await request.body())
        try:
            to, sender = str(body["to"]), str(body["from"])
            subject, text = str(body.get("subject", "")), str(body.get("text", ""))
            in_reply_to = body.get("in_reply_to")
        except (KeyError, TypeError, AttributeError):
            return JSONResponse({"error": "expected JSON {to, from, subject, text}"}, 400)
        # deliver() POSTs notifications synchronously; a worker thread keeps the loop free
        # for the requests the receiver makes back to this fake.
        result = await run_in_threadpool(
            lambda: fake.deliver(to, sender, subject, text, in_reply_to=in_reply_to)
        )
        return JSONResponse(result)

    async def lifecycle(request: Request) -> Response:
        count("control.lifecycle")
        body = json_body(await request.body())
        address = body.get("address") if isinstance(body, dict) else None
        event = body.get("event") if isinstance(body, dict) else None
        if not isinstance(address, str) or event not in LIFECYCLE_EVENTS:
            events = ", ".join(sorted(LIFECYCLE_EVENTS))
            return JSONResponse({"error": f"expected JSON {{address, event: {events}}}"}, 400)
        observed = isinstance(body, dict) and bool(body.get("observed", False))
        statuses = await run_in_threadpool(
            lambda: fake.send_lifecycle(address, str(event), observed_shape=observed)
        )
        return JSONResponse({"statuses": statuses})

    async def calls(request: Request) -> Response:
        return JSONResponse({"calls": dict(fake.calls)})

    async def fail(request: Request) -> Response:
        body = json_body(await request.body())
        try:
            retry_after = body.get("retry_after")
            fake.fail_next(
                str(body["path_prefix"]),
                int(body["status"]),
                retry_after=None if retry_after is None else float(retry_after),
                count=int(body.get("count", 1)),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return JSONResponse({"error": "expected JSON {path_prefix, status, ...}"}, 400)
        return JSONResponse({"ok": True})

    async def deny_consent(request: Request) -> Response:
        count("control.deny_consent")
        fake.deny_next_consent()
        return JSONResponse({"ok": True})

    return [
        Route("/_fake/outlook/deliver", deliver, methods=["POST"]),
        Route("/_fake/outlook/deny-consent", deny_consent, methods=["POST"]),
        Route("/_fake/outlook/lifecycle", lifecycle, methods=["POST"]),
        Route("/_fake/outlook/calls", calls, methods=["GET"]),
        Route("/_fake/outlook/fail", fail, methods=["POST"]),
    ]
