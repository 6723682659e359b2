"""A local stand-in for the Notion API, speaking its wire format (fixtures/notion).

Serves, under /notion/v1 so it can share one server with the other fakes:
  POST /pages                  create a page in a database (the TaskSink call)
  GET  /pages/{page_id}        read one back
  GET  /databases/{id}         a database and its property schema
  POST /databases/{id}/query   its pages: filter (property text/date conditions,
                               created_time/last_edited_time timestamps, and/or),
                               sorts, page_size and start_cursor paging
  GET  /blocks/{id}/children   a page's body blocks (the children given at create), paged
Every call needs Notion-Version (else 400 missing_version) and a known bearer token
(else 401 unauthorized); a database not shared with the token's integration is a 404
object_not_found, as in Notion. The create body is validated like Notion does it:
properties must exist in the schema with the right type, the title property must be
present, rich-text content is at most 2000 UTF-16 units, at most 100 items per array
and 100 children. Pages come back in the fixture's shape (dashed uuid, expanded
property values for every property of the database); created_time is kept to the
minute, as Notion does, from fake.clock (settable in tests). Rate limits happen only
when injected with fail_next; fail_next(..., after_processing=True) handles the request
first and then answers with the error (the create went through, the answer was lost).
State is readable in process (fake.pages, fake.children, fake.requests, fake.calls) and
over HTTP under /_fake/notion/.
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.fakeserver import Fault, Faults
from connectors.notion.payloads import plain_text, utf16_len

PREFIX = "/notion/v1"

SANDBOX_TOKEN = "ntn_sandbox_token"  # noqa: S105 - a fake's well-known test token
SANDBOX_DATABASE_ID = "8e2c2b76-9e3b-4a1e-9e6f-5a1c7d3b2f10"
SANDBOX_DATABASE_TITLE = "Inbox tasks"
SANDBOX_PROPERTIES: dict[str, str] = {
    "Name": "title",
    "Due": "date",
    "Source": "url",
    "Priority": "select",
    "Description": "rich_text",
}

MAX_CONTENT = 2000
MAX_ARRAY = 100
MAX_CHILDREN = 100
MAX_URL = 2000
MAX_PAGE_SIZE = 100
MAX_FILTER_DEPTH = 2  # compound filters nest two levels deep at most
TEXT_FILTERS: dict[str, frozenset[str]] = {  # property type -> filter keys accepted for it
    "title": frozenset({"title", "rich_text"}),
    "rich_text": frozenset({"title", "rich_text"}),
    "url": frozenset({"url", "rich_text"}),
    "email": frozenset({"email", "rich_text"}),
    "phone_number": frozenset({"phone_number", "rich_text"}),
}
TEXT_CONDITIONS = frozenset(
    {"equals", "does_not_equal", "contains", "does_not_contain", "starts_with", "ends_with"}
)
DATE_CONDITIONS = frozenset({"equals", "before", "after", "on_or_before", "on_or_after"})
EMPTY_CONDITIONS = frozenset({"is_empty", "is_not_empty"})
TIMESTAMPS = frozenset({"created_time", "last_edited_time"})

PROPERTY_TYPES = frozenset(
    {
        "title",
        "rich_text",
        "date",
        "url",
        "select",
        "multi_select",
        "number",
        "checkbox",
        "people",
        "email",
        "phone_number",
    }
)
TEXT_BLOCKS = frozenset(
    {
        "paragraph",
        "heading_1",
        "heading_2",
        "heading_3",
        "bulleted_list_item",
        "numbered_list_item",
        "quote",
        "to_do",
        "callout",
    }
)
_EMPTY: dict[str, Any] = {
    "title": [],
    "rich_text": [],
    "date": None,
    "url": None,
    "select": None,
    "multi_select": [],
    "number": None,
    "checkbox": False,
    "people": [],
    "email": None,
    "phone_number": None,
}
_COLORS = ("default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink")
_ANNOTATIONS = ("bold", "italic", "strikethrough", "underline", "code")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")

# status -> (code, message) for injected faults.
_FAULTS: dict[int, tuple[str, str]] = {
    400: ("validation_error", "body failed validation."),
    401: ("unauthorized", "API token is invalid."),
    403: ("restricted_resource", "Insufficient permissions for this endpoint."),
    404: ("object_not_found", "Could not find object."),
    409: ("conflict_error", "Conflict occurred while saving. Please try again."),
    429: ("rate_limited", "You have been rate limited. Please try again in a few minutes."),
    500: ("internal_server_error", "Unexpected error occurred."),
    502: ("bad_gateway", "Bad gateway."),
    503: ("service_unavailable", "Notion is unavailable, please try again later."),
    504: ("gateway_timeout", "Gateway timeout."),
    529: ("service_overload", "Notion is overloaded, please try again later."),
}


@dataclass
class FakeProperty:
    id: str
    name: str
    type: str
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # select name -> option


@dataclass
class FakeDatabase:
    id: str  # dashed, lower case
    title: str
    properties: dict[str, FakeProperty]
    shared_with: set[str]
    created_time: str = ""

    @property
    def title_property(self) -> FakeProperty:
        return next(p for p in self.properties.values() if p.type == "title")


@dataclass
class FakeIntegration:
    token: str
    bot_id: str
    workspace_name: str = "Acme Test Workspace"
    revoked: bool = False


class NotionApiError(Exception):
    """Raised by handlers: becomes Notion's error object with status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message


