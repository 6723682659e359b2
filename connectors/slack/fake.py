"""A local stand-in for the Slack Web API, speaking its wire format (fixtures/slack).

Serves POST and GET /api/<method> with form-encoded, query-string or JSON parameters,
authenticates by bearer token (or a `token` parameter), checks what it receives
(channels, text/blocks, Block Kit limits) and answers like Slack: HTTP 200 with
`{"ok": false, "error": ...}` for API errors, HTTP 429 + Retry-After for rate limits.
Every call is counted and every posted or updated message recorded, both readable in
process (fake.messages, fake.calls) and over HTTP under /_fake/slack/.

It also installs the app (OAuth v2, see fake_oauth): GET /oauth/v2/authorize consents at
once and redirects back with a code; POST /api/oauth.v2.access trades it for a new bot
token of the chosen workspace, which every other method then accepts.

And it plays the Events API (see fake_events): once configure_events() names the app's
Request URL, a human's say / edit / delete is stored and POSTed there as a signed
event_callback (message, message_changed, message_deleted); redeliver() replays one the
way Slack's retries do. users.info and conversations.info describe who and where.

Posts may carry message metadata (chat.postMessage `metadata`), listed again by
conversations.history / conversations.replies with include_all_metadata. A fault queued
with after_processing=True lets the call go through before answering with the error:
the "it was posted but the answer was lost" case.
"""

from __future__ import annotations

import asyncio
import base64
import html
import itertools
import json
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.fakeoauth import redirect_with
from connectors.slack import fake_events
from connectors.slack.fake_events import EventsTarget, FakeUser
from connectors.slack.fake_oauth import (
    AccessRefused,
    InstallCode,
    InstallRefused,
    SlackOAuthServer,
)

MAX_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_TEXT = 40_000
# conversations.history / conversations.replies: the default and largest page.
DEFAULT_HISTORY_LIMIT = 100
MAX_HISTORY_LIMIT = 999

Params = dict[str, Any]
Result = dict[str, Any]


@dataclass
class FakeWorkspace:
    team_id: str
    bot_token: str
    channels: set[str]
    team_name: str = "Acme Test Workspace"
    domain: str = "acme-test"
    bot_user_id: str = "U0BOT0001"
    bot_id: str = "B0BOT0001"
    app_id: str = "A0123ABCD"
    revoked: bool = False
    # Installs: the channel an install picks by default (the first one added), the
    # channels' names without "#" (else the lower-cased id), and who clicks "Allow".
    default_channel: str | None = None
    channel_names: dict[str, str] = field(default_factory=dict)
    installer_user_id: str = "U0USER001"


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    error: str
    delay: float = 0.0
    # The call is carried out (a post is stored) before the error answers it: the
    # outcome the client sees is unknown although the call went through.
    after_processing: bool = False


@dataclass
class _Call:
    method: str
    params: Params
    workspace: FakeWorkspace


