"""A local stand-in for ClickUp API v2, speaking its wire format (fixtures/clickup).

Serves, under /clickup/api/v2 so it can share one server with the other fakes:
  POST /list/{list_id}/task   create a task (the TaskSink call)
  GET  /list/{list_id}/task   Get Tasks: {"tasks": [...], "last_page": bool}, 100 a page
  GET  /task/{task_id}        read one back
  GET  /team                  the Workspaces the token is authorized for
It authenticates like ClickUp (a bare `pk_...` personal token or `Bearer <oauth>`),
answers errors as `{"err", "ECODE"}` with ClickUp's status codes, validates the create
body, and returns the task object in the fixture's shape (ms timestamps as strings).
Get Tasks honours page, date_created_gt/_lt, date_updated_gt/_lt, include_closed,
subtasks, archived, order_by (id, created, updated, due_date), reverse and
include_markdown_description (markdown_description only when true); other filters
are ignored. Its default order, newest first, is an assumption (ClickUp documents
only that it orders by created and that reverse reverses).
Rate limits happen only when injected with fail_next (429 + X-RateLimit-* headers);
fail_next(..., after_processing=True) lets the request through and then answers the
error, for "it went through but the answer was lost".
State is readable in process (fake.tasks, fake.requests, fake.task_queries,
fake.calls) and over HTTP under /_fake/clickup/.

ECODEs other than OAUTH_017/019/027 and APP_002 are constructed, not confirmed.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.fakeserver import Fault, Faults

PREFIX = "/clickup/api/v2"

SANDBOX_TEAM_ID = "9011223344"
SANDBOX_TOKEN = "pk_sandbox_token"  # noqa: S105 - a fake's well-known test token
SANDBOX_LIST_ID = "901"
SANDBOX_LIST_NAME = "Inbox tasks"
SANDBOX_USER_ID = 183

RATE_LIMIT = 100
PAGE_SIZE = 100  # Get Tasks page size
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

# status -> (err, ECODE) for injected faults.
_FAULTS: dict[int, tuple[str, str]] = {
    400: ("Invalid request", "INPUT_001"),
    401: ("Token invalid", "OAUTH_025"),
    403: ("Access denied", "ACCESS_001"),
    404: ("List not found", "ITEM_013"),
    429: ("Rate limit reached", "APP_002"),
    500: ("Internal server error", "APP_001"),
    502: ("Bad gateway", "APP_001"),
    503: ("Service unavailable", "APP_001"),
    504: ("Gateway timeout", "APP_001"),
}

_PRIORITIES: dict[int, tuple[str, str]] = {
    1: ("urgent", "#f50000"),
    2: ("high", "#ffcc00"),
    3: ("normal", "#6fddff"),
    4: ("low", "#d8d8d8"),
}


@dataclass
class FakeWorkspace:
    team_id: str
    name: str
    lists: dict[str, str]  # list id -> list name
    tokens: set[str] = field(default_factory=set)
    user_id: int = SANDBOX_USER_ID
    username: str = "John Doe"
    email: str = "john@example.com"
    folder_id: str = "90110000002"
    space_id: str = "90110000003"


class ClickUpApiError(Exception):
    """Raised by handlers: becomes {"err": ..., "ECODE": ...} with status."""

    def __init__(self, status: int, err: str, ecode: str) -> None:
        super().__init__(f"{status} {ecode}")
        self.status = status
        self.err = err
        self.ecode = ecode


_Handler = Callable[[Request, str], Awaitable[Response]]


class ClickUpFake:
    """State plus a Starlette app; every public method is safe to call from any thread."""

    def __init__(self, *, seed: int = 86, clock: Callable[[], float] = time.time) -> None:
        self.calls: Counter[str] = Counter()
        self.tasks: dict[str, dict[str, Any]] = {}  # task id -> task object as returned
        self.requests: list[dict[str, Any]] = []  # accepted creates: list_id, auth, body
        self.task_queries: list[dict[str, Any]] = []  # Get Tasks calls: list_id, query
        # Unix seconds stamped on new tasks (date_created); tests may swap it, reset()
        # puts the constructor's back.
        self.clock = clock
        self._default_clock = clock
        self._lock = threading.RLock()
        self._rng = random.Random(seed)  # noqa: S311 - ids only need to look random
        self._workspaces: dict[str, FakeWorkspace] = {}
        self._revoked: set[str] = set()
        self._faults = Faults()

    # ---- test controls -------------------------------------------------------------

    def add_workspace(
        self, team_id: str, token: str, lists: dict[str, str], **details: Any
    ) -> FakeWorkspace:
        """Authorize token for the Workspace team_id holding lists (id -> name).

        Calling it again for the same team adds the token and lists to it.
        """
        with self._lock:
            workspace = self._workspaces.get(team_id)
            if workspace is None:
                name = str(details.pop("name", "Acme Test Workspace"))
                workspace = FakeWorkspace(team_id=team_id, name=name, lists={})
                self._workspaces[team_id] = workspace
            for key, value in details.items():
                setattr(workspace, key, value)
            workspace.lists.update(lists)
            workspace.tokens.add(token)
            self._revoked.discard(token)
            return workspace

    def revoke_token(self, token: str) -> None:
        """Later calls with this token get 401 OAUTH_019 (token not found)."""
        with self._lock:
            self._revoked.add(token)

    def fail_next(
        self,
        path_prefix: str,
        status: int,
        retry_after: float | None = None,
        count: int = 1,
        *,
        delay: float = 0.0,
        after_processing: bool = False,
    ) -> None:
        """Answer the next count requests whose path starts with path_prefix with status.

        The body is ClickUp's error shape for that status; a 429 carries
        X-RateLimit-Limit/-Remaining/-Reset (reset = now + retry_after, or + 60 s) and,
        when retry_after is given, Retry-After. delay holds the answer back (timeouts).

        after_processing: handle the request first (a create stores its task) and
        then answer the error in place of the real response, after delay; a lost
        answer. Faults without it go first when both kinds are queued for a path.
        """
        self._faults.add(path_prefix, status, retry_after, count, delay, after_processing)

    def close_task(self, task_id: str) -> None:
        """Give a task a closed status ("complete"), as finishing it in ClickUp does."""
        with self._lock:
            task = self.tasks[task_id]
            now = str(int(self.clock() * 1000))
            task["status"] = {
                "id": f"p{task['list']['id']}_closed",
                "status": "complete",
                "color": "#6bc950",
                "orderindex": 1,
                "type": "closed",
            }
            task["date_closed"] = task["date_done"] = task["date_updated"] = now

    def seed_sandbox(self) -> FakeWorkspace:
        """The sandbox's Workspace: SANDBOX_TEAM_ID with list SANDBOX_LIST_ID."""
        return self.add_workspace(
            SANDBOX_TEAM_ID,
            SANDBOX_TOKEN,
            {SANDBOX_LIST_ID: SANDBOX_LIST_NAME},
            name="Sandbox Workspace",
        )

    def reset(self) -> None:
        """Forget tasks, counters and faults, restore the clock (workspaces and tokens stay)."""
        with self._lock:
            self.calls.clear()
            self.tasks.clear()
            self.requests.clear()
            self.task_queries.clear()
            self.clock = self._default_clock
            self._faults.clear()

    def tasks_in(self, list_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(t) for t in self.tasks.values() if t["list"]["id"] == list_id]

    # ---- ASGI ----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [
            Route(
                f"{PREFIX}/list/{{list_id}}/task",
                self._api("create_task", self._create_task),
                methods=["POST"],
            ),
            Route(
                f"{PREFIX}/list/{{list_id}}/task",
                self._api("get_tasks", self._get_tasks),
                methods=["GET"],
            ),
            Route(
                f"{PREFIX}/task/{{task_id}}",
                self._api("get_task", self._get_task),
                methods=["GET"],
            ),
            Route(f"{PREFIX}/team", self._api("team", self._team), methods=["GET"]),
            Route("/_fake/clickup/tasks", self._control_tasks, methods=["GET"]),
            Route("/_fake/clickup/calls", self._control_calls, methods=["GET"]),
            Route("/_fake/clickup/fail", self._control_fail, methods=["POST"]),
            Route("/_fake/clickup/reset", self._control_reset, methods=["POST"]),
        ]

    def asgi_app(self) -> Starlette:
        return Starlette(routes=self.routes())

    def _api(self, endpoint: str, handler: _Handler) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler: count, apply faults, authenticate, map ClickUpApiError."""

        async def guarded(request: Request) -> Response:
            with self._lock:
                self.calls[endpoint] += 1

            async def handle() -> Response:
                try:
                    return await handler(request, self._authenticate(request))
                except ClickUpApiError as exc:
                    return _error(exc.status, exc.err, exc.ecode)

            return await self._faults.around(request.url.path, handle, _fault_response)

        return guarded

    def _authenticate(self, request: Request) -> str:
        header = request.headers.get("authorization", "").strip()
        if not header:
            raise ClickUpApiError(401, "Authorization header required", "OAUTH_017")
        token = header[7:].strip() if header.lower().startswith("bearer ") else header
        with self._lock:
            known = token not in self._revoked and any(
                token in ws.tokens for ws in self._workspaces.values()
            )
        if not known:
            raise ClickUpApiError(401, "Token invalid", "OAUTH_019")
        return token

    # ---- endpoints -----------------------------------------------------------------

    def _list_for(self, request: Request, token: str) -> tuple[str, FakeWorkspace]:
        list_id: str = request.path_params["list_id"]
        with self._lock:
            workspace = self._workspace_of_list(list_id)
        if workspace is None:
            raise ClickUpApiError(404, "List not found", "ITEM_013")
        if token not in workspace.tokens:
            raise ClickUpApiError(401, "Team not authorized", "OAUTH_027")
        return list_id, workspace

    async def _create_task(self, request: Request, token: str) -> Response:
        list_id, workspace = self._list_for(request, token)
        body = await _json_object(request)
        fields = _validate_task(body)
        auth = (
            "bearer" if request.headers["authorization"].lower().startswith("bearer ") else "bare"
        )
        with self._lock:
            task_id = self._new_id()
            now = int(self.clock() * 1000)
            index = len(self.tasks) + 1
            task = _task_object(task_id, list_id, workspace, fields, index=index, now_ms=now)
            self.tasks[task_id] = task
            self.requests.append({"list_id": list_id, "auth": auth, "body": body})
            return JSONResponse(task)

    async def _get_tasks(self, request: Request, token: str) -> Response:
        list_id, _ = self._list_for(request, token)
        query = _TaskQuery.parse(request)
        with self._lock:
            self.task_queries.append({"list_id": list_id, "query": dict(request.query_params)})
            listed = [
                (position, dict(task))
                for position, task in enumerate(self.tasks.values())
                if task["list"]["id"] == list_id and query.admits(task)
            ]
        listed.sort(key=lambda item: (query.sort_key(item[1]), item[0]), reverse=not query.reverse)
        start = query.page * PAGE_SIZE
        page = [query.shape(task) for _, task in listed[start : start + PAGE_SIZE]]
        return JSONResponse({"tasks": page, "last_page": start + PAGE_SIZE >= len(listed)})

    async def _get_task(self, request: Request, token: str) -> Response:
        task_id = request.path_params["task_id"]
        with self._lock:
            task = self.tasks.get(task_id)
            workspace = None if task is None else self._workspace_of_list(task["list"]["id"])
            if task is None or workspace is None:
                raise ClickUpApiError(404, "Task not found", "ITEM_015")
            if token not in workspace.tokens:
                raise ClickUpApiError(401, "Team not authorized", "OAUTH_027")
            return JSONResponse(dict(task))

    async def _team(self, request: Request, token: str) -> Response:
        with self._lock:
            teams = [_team_object(ws) for ws in self._workspaces.values() if token in ws.tokens]
        return JSONResponse({"teams": teams})

    # ---- HTTP controls -------------------------------------------------------------

    async def _control_tasks(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse({"tasks": list(self.tasks.values())})

    async def _control_calls(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse({"calls": dict(self.calls)})

    async def _control_fail(self, request: Request) -> Response:
        body = await request.json()
        retry_after = body.get("retry_after")
        self.fail_next(
            str(body["path_prefix"]),
            int(body["status"]),
            retry_after=None if retry_after is None else float(retry_after),
            count=int(body.get("count", 1)),
            delay=float(body.get("delay", 0.0)),
            after_processing=body.get("after_processing") is True,
        )
        return JSONResponse({"ok": True})

    async def _control_reset(self, request: Request) -> Response:
        self.reset()
        return JSONResponse({"ok": True})

    # ---- helpers -------------------------------------------------------------------

    def _workspace_of_list(self, list_id: str) -> FakeWorkspace | None:
        return next((ws for ws in self._workspaces.values() if list_id in ws.lists), None)

    def _new_id(self) -> str:
        while True:
            task_id = "86" + "".join(self._rng.choice(_ID_ALPHABET) for _ in range(7))
            if task_id not in self.tasks:
                return task_id


# ---- wire helpers ------------------------------------------------------------------

_ORDER_KEYS: dict[str, str] = {
    "id": "id",
    "created": "date_created",
    "updated": "date_updated",
    "due_date": "due_date",
}


@dataclass(frozen=True)
class _TaskQuery:
    """The Get Tasks query parameters the fake honours."""

    page: int = 0
    order_by: str = "created"
    reverse: bool = False
    include_closed: bool = False
    subtasks: bool = False
    archived: bool = False
    include_markdown: bool = False
    bounds: tuple[tuple[str, int | None, int | None], ...] = ()  # field, gt, lt

    @classmethod
    def parse(cls, request: Request) -> _TaskQuery:
        params = request.query_params
        page = _int_param(params.get("page"), "page")
        if page is not None and page < 0:
            raise ClickUpApiError(400, "page invalid", "INPUT_003")
        order_by = params.get("order_by") or "created"
        if order_by not in _ORDER_KEYS:
            raise ClickUpApiError(400, "order_by invalid", "INPUT_003")
        bounds = tuple(
            (
                field_name,
                _int_param(params.get(f"{name}_gt"), f"{name}_gt"),
                _int_param(params.get(f"{name}_lt"), f"{name}_lt"),
            )
            for name, field_name in (
                ("date_created", "date_created"),
                ("date_updated", "date_updated"),
                ("due_date", "due_date"),
            )
        )
        return cls(
            page=page or 0,
            order_by=order_by,
            reverse=_bool_param(params.get("reverse"), "reverse"),
            include_closed=_bool_param(params.get("include_closed"), "include_closed"),
            subtasks=_bool_param(params.get("subtasks"), "subtasks"),
            archived=_bool_param(params.get("archived"), "archived"),
            include_markdown=_bool_param(
                params.get("include_markdown_description"), "include_markdown_description"
            ),
            bounds=bounds,
        )

    def admits(self, task: dict[str, Any]) -> bool:
        if task["status"]["type"] == "closed" and not self.include_closed:
            return False
        if task["parent"] is not None and not self.subtasks:
            return False
        if bool(task["archived"]) != self.archived:
            return False
        for field_name, gt, lt in self.bounds:
            if gt is None and lt is None:
                continue
            raw = task.get(field_name)
            if raw is None:
                return False
            value = int(raw)
            if (gt is not None and value <= gt) or (lt is not None and value >= lt):
                return False
        return True

    def sort_key(self, task: dict[str, Any]) -> tuple[int, str]:
        """(number, text): ms fields sort by number, ids as text; a missing date first."""
        value = task.get(_ORDER_KEYS[self.order_by])
        if self.order_by == "id":
            return (0, str(value))
        return (-1 if value is None else int(value), "")

    def shape(self, task: dict[str, Any]) -> dict[str, Any]:
        """The task as Get Tasks lists it: markdown_description only when asked for."""
        if not self.include_markdown:
            task.pop("markdown_description", None)
        return task


def _int_param(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ClickUpApiError(400, f"{name} invalid", "INPUT_003") from None


def _bool_param(raw: str | None, name: str) -> bool:
    if raw is None or raw == "":
        return False
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise ClickUpApiError(400, f"{name} invalid", "INPUT_003")


def _error(status: int, err: str, ecode: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"err": err, "ECODE": ecode}, status_code=status, headers=headers)


def _fault_response(fault: Fault) -> Response:
    err, ecode = _FAULTS.get(fault.status, ("Request failed", "APP_001"))
    headers: dict[str, str] = {}
    if fault.status == 429:
        wait = 60.0 if fault.retry_after is None else fault.retry_after
        headers = {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(math.ceil(time.time() + wait)),
        }
    if fault.retry_after is not None:
        headers["Retry-After"] = str(math.ceil(fault.retry_after))
    return _error(fault.status, err, ecode, headers)


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else {}
    except ValueError:
        raise ClickUpApiError(400, "Invalid JSON body", "JSON_001") from None
    if not isinstance(body, dict):
        raise ClickUpApiError(400, "Body must be a JSON object", "JSON_002")
    return body


def _optional_str(body: dict[str, Any], key: str, ecode: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ClickUpApiError(400, f"{key} must be a string", ecode)
    return value


def _validate_task(body: dict[str, Any]) -> dict[str, Any]:
    """The create body's fields we model, checked the way ClickUp rejects them."""
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ClickUpApiError(400, "Task name invalid", "INPUT_005")
    description = _optional_str(body, "description", "INPUT_006")
    # The schema documents markdown_content; the published example uses
    # markdown_description. Either wins over description.
    markdown = _optional_str(body, "markdown_content", "INPUT_006")
    if markdown is None:
        markdown = _optional_str(body, "markdown_description", "INPUT_006")
    priority = body.get("priority")
    if priority is not None and (
        isinstance(priority, bool) or not isinstance(priority, int) or priority not in _PRIORITIES
    ):
        raise ClickUpApiError(400, "Priority invalid", "INPUT_009")
    due = _ms_field(body, "due_date")
    start = _ms_field(body, "start_date")
    for flag in ("due_date_time", "start_date_time"):
        if body.get(flag) is not None and not isinstance(body[flag], bool):
            raise ClickUpApiError(400, f"{flag} must be a boolean", "INPUT_010")
    return {
        "name": name,
        "description": description,
        "markdown": markdown,
        "priority": priority,
        "due_date": due,
        "due_date_time": bool(body.get("due_date_time", False)),
        "start_date": start,
        "status": body.get("status") if isinstance(body.get("status"), str) else None,
        "tags": [t for t in body.get("tags") or [] if isinstance(t, str)],
    }