_Handler = Callable[[Request, FakeIntegration], Awaitable[Response]]
_Predicate = Callable[[dict[str, Any]], bool]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def canonical_id(value: Any) -> str | None:
    """A Notion id (dashed or not) in dashed lower-case form; None when not a uuid."""
    if not isinstance(value, str):
        return None
    compact = value.replace("-", "").lower()
    if not _HEX32.fullmatch(compact):
        return None
    return str(uuid.UUID(compact))


class NotionFake:
    """State plus a Starlette app; every public method is safe to call from any thread."""

    def __init__(self, *, seed: int = 1714, clock: Callable[[], datetime] = _utc_now) -> None:
        # The time pages are created at; tests may replace it (reset() restores it).
        self.clock = clock
        self._default_clock = clock
        self.calls: Counter[str] = Counter()
        self.pages: dict[str, dict[str, Any]] = {}  # page id -> page object as returned
        self.children: dict[str, list[dict[str, Any]]] = {}  # page id -> blocks
        self.requests: list[dict[str, Any]] = []  # accepted creates: version, body
        self._lock = threading.RLock()
        self._rng = random.Random(seed)  # noqa: S311 - ids only need to look random
        self._integrations: dict[str, FakeIntegration] = {}
        self._databases: dict[str, FakeDatabase] = {}
        self._faults = Faults()

    # ---- test controls -------------------------------------------------------------

    def add_integration(self, token: str, **details: Any) -> FakeIntegration:
        with self._lock:
            integration = FakeIntegration(token=token, bot_id=self._uuid())
            for key, value in details.items():
                setattr(integration, key, value)
            self._integrations[token] = integration
            return integration

    def revoke(self, token: str) -> None:
        """Later calls with this token get 401 unauthorized."""
        with self._lock:
            self._integrations[token].revoked = True

    def add_database(
        self,
        database_id: str,
        title: str,
        properties: dict[str, str],
        shared_with: set[str],
    ) -> FakeDatabase:
        """A database with properties (name -> type), shared with these tokens."""
        canonical = canonical_id(database_id)
        if canonical is None:
            raise ValueError(f"not a Notion id: {database_id!r}")
        unknown = set(properties.values()) - PROPERTY_TYPES
        if unknown:
            raise ValueError(f"unsupported property types: {sorted(unknown)}")
        if list(properties.values()).count("title") != 1:
            raise ValueError("a database has exactly one title property")
        with self._lock:
            schema = {
                name: FakeProperty(
                    id="title" if kind == "title" else self._property_id(), name=name, type=kind
                )
                for name, kind in properties.items()
            }
            database = FakeDatabase(
                id=canonical,
                title=title,
                properties=schema,
                shared_with=set(shared_with),
                created_time=self._stamp(),
            )
            self._databases[canonical] = database
            return database

    def share(self, database_id: str, token: str) -> None:
        with self._lock:
            self._database(database_id).shared_with.add(token)

    def unshare(self, database_id: str, token: str) -> None:
        with self._lock:
            self._database(database_id).shared_with.discard(token)

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

        The body is Notion's error object for that status. A 429 always carries
        Retry-After (integer seconds; retry_after or 1), as Notion's does; other
        statuses carry it only when retry_after is given. delay holds the answer back.

        after_processing: handle the request first (a create stores its page), then
        drop the real answer and send the error instead, after delay; with a delay past
        the client's timeout the client sees a timeout. This is the failure whose outcome
        is unknown to the caller. Faults without it are taken first.
        """
        self._faults.add(path_prefix, status, retry_after, count, delay, after_processing)

    def seed_sandbox(self) -> FakeDatabase:
        """The sandbox's integration SANDBOX_TOKEN and database SANDBOX_DATABASE_ID."""
        self.add_integration(SANDBOX_TOKEN, workspace_name="Sandbox Workspace")
        return self.add_database(
            SANDBOX_DATABASE_ID, SANDBOX_DATABASE_TITLE, SANDBOX_PROPERTIES, {SANDBOX_TOKEN}
        )

    def reset(self) -> None:
        """Forget pages, counters and faults; restore the clock (integrations and
        databases stay)."""
        with self._lock:
            self.calls.clear()
            self.pages.clear()
            self.children.clear()
            self.requests.clear()
            self._faults.clear()
            self.clock = self._default_clock

    def title_of(self, page_id: str) -> str:
        """The plain text of a stored page's title property."""
        with self._lock:
            page = self.pages[page_id]
            prop = next(p for p in page["properties"].values() if p["type"] == "title")
            return plain_text(prop["title"])

    def paragraphs_of(self, page_id: str) -> list[str]:
        """The plain text of each child block of a stored page, in order."""
        with self._lock:
            return [plain_text(b[b["type"]]["rich_text"]) for b in self.children[page_id]]

    def pages_in(self, database_id: str) -> list[dict[str, Any]]:
        canonical = canonical_id(database_id)
        with self._lock:
            return [dict(p) for p in self.pages.values() if p["parent"]["database_id"] == canonical]

    # ---- ASGI ----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [
            Route(f"{PREFIX}/pages", self._api("pages.create", self._create), methods=["POST"]),
            Route(
                f"{PREFIX}/pages/{{page_id}}",
                self._api("pages.retrieve", self._retrieve),
                methods=["GET"],
            ),
            Route(
                f"{PREFIX}/databases/{{database_id}}",
                self._api("databases.retrieve", self._database_get),
                methods=["GET"],
            ),
            Route(
                f"{PREFIX}/databases/{{database_id}}/query",
                self._api("databases.query", self._database_query),
                methods=["POST"],
            ),
            Route(
                f"{PREFIX}/blocks/{{block_id}}/children",
                self._api("blocks.children.list", self._block_children),
                methods=["GET"],
            ),
            Route("/_fake/notion/pages", self._control_pages, methods=["GET"]),
            Route("/_fake/notion/calls", self._control_calls, methods=["GET"]),
            Route("/_fake/notion/fail", self._control_fail, methods=["POST"]),
            Route("/_fake/notion/reset", self._control_reset, methods=["POST"]),
        ]

    def asgi_app(self) -> Starlette:
        return Starlette(routes=self.routes())

    def _api(self, endpoint: str, handler: _Handler) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler: count, apply faults, check version and token, map errors."""

        async def guarded(request: Request) -> Response:
            with self._lock:
                self.calls[endpoint] += 1

            async def handle() -> Response:
                try:
                    _check_version(request.headers.get("notion-version"))
                    integration = self._authenticate(request.headers.get("authorization", ""))
                    return await handler(request, integration)
                except NotionApiError as exc:
                    return _error(exc.status, exc.code, exc.message)

            return await self._faults.around(request.url.path, handle, _fault_response)

        return guarded

    def _authenticate(self, header: str) -> FakeIntegration:
        scheme, _, token = header.strip().partition(" ")
        with self._lock:
            integration = self._integrations.get(token.strip())
        if scheme.lower() != "bearer" or integration is None or integration.revoked:
            raise NotionApiError(401, "unauthorized", "API token is invalid.")
        return integration

    def _visible_database(self, raw_id: Any, token: str, pointer: str) -> FakeDatabase:
        canonical = canonical_id(raw_id)
        if canonical is None:
            raise _invalid(
                f"{pointer} should be a valid uuid, instead was `{json.dumps(raw_id)}`.",
                where=pointer.split(".", 1)[0],
            )
        with self._lock:
            database = self._databases.get(canonical)
        if database is None or token not in database.shared_with:
            raise NotionApiError(
                404,
                "object_not_found",
                f"Could not find database with ID: {canonical}. Make sure the relevant"
                " pages and databases are shared with your integration.",
            )
        return database

    # ---- endpoints -----------------------------------------------------------------

    async def _create(self, request: Request, integration: FakeIntegration) -> Response:
        body = await _json_object(request)
        parent = body.get("parent")
        if not isinstance(parent, dict):
            raise _invalid(f"body.parent should be an object, instead was `{_show(parent)}`.")
        if "database_id" not in parent:
            raise _invalid("body.parent.database_id should be defined, instead was `undefined`.")
        database = self._visible_database(
            parent["database_id"], integration.token, "body.parent.database_id"
        )
        raw_properties = body.get("properties")
        if not isinstance(raw_properties, dict):
            raise _invalid(
                f"body.properties should be an object, instead was `{_show(raw_properties)}`."
            )
        raw_children = body.get("children", [])
        if not isinstance(raw_children, list):
            raise _invalid(
                f"body.children should be an array, instead was `{_show(raw_children)}`."
            )
        if len(raw_children) > MAX_CHILDREN:
            raise _invalid(
                f"body.children.length should be ≤ `{MAX_CHILDREN}`,"
                f" instead was `{len(raw_children)}`."
            )
        with self._lock:
            values = self._property_values(database, raw_properties)
            blocks = [_block(b, f"body.children[{i}]") for i, b in enumerate(raw_children)]
            page = self._page_object(database, values, integration)
            children = [self._stored_block(block, page) for block in blocks]
            self.pages[page["id"]] = page
            self.children[page["id"]] = children
            self.requests.append(
                {"notion_version": request.headers.get("notion-version"), "body": body}
            )
            return JSONResponse(page)

    async def _retrieve(self, request: Request, integration: FakeIntegration) -> Response:
        page_id = canonical_id(request.path_params["page_id"])
        with self._lock:
            page = self.pages.get(page_id or "")
            database = None if page is None else self._databases.get(page["parent"]["database_id"])
            if page is None or database is None or integration.token not in database.shared_with:
                raise NotionApiError(
                    404,
                    "object_not_found",
                    f"Could not find page with ID: {page_id}. Make sure the relevant pages"
                    " and databases are shared with your integration.",
                )
            return JSONResponse({**page, "request_id": self._uuid()})

    async def _database_get(self, request: Request, integration: FakeIntegration) -> Response:
        database = self._visible_database(
            request.path_params["database_id"], integration.token, "path.database_id"
        )
        with self._lock:
            return JSONResponse(_database_object(database) | {"request_id": self._uuid()})

    async def _database_query(self, request: Request, integration: FakeIntegration) -> Response:
        database = self._visible_database(
            request.path_params["database_id"], integration.token, "path.database_id"
        )
        body = await _json_object(request) if (await request.body()).strip() else {}
        raw_filter = body.get("filter")
        keep = (
            (lambda page: True)
            if raw_filter is None
            else self._compile_filter(database, raw_filter, "body.filter", 0)
        )
        raw_sorts = body.get("sorts", [])
        if not isinstance(raw_sorts, list):
            raise _invalid(f"body.sorts should be an array, instead was `{_show(raw_sorts)}`.")
        sorts = [self._sort(database, item, f"body.sorts[{i}]") for i, item in enumerate(raw_sorts)]
        size = _page_size(body.get("page_size"), "body.page_size")
        cursor = body.get("start_cursor")
        with self._lock:
            # seq: creation order, finer than created_time's minute.
            rows = [
                (seq, {k: v for k, v in page.items() if k != "request_id"})
                for seq, page in enumerate(self.pages.values())
                if page["parent"]["database_id"] == database.id
                and not page["archived"]
                and not page["in_trash"]
            ]
        rows = [row for row in rows if keep(row[1])]
        if sorts:
            rows.sort(key=lambda row: row[0])
            for key, descending in reversed(sorts):
                rows.sort(key=_row_key(key), reverse=descending)
        else:  # newest first
            rows.sort(key=lambda row: (row[1]["created_time"], row[0]), reverse=True)
        results, next_cursor = _paged([page for _, page in rows], cursor, size, "body")
        return JSONResponse(
            {
                "object": "list",
                "results": results,
                "next_cursor": next_cursor,
                "has_more": next_cursor is not None,
                "type": "page_or_database",
                "page_or_database": {},
                "request_id": self._uuid(),
            }
        )

    async def _block_children(self, request: Request, integration: FakeIntegration) -> Response:
        raw_id = request.path_params["block_id"]
        block_id = canonical_id(raw_id)
        if block_id is None:
            raise _invalid(
                f"path.block_id should be a valid uuid, instead was `{json.dumps(raw_id)}`.",
                where="path",
            )
        size = _page_size(_query_int(request, "page_size"), "query.page_size")
        cursor = request.query_params.get("start_cursor")
        with self._lock:
            page_id: str | None = block_id if block_id in self.pages else None
            blocks: list[dict[str, Any]] = list(self.children.get(block_id, []))
            if page_id is None:  # a block inside a page: it has no children of its own
                page_id = next(
                    (p for p, bs in self.children.items() if any(b["id"] == block_id for b in bs)),
                    None,
                )
                blocks = []
            page = self.pages.get(page_id or "")
            database = None if page is None else self._databases.get(page["parent"]["database_id"])
            if page is None or database is None or integration.token not in database.shared_with:
                raise NotionApiError(
                    404,
                    "object_not_found",
                    f"Could not find block with ID: {block_id}. Make sure the relevant pages"
                    " and databases are shared with your integration.",
                )
        results, next_cursor = _paged(blocks, cursor, size, "query")
        return JSONResponse(
            {
                "object": "list",
                "results": results,
                "next_cursor": next_cursor,
                "has_more": next_cursor is not None,
                "type": "block",
                "block": {},
                "request_id": self._uuid(),
            }
        )

    # ---- query filters and sorts ---------------------------------------------------

    def _compile_filter(
        self, database: FakeDatabase, raw: Any, pointer: str, depth: int
    ) -> _Predicate:
        """A predicate over page objects for a filter object; validation errors as Notion."""
        if not isinstance(raw, dict):
            raise _invalid(f"{pointer} should be an object, instead was `{_show(raw)}`.")
        kinds = [k for k in ("and", "or", "property", "timestamp") if k in raw]
        if len(kinds) != 1:
            raise _invalid(
                f"{pointer} should be a property filter, a timestamp filter, or an `and` / `or`"
                " compound filter."
            )
        kind = kinds[0]
        if kind in ("and", "or"):
            if depth >= MAX_FILTER_DEPTH:
                raise _invalid(
                    f"{pointer} nests compound filters more than {MAX_FILTER_DEPTH} levels deep."
                )
            items = raw[kind]
            if not isinstance(items, list):
                raise _invalid(
                    f"{pointer}.{kind} should be an array, instead was `{_show(items)}`."
                )
            if len(items) > MAX_ARRAY:
                raise _invalid(f"{pointer}.{kind}.length should be ≤ `{MAX_ARRAY}`.")
            tests = [
                self._compile_filter(database, item, f"{pointer}.{kind}[{i}]", depth + 1)
                for i, item in enumerate(items)
            ]
            if kind == "and":
                return lambda page: all(test(page) for test in tests)
            return lambda page: any(test(page) for test in tests)
        if kind == "timestamp":
            name = raw["timestamp"]
            if name not in TIMESTAMPS:
                raise _invalid(
                    f"{pointer}.timestamp should be `created_time` or `last_edited_time`,"
                    f" instead was `{_show(name)}`."
                )
            if set(raw) != {"timestamp", name}:
                raise _invalid(f"{pointer}.{name} should be defined, instead was `undefined`.")
            moment = _date_condition(raw[name], f"{pointer}.{name}")
            return lambda page: moment(page[name])
        prop = self._filter_property(database, raw["property"])
        keys = [k for k in raw if k != "property"]
        if len(keys) != 1:
            raise _invalid(f"{pointer} should have exactly one filter condition object.")
        key = keys[0]
        accepted = TEXT_FILTERS.get(prop.type, frozenset({prop.type}))
        if key not in accepted:
            raise _invalid(
                f"database property {prop.type} does not match filter {key}", prefix=False
            )
        if prop.type in TEXT_FILTERS:
            text = _text_condition(raw[key], f"{pointer}.{key}")
            return lambda page: text(_text_value(page["properties"][prop.name]))
        if prop.type == "date":
            day = _date_condition(raw[key], f"{pointer}.{key}")
            return lambda page: day((page["properties"][prop.name]["date"] or {}).get("start"))
        raise _invalid(f"filters on {prop.type} properties are not supported here", prefix=False)

    def _filter_property(self, database: FakeDatabase, name: Any) -> FakeProperty:
        by_id = {p.id: p for p in database.properties.values()}
        prop = database.properties.get(name) or by_id.get(name) if isinstance(name, str) else None
        if prop is None:
            raise NotionApiError(
                400, "validation_error", f"Could not find property with name or id: {name}"
            )
        return prop

    def _sort(
        self, database: FakeDatabase, raw: Any, pointer: str
    ) -> tuple[Callable[[dict[str, Any], int], Any], bool]:
        """(key over (page, creation seq), descending) for a sort object."""
        if not isinstance(raw, dict):
            raise _invalid(f"{pointer} should be an object, instead was `{_show(raw)}`.")
        direction = raw.get("direction")
        if direction not in ("ascending", "descending"):
            raise _invalid(
                f"{pointer}.direction should be `ascending` or `descending`,"
                f" instead was `{_show(direction)}`."
            )
        descending = direction == "descending"
        if "timestamp" in raw and "property" not in raw:
            name = raw["timestamp"]
            if name not in TIMESTAMPS:
                raise _invalid(
                    f"{pointer}.timestamp should be `created_time` or `last_edited_time`,"
                    f" instead was `{_show(name)}`."
                )
            return (lambda page, seq: (page[name], seq)), descending
        if "property" in raw and "timestamp" not in raw:
            prop = self._filter_property(database, raw["property"])
            return (lambda page, seq: _sort_value(page["properties"][prop.name])), descending
        raise _invalid(f"{pointer} should have exactly one of `property` or `timestamp`.")

    # ---- HTTP controls -------------------------------------------------------------

    async def _control_pages(self, request: Request) -> Response:
        with self._lock:
            pages = [
                {**page, "children": self.children.get(page_id, [])}
                for page_id, page in self.pages.items()
            ]
        return JSONResponse({"pages": pages})

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
            after_processing=bool(body.get("after_processing", False)),
        )
        return JSONResponse({"ok": True})

    async def _control_reset(self, request: Request) -> Response:
        self.reset()
        return JSONResponse({"ok": True})

    # ---- helpers -------------------------------------------------------------------

    def _database(self, database_id: str) -> FakeDatabase:
        canonical = canonical_id(database_id)
        if canonical is None or canonical not in self._databases:
            raise KeyError(database_id)
        return self._databases[canonical]

    def _stamp(self) -> str:
        """The clock's time as Notion writes created_time: UTC, to the minute."""
        now = self.clock()
        now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
        return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:00.000Z")

    def _stored_block(self, block: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
        """A validated child block as Notion stores and lists it under its page."""
        return {
            "object": "block",
            "id": self._uuid(),
            "parent": {"type": "page_id", "page_id": page["id"]},
            "created_time": page["created_time"],
            "last_edited_time": page["last_edited_time"],
            "created_by": dict(page["created_by"]),
            "last_edited_by": dict(page["last_edited_by"]),
            **{k: v for k, v in block.items() if k != "object"},
        }

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _property_id(self) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self._rng.choice(alphabet) for _ in range(4))

    def _property_values(
        self, database: FakeDatabase, raw: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        """Expanded values for every property of the database (unset ones empty)."""
        by_id = {p.id: p for p in database.properties.values()}
        given: dict[str, Any] = {}
        for key, value in raw.items():
            prop = database.properties.get(key) or by_id.get(key)
            if prop is None:
                raise _invalid(f"{key} is not a property that exists.", prefix=False)
            if prop.name in given:
                raise _invalid(f"{prop.name} is specified more than once.", prefix=False)
            given[prop.name] = value
        title = database.title_property
        if title.name not in given:
            raise _invalid(
                f"body.properties.{title.name} should be defined, instead was `undefined`."
            )
        values: dict[str, dict[str, Any]] = {}
        for name, prop in database.properties.items():
            empty = _EMPTY[prop.type]
            value = (
                self._property_value(prop, given[name])
                if name in given
                else ([] if isinstance(empty, list) else empty)
            )
            values[name] = {"id": prop.id, "type": prop.type, prop.type: value}
        return values

    def _property_value(self, prop: FakeProperty, value: Any) -> Any:
        kind = prop.type
        if not isinstance(value, dict) or kind not in value:
            raise _invalid(f"{prop.name} is expected to be {kind}.", prefix=False)
        inner = value[kind]
        pointer = f"body.properties.{prop.name}.{kind}"
        if kind in ("title", "rich_text"):
            return _rich_text(inner, pointer)
        if kind == "date":
            return None if inner is None else _date(inner, pointer)
        if kind in ("url", "email", "phone_number"):
            if inner is not None and not isinstance(inner, str):
                raise _invalid(f"{pointer} should be a string, instead was `{_show(inner)}`.")
            if isinstance(inner, str) and utf16_len(inner) > MAX_URL:
                raise _invalid(
                    f"{pointer}.length should be ≤ `{MAX_URL}`, instead was `{len(inner)}`."
                )
            return inner
        if kind == "select":
            return None if inner is None else self._option(prop, inner, pointer)
        if kind == "multi_select":
            if not isinstance(inner, list):
                raise _invalid(f"{pointer} should be an array, instead was `{_show(inner)}`.")
            return [self._option(prop, o, f"{pointer}[{i}]") for i, o in enumerate(inner)]
        if kind == "number":
            if inner is not None and (
                isinstance(inner, bool) or not isinstance(inner, int | float)
            ):
                raise _invalid(f"{pointer} should be a number, instead was `{_show(inner)}`.")
            return inner
        if kind == "checkbox":
            if not isinstance(inner, bool):
                raise _invalid(f"{pointer} should be a boolean, instead was `{_show(inner)}`.")
            return inner
        # people
        if not isinstance(inner, list) or len(inner) > MAX_ARRAY:
            raise _invalid(f"{pointer} should be an array of at most {MAX_ARRAY} users.")
        people = []
        for i, person in enumerate(inner):
            person_id = canonical_id(person.get("id") if isinstance(person, dict) else None)
            if person_id is None:
                raise _invalid(f"{pointer}[{i}].id should be a valid uuid.")
            people.append({"object": "user", "id": person_id})
        return people

    def _option(self, prop: FakeProperty, value: Any, pointer: str) -> dict[str, str]:
        if not isinstance(value, dict):
            raise _invalid(f"{pointer} should be an object, instead was `{_show(value)}`.")
        if "id" in value and "name" not in value:
            option = next((o for o in prop.options.values() if o["id"] == value["id"]), None)
            if option is None:
                raise _invalid(f"{pointer}.id does not match an option of {prop.name}.")
            return dict(option)
        name = value.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _invalid(f"{pointer}.name should be a non-empty string.")
        if "," in name:
            raise _invalid(f"Invalid select option, commas not allowed: {name}", prefix=False)
        if len(name) > MAX_ARRAY:
            raise _invalid(f"{pointer}.name.length should be ≤ `{MAX_ARRAY}`.")
        if name not in prop.options:
            color = _COLORS[len(prop.options) % len(_COLORS)]
            prop.options[name] = {"id": self._uuid(), "name": name, "color": color}
        return dict(prop.options[name])

    def _page_object(
        self,
        database: FakeDatabase,
        values: dict[str, dict[str, Any]],
        integration: FakeIntegration,
    ) -> dict[str, Any]:
        page_id = self._uuid()
        now = self._stamp()
        title = plain_text(values[database.title_property.name]["title"])
        slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:100].strip("-")
        compact = page_id.replace("-", "")
        bot = {"object": "user", "id": integration.bot_id}
        return {
            "object": "page",
            "id": page_id,
            "created_time": now,
            "last_edited_time": now,
            "created_by": bot,
            "last_edited_by": bot,
            "cover": None,
            "icon": None,
            "parent": {"type": "database_id", "database_id": database.id},
            "archived": False,
            "in_trash": False,
            "properties": values,
            "url": f"https://www.notion.so/{slug}-{compact}"
            if slug
            else f"https://www.notion.so/{compact}",
            "public_url": None,
            "request_id": self._uuid(),
        }