class ApiError(Exception):
    """Raised by handlers: becomes HTTP 200 {"ok": false, "error": code}."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass
class SlackFake:
    """In-memory Slack. Thread-safe: the server thread writes, tests read."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    # The app's OAuth client and registered redirect URIs; None accepts any.
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    redirect_uris: Sequence[str] | None = None
    # Every completed install: team_id, channel_id, scopes, bot_token.
    installs: list[dict[str, Any]] = field(default_factory=list)
    # Every Events API POST: event_id, type, subtype, retry_num, status (None: unreachable
    # or no Request URL configured).
    deliveries: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.oauth = SlackOAuthServer(
            lambda: datetime.now(UTC),
            client_id=self.client_id,
            client_secret=self.client_secret,
            redirect_uris=self.redirect_uris,
        )
        self._workspaces: dict[str, FakeWorkspace] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._expired_triggers: set[str] = set()
        self._seq = itertools.count(1)
        self._ts_lock = threading.Lock()
        self._last_ts = 0  # microseconds of the last ts handed out
        self._users: dict[str, dict[str, FakeUser]] = {}  # team_id -> user_id -> user
        self._im_users: dict[tuple[str, str], str] = {}  # (team_id, D…) -> the human
        self._events: EventsTarget | None = None
        self._envelopes: dict[str, bytes] = {}  # event_id -> the exact body sent
        self._handlers: dict[str, Callable[[_Call], Result]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.postEphemeral": self._post_ephemeral,
            "conversations.history": self._history,
            "conversations.replies": self._replies,
            "conversations.info": self._conversations_info,
            "users.info": self._users_info,
            "views.open": self._views_open,
            "views.publish": self._views_publish,
        }
        # Methods a client calls without a bot token (it authenticates as the app).
        self._app_handlers: dict[str, Callable[[Params, str], Result]] = {
            "oauth.v2.access": self._oauth_v2_access,
        }

    # ---- test controls -------------------------------------------------------------

    def add_workspace(
        self,
        team_id: str,
        bot_token: str,
        channels: Sequence[str] | Mapping[str, str],
        **details: Any,
    ) -> FakeWorkspace:
        """A workspace reachable with bot_token; channels are ids, or ids -> names."""
        ids = list(channels)
        workspace = FakeWorkspace(
            team_id=team_id,
            bot_token=bot_token,
            channels=set(ids),
            default_channel=ids[0] if ids else None,
        )
        if isinstance(channels, Mapping):
            workspace.channel_names = {c: _bare(n) for c, n in channels.items()}
        for key, value in details.items():
            setattr(workspace, key, value)
        with self._lock:
            self._workspaces[bot_token] = workspace
        return workspace

    def add_channel(self, team_id: str, channel: str, *, name: str | None = None) -> None:
        """Add a channel (C…, G… private, D… a DM) to every token of the workspace."""
        with self._lock:
            workspaces = [ws for ws in self._workspaces.values() if ws.team_id == team_id]
            if not workspaces:
                raise LookupError(f"no workspace {team_id}")
            for ws in workspaces:
                ws.channels.add(channel)
                if name is not None:
                    ws.channel_names[channel] = _bare(name)

    def add_user(
        self,
        team_id: str,
        user_id: str,
        *,
        name: str,
        real_name: str,
        email: str | None = None,
        is_bot: bool = False,
        display_name: str | None = None,
        tz: str = fake_events.DEFAULT_TZ,
    ) -> None:
        """A member users.info describes (display_name defaults to name)."""
        user = FakeUser(
            id=user_id,
            team_id=team_id,
            name=name,
            real_name=real_name,
            email=email,
            is_bot=is_bot,
            display_name=display_name,
            tz=tz,
        )
        with self._lock:
            self._users.setdefault(team_id, {})[user_id] = user

    def configure_events(
        self,
        url: str,
        signing_secret: str,
        *,
        verification_token: str = fake_events.VERIFICATION_TOKEN,
        timeout: float = 10.0,
    ) -> None:
        """Send event_callback deliveries to url (the app's POST /slack/events).

        Each is signed v0 with signing_secret and a fresh timestamp. Slack gives up on
        an answer after 3 s; timeout is longer so a slow test does not lose its event.
        """
        target = EventsTarget(url, signing_secret, verification_token, timeout)
        with self._lock:
            self._events = target

    def deny_next_consent(self, count: int = 1) -> None:
        """The next `count` installs are declined: redirect with error=access_denied."""
        self.oauth.deny_next_consent(count)

    def expire_authorization_codes(self) -> None:
        """Age every outstanding install code past its 10 minutes."""
        self.oauth.expire_codes()

    def revoke_token(self, bot_token: str) -> None:
        """Later calls with this token get token_revoked (an uninstalled app)."""
        with self._lock:
            self._workspaces[bot_token].revoked = True

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        count: int = 1,
        *,
        error: str | None = None,
        delay: float = 0.0,
        after_processing: bool = False,
    ) -> None:
        """Make the next count calls of method fail.

        429 answers like Slack's rate limiter (Retry-After + ratelimited); 5xx answers
        with that status; status 200 with error= gives an ok:false API error. delay
        stalls the answer first (longer than the client's timeout: it gives up).

        after_processing: the call is carried out first, as if Slack handled it and the
        answer was lost (a chat.postMessage stores its message), then answered with the
        error, after the delay. Whether the call itself succeeded does not matter.
        """
        code = error or ("ratelimited" if status == 429 else "internal_error")
        fault = _Fault(
            status=status,
            retry_after=retry_after,
            error=code,
            delay=delay,
            after_processing=after_processing,
        )
        with self._lock:
            self._faults.setdefault(method, deque()).extend(fault for _ in range(count))

    def expire_trigger(self, trigger_id: str) -> None:
        with self._lock:
            self._expired_triggers.add(trigger_id)

    def seed_message(
        self,
        team_id: str,
        channel: str,
        text: str,
        *,
        user: str = "U0USER001",
        thread_ts: str | None = None,
    ) -> str:
        """Record a message as if a human had posted it (for conversations.replies)."""
        ts = self._next_ts()
        record = self._record(team_id, channel, ts, text, [], thread_ts=thread_ts, user=user)
        with self._lock:
            self.messages.append(record)
        return ts

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.ephemerals.clear()
            self.views.clear()
            self.calls.clear()
            self.installs.clear()
            self.deliveries.clear()
            self._envelopes.clear()
            self._faults.clear()

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(m) for m in self.messages if m["channel"] == channel]

    # ---- the Events API: a human's messages, delivered to the app ------------------

    def say(
        self,
        team_id: str,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """user posts text (in Slack markup: &amp; &lt; &gt;, <@U…>, <https://…|label>).

        Stored for conversations.replies, then delivered as a `message` event. Returns
        {ts, event_id, status, envelope}; status is the app's HTTP answer, None when no
        Request URL is configured or it could not be reached. Text that names the bot
        (<@bot user id>) is also delivered as an `app_mention`, reported under "mention".
        Raises LookupError for an unknown workspace, channel or thread.
        """
        ws = self._team_workspace(team_id)
        if channel not in ws.channels:
            raise LookupError(f"channel_not_found: {channel}")
        ts = self._next_ts()
        record = self._record(
            ws.team_id, channel, ts, text, fake_events.rich_text_blocks(text), user=user
        )
        record["client_msg_id"] = fake_events.new_client_msg_id()
        with self._lock:
            if thread_ts is not None:
                parent = self._find_message(ws.team_id, channel, thread_ts)
                # A reply to a reply joins the parent's thread, as in Slack's clients.
                record["thread_ts"] = parent["thread_ts"] or parent["ts"]
                if parent["thread_ts"]:
                    parent = self._find_message(ws.team_id, channel, parent["thread_ts"])
                record["parent_user_id"] = parent["user"]
            if channel.startswith("D") and user != ws.bot_user_id:
                self._im_users.setdefault((ws.team_id, channel), user)
            self.messages.append(record)
            event = fake_events.message_event(record)
        delivered = {"ts": ts, **self._deliver_event(ws, event)}
        if f"<@{ws.bot_user_id}>" in text:
            mention = self._deliver_event(ws, fake_events.mention_event(record))
            delivered["mention"] = mention
        return delivered

    def edit(self, team_id: str, channel: str, ts: str, new_text: str) -> dict[str, Any]:
        """Its author edits a stored message: delivered as subtype message_changed."""
        ws = self._team_workspace(team_id)
        event_ts = self._next_ts()
        with self._lock:
            record = self._find_message(ws.team_id, channel, ts)
            previous = dict(record)
            record["text"] = new_text
            record["blocks"] = fake_events.rich_text_blocks(new_text)
            record["edited"] = {"user": record["user"] or ws.bot_user_id, "ts": event_ts}
            event = fake_events.changed_event(previous, record, event_ts)
        return {"ts": ts, "event_ts": event_ts, **self._deliver_event(ws, event)}

    def delete(self, team_id: str, channel: str, ts: str) -> dict[str, Any]:
        """A stored message is deleted: delivered as subtype message_deleted."""
        ws = self._team_workspace(team_id)
        event_ts = self._next_ts()
        with self._lock:
            record = self._find_message(ws.team_id, channel, ts)
            self.messages.remove(record)
            event = fake_events.deleted_event(record, event_ts)
        return {"ts": ts, "event_ts": event_ts, **self._deliver_event(ws, event)}

    def redeliver(
        self, event_id: str, *, retry_num: int, reason: str = "http_timeout"
    ) -> int | None:
        """Slack's retry of a delivered event: the same body, signed afresh, with
        X-Slack-Retry-Num / X-Slack-Retry-Reason. The HTTP status, None if unreachable.
        """
        if not 1 <= retry_num <= fake_events.MAX_RETRIES:
            raise ValueError(f"Slack retries 1..{fake_events.MAX_RETRIES} times")
        if reason not in fake_events.RETRY_REASONS:
            raise ValueError(f"unknown retry reason {reason!r}")
        with self._lock:
            body = self._envelopes.get(event_id)
            target = self._events
        if body is None:
            raise LookupError(f"no event {event_id}")
        if target is None:
            raise LookupError("no Request URL: call configure_events first")
        status = fake_events.post(target, body, retry=(retry_num, reason))
        envelope = json.loads(body)
        self._log_delivery(envelope["event"], event_id, status, retry_num=retry_num)
        return status

    def _deliver_event(self, ws: FakeWorkspace, event: Mapping[str, Any]) -> dict[str, Any]:
        """Wrap, remember and POST event (outside the lock: the app calls back in)."""
        with self._lock:
            target = self._events
            event_id = fake_events.new_event_id()
            while event_id in self._envelopes:
                event_id = fake_events.new_event_id()
            envelope = fake_events.envelope(
                event,
                team_id=ws.team_id,
                app_id=ws.app_id,
                bot_user_id=ws.bot_user_id,
                event_id=event_id,
                verification_token=(
                    target.verification_token if target else fake_events.VERIFICATION_TOKEN
                ),
            )
            body = fake_events.encode(envelope)
            self._envelopes[event_id] = body
        status = None if target is None else fake_events.post(target, body)
        self._log_delivery(event, event_id, status, retry_num=0)
        return {"event_id": event_id, "status": status, "envelope": envelope}

    def _log_delivery(
        self, event: Mapping[str, Any], event_id: str, status: int | None, *, retry_num: int
    ) -> None:
        with self._lock:
            self.deliveries.append(
                {
                    "event_id": event_id,
                    "type": event["type"],
                    "subtype": event.get("subtype"),
                    "retry_num": retry_num,
                    "status": status,
                }
            )

    def _team_workspace(self, team_id: str | None) -> FakeWorkspace:
        """The workspace of team_id (None: the first one added), by a live token if any."""
        with self._lock:
            workspaces = list(self._workspaces.values())
        if team_id is None and workspaces:
            team_id = workspaces[0].team_id
        matching = [ws for ws in workspaces if ws.team_id == team_id]
        if not matching:
            raise LookupError(f"no workspace {team_id}")
        return next((ws for ws in reversed(matching) if not ws.revoked), matching[-1])

    def _find_message(self, team: str, channel: str, ts: str) -> dict[str, Any]:
        """The stored message (callers hold the lock)."""
        for message in self.messages:
            if message["team"] == team and message["channel"] == channel and message["ts"] == ts:
                return message
        raise LookupError(f"message_not_found: {channel} {ts}")

    # ---- ASGI ----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/api/{method}", self._endpoint, methods=["GET", "POST"]),
            # slack.com/oauth/v2/authorize: the browser's install page.
            Route("/oauth/v2/authorize", self._authorize, methods=["GET"]),
            Route("/_fake/slack/messages", self._control_messages, methods=["GET"]),
            Route("/_fake/slack/calls", self._control_calls, methods=["GET"]),
            Route("/_fake/slack/workspaces", self._control_add_workspace, methods=["POST"]),
            Route("/_fake/slack/fail", self._control_fail, methods=["POST"]),
            Route("/_fake/slack/reset", self._control_reset, methods=["POST"]),
            Route("/_fake/slack/deny-consent", self._control_deny_consent, methods=["POST"]),
            Route("/_fake/slack/users", self._control_add_user, methods=["POST"]),
            Route("/_fake/slack/events", self._control_configure_events, methods=["POST"]),
            Route("/_fake/slack/say", self._control_say, methods=["POST"]),
            Route("/_fake/slack/edit", self._control_edit, methods=["POST"]),
            Route("/_fake/slack/delete", self._control_delete, methods=["POST"]),
            Route("/_fake/slack/redeliver", self._control_redeliver, methods=["POST"]),
            Route("/_fake/slack/deliveries", self._control_deliveries, methods=["GET"]),
        ]

    def asgi_app(self) -> Starlette:
        return Starlette(routes=self.routes())

    async def _endpoint(self, request: Request) -> Response:
        method = request.path_params["method"]
        with self._lock:
            self.calls[method] += 1
            queue = self._faults.get(method)
            fault = queue.popleft() if queue else None
        if fault is None:
            return await self._handle(method, request)
        if fault.after_processing:
            await self._handle(method, request)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        return _fault_response(fault)

    async def _handle(self, method: str, request: Request) -> Response:
        app_handler = self._app_handlers.get(method)
        if app_handler is not None:
            try:
                params = await _read_params(request)
                result = app_handler(params, request.headers.get("authorization", ""))
            except ApiError as exc:
                return JSONResponse({"ok": False, "error": exc.code, **exc.extra})
            return JSONResponse({"ok": True, **result})
        handler = self._handlers.get(method)
        if handler is None:
            return JSONResponse({"ok": False, "error": "unknown_method"}, status_code=404)
        try:
            params = await _read_params(request)
            workspace = self._authenticate(request, params)
            result = handler(_Call(method=method, params=params, workspace=workspace))
        except ApiError as exc:
            return JSONResponse({"ok": False, "error": exc.code, **exc.extra})
        return JSONResponse({"ok": True, **result})

    async def _control_messages(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse({"messages": [dict(m) for m in self.messages]})

    async def _control_calls(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse({"calls": dict(self.calls)})

    async def _control_add_workspace(self, request: Request) -> Response:
        body = await request.json()
        channels = body["channels"]
        self.add_workspace(
            str(body["team_id"]),
            str(body["bot_token"]),
            {str(k): str(v) for k, v in channels.items()}
            if isinstance(channels, dict)
            else [str(c) for c in channels],
        )
        return JSONResponse({"ok": True})

    async def _control_add_user(self, request: Request) -> Response:
        try:
            body = await _control_body(request)
            team_id = self._team_workspace(body.get("team_id")).team_id
            self.add_user(
                team_id,
                str(body["user_id"]),
                name=str(body["name"]),
                real_name=str(body["real_name"]),
                email=body.get("email"),
                is_bot=bool(body.get("is_bot", False)),
            )
        except LookupError as exc:
            return _control_error(exc)
        return JSONResponse({"ok": True})

    async def _control_configure_events(self, request: Request) -> Response:
        try:
            body = await _control_body(request)
            self.configure_events(str(body["url"]), str(body["signing_secret"]))
        except LookupError as exc:
            return _control_error(exc)
        return JSONResponse({"ok": True})

    async def _control_say(self, request: Request) -> Response:
        try:
            body = await _control_body(request)
            thread_ts = body.get("thread_ts")
            # say() POSTs the event synchronously; a worker thread keeps this loop free
            # for the app, which may be served here and call back into the fake.
            result = await run_in_threadpool(
                self.say,
                self._team_workspace(body.get("team_id")).team_id,
                str(body["channel"]),
                str(body["user"]),
                str(body["text"]),
                thread_ts=None if thread_ts is None else str(thread_ts),
            )
        except LookupError as exc:
            return _control_error(exc)
        return JSONResponse(result)

    async def _control_edit(self, request: Request) -> Response:
        try:
            body = await _control_body(request)
            result = await run_in_threadpool(
                self.edit,
                self._team_workspace(body.get("team_id")).team_id,
                str(body["channel"]),
                str(body["ts"]),
                str(body["text"]),
            )
        except LookupError as exc:
            return _control_error(exc)
        return JSONResponse(result)

    async def _control_delete(self, request: Request) -> Response:
        try:
            body = await _control_body(request)
            result = await run_in_threadpool(
                self.delete,
                self._team_workspace(body.get("team_id")).team_id,
                str(body["channel"]),
                str(body["ts"]),
            )
        except LookupError as exc:
            return _control_error(exc)
        return JSONResponse(result)

    async def _control_redeliver(self, request: Request) -> Response:
        try:
            body = await _control_body(request)
            status = await run_in_threadpool(
                self.redeliver,
                str(body["event_id"]),
                retry_num=int(body.get("retry_num", 1)),
                reason=str(body.get("reason", "http_timeout")),
            )
        except LookupError as exc:
            return _control_error(exc)
        except ValueError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
        return JSONResponse({"ok": True, "status": status})

    async def _control_deliveries(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse({"deliveries": [dict(d) for d in self.deliveries]})

    async def _control_fail(self, request: Request) -> Response:
        body = await request.json()
        self.fail_next(
            str(body["method"]),
            status=int(body.get("status", 429)),
            retry_after=body.get("retry_after", 1),
            count=int(body.get("count", 1)),
            error=body.get("error"),
            delay=float(body.get("delay", 0.0)),
            after_processing=bool(body.get("after_processing", False)),
        )
        return JSONResponse({"ok": True})

    async def _control_reset(self, request: Request) -> Response:
        self.reset()
        return JSONResponse({"ok": True})

    async def _control_deny_consent(self, request: Request) -> Response:
        self.deny_next_consent()
        return JSONResponse({"ok": True})

    # ---- installing the app (OAuth v2) ---------------------------------------------

    async def _authorize(self, request: Request) -> Response:
        """GET /oauth/v2/authorize: the user allows at once; 302 back with code and state.

        Installs into the workspace named by `team` (a team id), else the first one
        added, and picks the channel named by `channel`, else the workspace's first.
        """
        with self._lock:
            self.calls["oauth/v2/authorize"] += 1
        try:
            query = self.oauth.parse(request.query_params.multi_items())
            workspace = self._install_target(query.team)
            channel = query.channel or workspace.default_channel
            if channel is not None and channel not in workspace.channels:
                raise InstallRefused("channel_not_found", "The chosen channel does not exist")
        except InstallRefused as refused:
            return _error_page(refused)
        if self.oauth.take_denial():
            return redirect_with(
                query.redirect_uri, {"error": "access_denied", "state": query.state}
            )
        code = self.oauth.issue(query, team_id=workspace.team_id, channel_id=channel)
        return redirect_with(query.redirect_uri, {"code": code, "state": query.state})

    def _install_target(self, team: str | None) -> FakeWorkspace:
        with self._lock:
            workspaces = list(self._workspaces.values())
        for workspace in workspaces:
            if team is None or workspace.team_id == team:
                return workspace
        raise InstallRefused("team_not_found", "No such workspace to install into")

    def _oauth_v2_access(self, params: Params, authorization: str) -> Result:
        try:
            client = self.oauth.client_of(params, authorization)
            grant_type = str(params.get("grant_type") or "authorization_code")
            if grant_type == "refresh_token":
                raise AccessRefused("invalid_refresh_token")  # no token rotation here
            if grant_type != "authorization_code":
                raise AccessRefused("invalid_grant_type")
            issued = self.oauth.redeem(
                str(params.get("code") or ""),
                client_id=client.client_id,
                redirect_uri=str(params.get("redirect_uri") or ""),
            )
        except AccessRefused as refused:
            raise ApiError(refused.code) from None
        return self._install(issued)

    def _install(self, issued: InstallCode) -> Result:
        """A new bot token for the code's workspace, registered for every method."""
        token = f"xoxb-{next(self._seq)}-{secrets.token_hex(6)}-{secrets.token_urlsafe(18)}"
        with self._lock:
            original = next(
                (ws for ws in self._workspaces.values() if ws.team_id == issued.team_id), None
            )
            if original is None:
                raise ApiError("invalid_code")  # the workspace is gone
            # Same workspace (channels shared), its own token: revoking one leaves the other.
            self._workspaces[token] = replace(original, bot_token=token, revoked=False)
            self.installs.append(
                {
                    "team_id": issued.team_id,
                    "channel_id": issued.channel_id,
                    "scopes": list(issued.scopes),
                    "bot_token": token,
                }
            )
        ws = original
        result: Result = {
            "app_id": ws.app_id,
            "authed_user": {"id": ws.installer_user_id},
            "scope": ",".join(issued.scopes),
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": ws.bot_user_id,
            "team": {"id": ws.team_id, "name": ws.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if "incoming-webhook" in issued.scopes and issued.channel_id is not None:
            name = "#" + _channel_name(ws, issued.channel_id)
            hook = secrets.token_urlsafe(18)
            result["incoming_webhook"] = {
                "channel": name,
                "channel_id": issued.channel_id,
                "configuration_url": f"https://{ws.domain}.slack.com/services/{ws.bot_id}",
                "url": f"https://hooks.slack.com/services/{ws.team_id}/{ws.bot_id}/{hook}",
            }
        return result

    # ---- auth and helpers ----------------------------------------------------------

    def _authenticate(self, request: Request, params: Params) -> FakeWorkspace:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        token = token or str(params.get("token") or "")
        if not token:
            raise ApiError("not_authed")
        with self._lock:
            workspace = self._workspaces.get(token)
        if workspace is None:
            raise ApiError("invalid_auth")
        if workspace.revoked:
            raise ApiError("token_revoked")
        return workspace

    def _next_ts(self) -> str:
        """Slack's "seconds.micros" of now: unique and increasing, like Slack's own."""
        with self._ts_lock:
            micros = max(time.time_ns() // 1000, self._last_ts + 1)
            self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def _record(
        team: str,
        channel: str,
        ts: str,
        text: str,
        blocks: list[Any],
        *,
        thread_ts: str | None = None,
        user: str | None = None,
        bot_id: str | None = None,
    ) -> dict[str, Any]:
        return {
            "channel": channel,
            "ts": ts,
            "text": text,
            "blocks": blocks,
            "team": team,
            "thread_ts": thread_ts,
            "user": user,
            "bot_id": bot_id,
        }

    @staticmethod
    def _channel(call: _Call) -> str:
        channel = str(call.params.get("channel") or "")
        if channel not in call.workspace.channels:
            raise ApiError("channel_not_found")
        return channel

    @staticmethod
    def _content(call: _Call, *, max_blocks: int = MAX_BLOCKS) -> tuple[str, list[Any]]:
        text = str(call.params.get("text") or "")
        blocks = _parse_json_param(call.params.get("blocks"), "invalid_blocks_format")
        if blocks is None:
            blocks = []
        if not isinstance(blocks, list):
            raise ApiError("invalid_blocks_format")
        if not text and not blocks:
            raise ApiError("no_text")
        if len(text) > MAX_TEXT:
            raise ApiError("msg_too_long")
        _check_blocks(blocks, max_blocks)
        return text, blocks

    def _message_payload(self, record: Mapping[str, Any], ws: FakeWorkspace) -> Result:
        message: Result = {
            "user": ws.bot_user_id,
            "type": "message",
            "ts": record["ts"],
            "bot_id": ws.bot_id,
            "app_id": ws.app_id,
            "text": record["text"],
            "team": ws.team_id,
            "bot_profile": {
                "id": ws.bot_id,
                "app_id": ws.app_id,
                "name": "Tasks Bot",
                "deleted": False,
                "team_id": ws.team_id,
            },
        }
        if record["blocks"]:
            message["blocks"] = record["blocks"]
        if record.get("thread_ts"):
            message["thread_ts"] = record["thread_ts"]
        if record.get("subtype"):
            message["subtype"] = record["subtype"]
        return message

    # ---- methods -------------------------------------------------------------------

    def _auth_test(self, call: _Call) -> Result:
        ws = call.workspace
        return {
            "url": f"https://{ws.domain}.slack.com/",
            "team": ws.team_name,
            "user": "tasks_bot",
            "team_id": ws.team_id,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    def _post_message(self, call: _Call) -> Result:
        channel = self._channel(call)
        text, blocks = self._content(call)
        metadata = _metadata_param(call.params.get("metadata"))
        thread_ts = call.params.get("thread_ts") or None
        broadcast = thread_ts is not None and _flag(call.params.get("reply_broadcast"))
        ts = self._next_ts()
        ws = call.workspace
        record = self._record(
            ws.team_id,
            channel,
            ts,
            text,
            blocks,
            thread_ts=None if thread_ts is None else str(thread_ts),
            user=ws.bot_user_id,
            bot_id=ws.bot_id,
        )
        if metadata is not None:
            record["metadata"] = metadata
        if broadcast:
            record["subtype"] = "thread_broadcast"
        with self._lock:
            self.messages.append(record)
        return {"channel": channel, "ts": ts, "message": self._message_payload(record, ws)}

    def _update(self, call: _Call) -> Result:
        channel = self._channel(call)
        ts = str(call.params.get("ts") or "")
        text, blocks = self._content(call)
        ws = call.workspace
        with self._lock:
            record = next(
                (
                    m
                    for m in self.messages
                    if m["team"] == ws.team_id and m["channel"] == channel and m["ts"] == ts
                ),
                None,
            )
            if record is None:
                raise ApiError("message_not_found")
            if record["bot_id"] != ws.bot_id:
                raise ApiError("cant_update_message")
            record["text"] = text
            record["blocks"] = blocks
            record["edited"] = True
            payload = self._message_payload(record, ws)
        return {"channel": channel, "ts": ts, "text": text, "message": payload}

    def _post_ephemeral(self, call: _Call) -> Result:
        channel = self._channel(call)
        user = str(call.params.get("user") or "")
        if not user:
            raise ApiError("user_not_in_channel")
        text, blocks = self._content(call)
        ts = self._next_ts()
        record = self._record(call.workspace.team_id, channel, ts, text, blocks, user=user)
        with self._lock:
            self.ephemerals.append(record)
        return {"message_ts": ts}

    def _history(self, call: _Call) -> Result:
        """conversations.history: the channel's top-level messages (and thread
        broadcasts, not other replies), newest first, within oldest..latest."""
        channel = self._channel(call)
        window = _TimeWindow.of(call.params)
        team = call.workspace.team_id
        with self._lock:
            found = [
                dict(m)
                for m in self.messages
                if m["team"] == team
                and m["channel"] == channel
                and _in_history(m)
                and window.holds(m["ts"])
            ]
        found.sort(key=lambda m: _ts_key(m["ts"]), reverse=True)
        limit = _page_limit(call.params)
        offset = _decode_cursor(str(call.params.get("cursor") or ""))
        page = found[offset : offset + limit]
        has_more = offset + limit < len(found)
        metadata = _flag(call.params.get("include_all_metadata"))
        return {
            "messages": [_message_item(m, metadata=metadata) for m in page],
            "has_more": has_more,
            "pin_count": 0,
            "response_metadata": {
                "next_cursor": _encode_cursor(offset + limit) if has_more else ""
            },
        }

    def _replies(self, call: _Call) -> Result:
        """conversations.replies: the parent first (always), then its replies within
        oldest..latest, oldest first."""
        channel = self._channel(call)
        ts = str(call.params.get("ts") or "")
        window = _TimeWindow.of(call.params)
        team = call.workspace.team_id
        with self._lock:
            thread = [
                dict(m)
                for m in self.messages
                if m["team"] == team
                and m["channel"] == channel
                and (m["ts"] == ts or m["thread_ts"] == ts)
            ]
        if not any(m["ts"] == ts for m in thread):
            raise ApiError("thread_not_found")
        thread = [m for m in thread if m["ts"] == ts or window.holds(m["ts"])]
        thread.sort(key=lambda m: (m["ts"] != ts, _ts_key(m["ts"])))
        limit = max(1, min(int(call.params.get("limit") or 1000), 1000))
        offset = _decode_cursor(str(call.params.get("cursor") or ""))
        page = thread[offset : offset + limit]
        has_more = offset + limit < len(thread)
        metadata = _flag(call.params.get("include_all_metadata"))
        result: Result = {
            "messages": [_message_item(m, metadata=metadata) for m in page],
            "has_more": has_more,
        }
        if has_more:
            result["response_metadata"] = {"next_cursor": _encode_cursor(offset + limit)}
        return result

    def _users_info(self, call: _Call) -> Result:
        user_id = str(call.params.get("user") or "")
        ws = call.workspace
        with self._lock:
            user = self._users.get(ws.team_id, {}).get(user_id)
        if user is None and user_id and user_id == ws.bot_user_id:
            user = FakeUser(
                id=ws.bot_user_id,
                team_id=ws.team_id,
                name="tasks_bot",
                real_name="Tasks Bot",
                is_bot=True,
                display_name="",
                bot_id=ws.bot_id,
                app_id=ws.app_id,
            )
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user.wire()}

    def _conversations_info(self, call: _Call) -> Result:
        channel = self._channel(call)
        ws = call.workspace
        with self._lock:
            im_user = self._im_users.get((ws.team_id, channel))
        name = _channel_name(ws, channel)
        return {"channel": fake_events.channel_wire(channel, name, ws.team_id, im_user=im_user)}

    def _check_view(self, call: _Call, expected_type: str) -> dict[str, Any]:
        view = _parse_json_param(call.params.get("view"), "invalid_arguments")
        if not isinstance(view, dict) or view.get("type") != expected_type:
            raise ApiError("invalid_arguments")
        blocks = view.get("blocks", [])
        if not isinstance(blocks, list):
            raise ApiError("invalid_blocks_format")
        _check_blocks(blocks, MAX_MODAL_BLOCKS)
        return view

    def _view_payload(self, view: Mapping[str, Any], ws: FakeWorkspace) -> Result:
        seq = next(self._seq)
        return {
            "id": f"V{seq:09d}",
            "team_id": ws.team_id,
            "type": view["type"],
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.fake{seq}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": f"V{seq:09d}",
            "app_id": ws.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": ws.team_id,
            "bot_id": ws.bot_id,
        }

    def _views_open(self, call: _Call) -> Result:
        trigger_id = str(call.params.get("trigger_id") or "")
        if not trigger_id:
            raise ApiError("invalid_arguments")
        with self._lock:
            expired = trigger_id in self._expired_triggers
        if expired:
            raise ApiError("expired_trigger_id")
        view = self._check_view(call, "modal")
        if not view.get("title"):
            raise ApiError("invalid_arguments")
        payload = self._view_payload(view, call.workspace)
        with self._lock:
            self.views.append({"method": "views.open", "trigger_id": trigger_id, "view": payload})
        return {"view": payload}

    def _views_publish(self, call: _Call) -> Result:
        user_id = str(call.params.get("user_id") or "")
        if not user_id:
            raise ApiError("invalid_arguments")
        view = self._check_view(call, "home")
        payload = self._view_payload(view, call.workspace)
        with self._lock:
            self.views.append({"method": "views.publish", "user_id": user_id, "view": payload})
        return {"view": payload}


# ---- wire helpers ------------------------------------------------------------------


def _bare(name: str) -> str:
    return name.removeprefix("#")


def _channel_name(ws: FakeWorkspace, channel: str) -> str:
    """The channel's name without "#"; one derived from the id when none was given."""
    return ws.channel_names.get(channel) or channel.lower()


async def _control_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise _BadControl("expected a JSON object") from None
    if not isinstance(body, dict):
        raise _BadControl("expected a JSON object")
    return body


class _BadControl(LookupError):
    """A control request the fake cannot act on (answered 400, not 404)."""


def _control_error(exc: LookupError) -> Response:
    if isinstance(exc, KeyError):
        return JSONResponse({"ok": False, "error": f"missing field {exc}"}, status_code=400)
    status = 400 if isinstance(exc, _BadControl) else 404
    return JSONResponse({"ok": False, "error": str(exc)}, status_code=status)


def _error_page(refused: InstallRefused) -> Response:
    """What Slack shows instead of redirecting when the install link itself is wrong."""
    text = html.escape(f"{refused.error}: {refused.description}")
    page = (
        "<!doctype html><html><head><title>Slack</title></head>"
        f"<body><h1>Oops! Something went wrong</h1><p>{text}</p></body></html>"
    )
    return HTMLResponse(page, status_code=400, headers={"Cache-Control": "no-store"})


def _fault_response(fault: _Fault) -> Response:
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    return JSONResponse(
        {"ok": False, "error": fault.error}, status_code=fault.status, headers=headers
    )


async def _read_params(request: Request) -> Params:
    """Query string plus body, form-encoded or JSON, as Slack accepts them."""
    params: Params = dict(request.query_params)
    body = await request.body()
    if not body:
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            raise ApiError("invalid_json") from None
        if not isinstance(data, dict):
            raise ApiError("json_not_object")
        params.update(data)
    elif content_type in ("application/x-www-form-urlencoded", ""):
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise ApiError("invalid_form_data") from None
    else:
        raise ApiError("invalid_form_data")
    return params


def _parse_json_param(value: Any, error: str) -> Any:
    # Form bodies carry blocks and views as JSON strings; JSON bodies as objects.
    if isinstance(value, str):
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(error) from None
    return value


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return str(obj["text"])
    return None


def _check_blocks(blocks: list[Any], max_blocks: int) -> None:
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"no more than {max_blocks} items allowed [json-pointer:/blocks]")
    for index, block in enumerate(blocks):
        pointer = f"/blocks/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"must provide an object with a type [json-pointer:{pointer}]")
            continue
        kind = block["type"]
        if kind == "section":
            text = _text_of(block.get("text"))
            if "text" in block and text is None:
                problems.append(f"must provide an object [json-pointer:{pointer}/text]")
            if text is not None and len(text) > MAX_SECTION_TEXT:
                problems.append(
                    f"must be less than {MAX_SECTION_TEXT + 1} characters "
                    f"[json-pointer:{pointer}/text/text]"
                )
            if text is None and not block.get("fields"):
                problems.append(f"must provide text or fields [json-pointer:{pointer}]")
        elif kind == "header":
            text_obj = block.get("text")
            text = _text_of(text_obj)
            if text is None or not isinstance(text_obj, dict):
                problems.append(f"must provide an object [json-pointer:{pointer}/text]")
            elif text_obj.get("type") != "plain_text":
                problems.append(f"must be a plain_text object [json-pointer:{pointer}/text]")
            elif len(text) > MAX_HEADER_TEXT:
                problems.append(
                    f"must be less than {MAX_HEADER_TEXT + 1} characters "
                    f"[json-pointer:{pointer}/text/text]"
                )
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements:
                problems.append(f"must provide elements [json-pointer:{pointer}/elements]")
            elif len(elements) > MAX_CONTEXT_ELEMENTS:
                problems.append(
                    f"no more than {MAX_CONTEXT_ELEMENTS} items allowed "
                    f"[json-pointer:{pointer}/elements]"
                )
    if problems:
        raise ApiError(
            "invalid_blocks",
            errors=problems,
            response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
        )


def _metadata_param(value: Any) -> dict[str, Any] | None:
    """chat.postMessage's metadata (a JSON string in a form, an object in JSON):
    {"event_type": <non-empty string>, "event_payload": <object>}."""
    if value is None or value == "":
        return None
    metadata = _parse_json_param(value, "invalid_metadata_format")
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not metadata["event_type"]
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


def _flag(value: Any) -> bool:
    """A boolean parameter: JSON true, or "1" / "true" as slack_sdk and forms send it."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true")


def _ts_key(ts: str) -> Decimal:
    return Decimal(ts)


def _ts_param(params: Params, name: str) -> Decimal | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        raise ApiError(f"invalid_ts_{name}") from None
    if not parsed.is_finite() or parsed < 0:
        raise ApiError(f"invalid_ts_{name}")
    return parsed


@dataclass(frozen=True)
class _TimeWindow:
    """oldest / latest / inclusive of conversations.history and .replies."""

    oldest: Decimal | None
    latest: Decimal | None
    inclusive: bool

    @classmethod
    def of(cls, params: Params) -> _TimeWindow:
        return cls(
            _ts_param(params, "oldest"),
            _ts_param(params, "latest"),
            _flag(params.get("inclusive")),
        )

    def holds(self, ts: str) -> bool:
        value = _ts_key(ts)
        if self.oldest is not None and (
            value < self.oldest or (value == self.oldest and not self.inclusive)
        ):
            return False
        return not (
            self.latest is not None
            and (value > self.latest or (value == self.latest and not self.inclusive))
        )


def _page_limit(params: Params) -> int:
    try:
        limit = int(params.get("limit") or DEFAULT_HISTORY_LIMIT)
    except ValueError:
        raise ApiError("invalid_limit") from None
    return max(1, min(limit, MAX_HISTORY_LIMIT))


def _in_history(message: Mapping[str, Any]) -> bool:
    """Top-level messages (thread parents included) and thread broadcasts."""
    thread_ts = message.get("thread_ts")
    return (
        not thread_ts or thread_ts == message["ts"] or message.get("subtype") == "thread_broadcast"
    )


def _message_item(message: Mapping[str, Any], *, metadata: bool) -> Result:
    """A stored message as history and replies list it; metadata only when asked."""
    item: Result = {"type": "message", "text": message["text"], "ts": message["ts"]}
    for key in ("subtype", "user", "bot_id", "thread_ts", "client_msg_id", "parent_user_id"):
        if message.get(key):
            item[key] = message[key]
    if isinstance(message.get("edited"), dict):
        item["edited"] = dict(message["edited"])
    if message["blocks"]:
        item["blocks"] = message["blocks"]
    if metadata and message.get("metadata"):
        item["metadata"] = json.loads(json.dumps(message["metadata"]))
    return item


def _encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        return max(0, int(base64.b64decode(cursor).decode().removeprefix("offset:")))
    except ValueError:
        raise ApiError("invalid_cursor") from None