def _ms_field(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ClickUpApiError(400, f"{key} invalid", "INPUT_008")


def _task_object(
    task_id: str,
    list_id: str,
    ws: FakeWorkspace,
    fields: dict[str, Any],
    *,
    index: int,
    now_ms: int,
) -> dict[str, Any]:
    now = str(now_ms)
    markdown = fields["markdown"]
    plain = markdown if markdown is not None else (fields["description"] or "")
    priority = None
    if fields["priority"] is not None:
        label, color = _PRIORITIES[fields["priority"]]
        number = str(fields["priority"])
        priority = {"color": color, "id": number, "orderindex": number, "priority": label}
    creator = {
        "id": ws.user_id,
        "username": ws.username,
        "color": "#827718",
        "profilePicture": None,
    }
    return {
        "id": task_id,
        "custom_id": None,
        "custom_item_id": None,
        "name": fields["name"],
        "text_content": plain,
        "description": plain,
        "markdown_description": markdown if markdown is not None else plain,
        "status": {
            "id": f"p{list_id}_open",
            "status": fields["status"] or "to do",
            "color": "#d3d3d3",
            "orderindex": 0,
            "type": "open",
        },
        "orderindex": f"{index}.00000000000000000000000000000000",
        "date_created": now,
        "date_updated": now,
        "date_closed": None,
        "date_done": None,
        "creator": creator,
        "assignees": [],
        "archived": False,
        "group_assignees": [],
        "email_assignees": [],
        "checklists": [],
        "tags": [
            {"name": tag, "tag_fg": "#800000", "tag_bg": "#2ecd6f", "creator": ws.user_id}
            for tag in fields["tags"]
        ],
        "parent": None,
        "priority": priority,
        "due_date": None if fields["due_date"] is None else str(fields["due_date"]),
        "due_date_time": fields["due_date_time"],
        "start_date": None if fields["start_date"] is None else str(fields["start_date"]),
        "points": None,
        "time_estimate": None,
        "time_spent": None,
        "custom_fields": [],
        "list": {"id": list_id},
        "folder": {"id": ws.folder_id},
        "space": {"id": ws.space_id},
        "url": f"https://app.clickup.com/t/{task_id}",
    }


def _team_object(ws: FakeWorkspace) -> dict[str, Any]:
    initials = "".join(part[0] for part in ws.username.split()[:2]).upper()
    return {
        "id": ws.team_id,
        "name": ws.name,
        "color": "#536cfe",
        "avatar": None,
        "members": [
            {
                "user": {
                    "id": ws.user_id,
                    "username": ws.username,
                    "email": ws.email,
                    "color": "#827718",
                    "profilePicture": None,
                    "initials": initials,
                    "role": 1,
                    "custom_role": None,
                    "last_active": None,
                    "date_joined": None,
                    "date_invited": None,
                }
            }
        ],
    }