# ---- wire helpers ------------------------------------------------------------------


def _show(value: Any) -> str:
    return "undefined" if value is None else json.dumps(value)[:100]


def _invalid(message: str, *, prefix: bool = True, where: str = "body") -> NotionApiError:
    text = f"{where} failed validation: {message}" if prefix else message
    return NotionApiError(400, "validation_error", text)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {
        "object": "error",
        "status": status,
        "code": code,
        "message": message,
        "request_id": str(uuid.uuid4()),
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _fault_response(fault: Fault) -> Response:
    code, message = _FAULTS.get(fault.status, ("internal_server_error", "Unexpected error."))
    retry_after = fault.retry_after
    if fault.status == 429 and retry_after is None:
        retry_after = 1
    headers = {} if retry_after is None else {"Retry-After": str(math.ceil(retry_after))}
    return _error(fault.status, code, message, headers)


def _check_version(value: str | None) -> None:
    if not value:
        raise NotionApiError(
            400,
            "missing_version",
            "Notion-Version header failed validation: Notion-Version header should be"
            " defined, instead was `undefined`.",
        )
    if not _VERSION.fullmatch(value.strip()):
        raise NotionApiError(
            400,
            "validation_error",
            f"Notion-Version header failed validation: `{value[:40]}` is not a valid version.",
        )


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        raise NotionApiError(400, "invalid_json", "Error parsing JSON body.") from None
    if not isinstance(body, dict):
        raise _invalid("body should be an object, instead was `undefined`.")
    return body


def _rich_text(items: Any, pointer: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise _invalid(f"{pointer} should be an array, instead was `{_show(items)}`.")
    if len(items) > MAX_ARRAY:
        raise _invalid(f"{pointer}.length should be ≤ `{MAX_ARRAY}`, instead was `{len(items)}`.")
    expanded = []
    for index, item in enumerate(items):
        at = f"{pointer}[{index}]"
        if not isinstance(item, dict) or item.get("type", "text") != "text":
            raise _invalid(f"{at}.type should be `text`.")
        text = item.get("text")
        content = text.get("content") if isinstance(text, dict) else None
        if not isinstance(content, str):
            raise _invalid(f"{at}.text.content should be a string, instead was `undefined`.")
        length = utf16_len(content)
        if length > MAX_CONTENT:
            raise _invalid(
                f"{at}.text.content.length should be ≤ `{MAX_CONTENT}`, instead was `{length}`."
            )
        link = text.get("link") if isinstance(text, dict) else None
        if link is not None and not (isinstance(link, dict) and isinstance(link.get("url"), str)):
            raise _invalid(f"{at}.text.link should be an object with a url, or null.")
        raw_annotations = item.get("annotations")
        given: dict[str, Any] = raw_annotations if isinstance(raw_annotations, dict) else {}
        annotations: dict[str, Any] = {k: bool(given.get(k, False)) for k in _ANNOTATIONS}
        annotations["color"] = str(given.get("color", "default"))
        expanded.append(
            {
                "type": "text",
                "text": {"content": content, "link": link},
                "annotations": annotations,
                "plain_text": content,
                "href": None if link is None else link["url"],
            }
        )
    return expanded


def _date(value: Any, pointer: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not isinstance(value.get("start"), str):
        raise _invalid(f"{pointer}.start should be defined, instead was `undefined`.")
    for key in ("start", "end"):
        raw = value.get(key)
        if raw is None:
            continue
        try:
            if len(raw) == 10:
                date.fromisoformat(raw)
            else:
                datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except (TypeError, ValueError):
            raise _invalid(
                f"{pointer}.{key} should be a valid ISO 8601 date string,"
                f" instead was `{_show(raw)}`."
            ) from None
    return {"start": value["start"], "end": value.get("end"), "time_zone": value.get("time_zone")}


def _block(block: Any, pointer: str) -> dict[str, Any]:
    kind = block.get("type") if isinstance(block, dict) else None
    if (
        not isinstance(block, dict)
        or kind not in TEXT_BLOCKS
        or not isinstance(block.get(kind), dict)
    ):
        raise _invalid(f"{pointer} should be a supported block object.")
    content = block[kind]
    expanded: dict[str, Any] = {
        "rich_text": _rich_text(content.get("rich_text"), f"{pointer}.{kind}.rich_text")
    }
    expanded["color"] = str(content.get("color", "default"))
    if kind == "to_do":
        expanded["checked"] = bool(content.get("checked", False))
    return {
        "object": "block",
        "type": kind,
        kind: expanded,
        "has_children": False,
        "archived": False,
        "in_trash": False,
    }


def _database_object(database: FakeDatabase) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, prop in database.properties.items():
        config: dict[str, Any] = {}
        if prop.type in ("select", "multi_select"):
            config = {"options": list(prop.options.values())}
        properties[name] = {"id": prop.id, "name": name, "type": prop.type, prop.type: config}
    return {
        "object": "database",
        "id": database.id,
        "created_time": database.created_time,
        "title": _rich_text([{"type": "text", "text": {"content": database.title}}], "title"),
        "properties": properties,
        "parent": {"type": "workspace", "workspace": True},
        "url": f"https://www.notion.so/{database.id.replace('-', '')}",
        "archived": False,
        "in_trash": False,
        "is_inline": False,
        "public_url": None,
    }


def _query_int(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


def _row_key(
    key: Callable[[dict[str, Any], int], Any],
) -> Callable[[tuple[int, dict[str, Any]]], Any]:
    return lambda row: key(row[1], row[0])


def _page_size(value: Any, pointer: str) -> int:
    if value is None:
        return MAX_PAGE_SIZE
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(
            f"{pointer} should be a number or `undefined`, instead was `{_show(value)}`.",
            where=pointer.split(".", 1)[0],
        )
    if not 1 <= value <= MAX_PAGE_SIZE:
        bound = f"≤ `{MAX_PAGE_SIZE}`" if value > MAX_PAGE_SIZE else "≥ `1`"
        raise _invalid(
            f"{pointer} should be {bound}, instead was `{value}`.",
            where=pointer.split(".", 1)[0],
        )
    size: int = value
    return size


def _paged(
    items: list[dict[str, Any]], cursor: Any, size: int, where: str
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of items from the item whose id is cursor; next_cursor is the next id."""
    start = 0
    if cursor is not None:
        canonical = canonical_id(cursor)
        if canonical is None:
            raise _invalid(
                f"{where}.start_cursor should be a valid uuid, instead was `{_show(cursor)}`.",
                where=where,
            )
        ids = [item["id"] for item in items]
        if canonical not in ids:
            raise NotionApiError(
                400, "validation_error", f"start_cursor provided is invalid: {cursor}"
            )
        start = ids.index(canonical)
    page = items[start : start + size]
    after = items[start + size : start + size + 1]
    return page, (after[0]["id"] if after else None)


def _text_value(value: dict[str, Any]) -> str:
    inner = value.get(value["type"])
    if isinstance(inner, list):
        return plain_text(inner)
    return inner if isinstance(inner, str) else ""


def _sort_value(value: dict[str, Any]) -> Any:
    kind = value["type"]
    if kind in TEXT_FILTERS:
        return (0, _text_value(value))
    inner = value.get(kind)
    if kind == "date":
        return (0, inner["start"]) if inner else (1, "")
    if kind in ("number", "checkbox"):
        return (0, inner) if inner is not None else (1, 0)
    if kind == "select":
        return (0, inner["name"]) if inner else (1, "")
    return (0, json.dumps(inner, sort_keys=True))


def _single_condition(raw: Any, pointer: str) -> tuple[str, Any]:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _invalid(f"{pointer} should be an object with exactly one condition.")
    ((name, value),) = raw.items()
    return name, value


def _text_condition(raw: Any, pointer: str) -> Callable[[str], bool]:
    """equals/does_not_equal compare exactly; the others ignore case, as Notion's UI does."""
    name, value = _single_condition(raw, pointer)
    if name in EMPTY_CONDITIONS:
        if value is not True:
            raise _invalid(f"{pointer}.{name} should be `true`, instead was `{_show(value)}`.")
        return (lambda text: not text) if name == "is_empty" else (lambda text: bool(text))
    if name not in TEXT_CONDITIONS:
        raise _invalid(f"{pointer}.{name} is not a text filter condition.")
    if not isinstance(value, str):
        raise _invalid(f"{pointer}.{name} should be a string, instead was `{_show(value)}`.")
    if name == "equals":
        return lambda text: text == value
    if name == "does_not_equal":
        return lambda text: text != value
    needle = value.casefold()
    if name == "contains":
        return lambda text: needle in text.casefold()
    if name == "does_not_contain":
        return lambda text: needle not in text.casefold()
    if name == "starts_with":
        return lambda text: text.casefold().startswith(needle)
    return lambda text: text.casefold().endswith(needle)


def _moment(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _date_condition(raw: Any, pointer: str) -> Callable[[str | None], bool]:
    """A test of an ISO date or timestamp; a date-only value compares whole (UTC) days."""
    name, value = _single_condition(raw, pointer)
    if name in EMPTY_CONDITIONS:
        if value is not True:
            raise _invalid(f"{pointer}.{name} should be `true`, instead was `{_show(value)}`.")
        if name == "is_empty":
            return lambda seen: seen is None
        return lambda seen: seen is not None
    if name not in DATE_CONDITIONS:
        raise _invalid(f"{pointer}.{name} is not a date filter condition supported here.")
    try:
        if not isinstance(value, str):
            raise TypeError(value)
        whole_day = len(value) == 10
        bound: Any = date.fromisoformat(value) if whole_day else _moment(value)
    except (TypeError, ValueError):
        raise _invalid(
            f"{pointer}.{name} should be a valid ISO 8601 date string, instead was"
            f" `{_show(value)}`."
        ) from None

    def test(seen: str | None) -> bool:
        if seen is None:
            return False
        at = _moment(seen if len(seen) != 10 else f"{seen}T00:00:00+00:00")
        here: Any = at.astimezone(UTC).date() if whole_day else at
        if name == "equals":
            return bool(here == bound)
        if name == "before":
            return bool(here < bound)
        if name == "after":
            return bool(here > bound)
        if name == "on_or_before":
            return bool(here <= bound)
        return bool(here >= bound)

    return test
