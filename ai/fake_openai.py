"""A local stand-in for an OpenAI-compatible chat-completions server, for tests.

Serves POST /v1/chat/completions and GET /v1/models with OpenAI's wire shapes. It
checks what it receives (bearer auth, a known model, a messages list with valid roles
and string content, response_format json_schema with name/strict/schema or
json_object with "JSON" in the messages, as OpenAI requires) and answers with JSON
derived deterministically from the prompt: it reads the fenced thread out of the user
message and runs the local provider's heuristics on it, so answers are meaningful and
fit the schema. Usage counts chars/4. Faults: a delay, 429 with Retry-After, 5xx,
one malformed answer (to exercise repair), and rejecting json_schema the way servers
without structured outputs do. Every request body is recorded in fake.requests.

Like the connector fakes, it is served with connectors.fakeserver.serve_in_thread by
the tests; this module does not import connectors.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ai.local.reply import draft_reply
from ai.local.summary import incremental
from ai.local.triage import triage
from ai.types import ContextEntry, ContextKind, MessageInput, Summary, ThreadInput

_ROLES = {"system", "user", "assistant", "developer", "tool"}
_FENCE = re.compile(
    r"<<<BEGIN UNTRUSTED EMAIL DATA (\w+)>>>\n(.*?)\n<<<END UNTRUSTED EMAIL DATA \1>>>", re.S
)
_MESSAGE_HEAD = re.compile(r"Message \d+ sent (\S+); header signals: ([^\n]*)\n$")
_CONTEXT_ENTRY = re.compile(r"^\[([^\]\n]+)\] \((tone|signature|fact|policy)\) ([^\n]*)\n", re.M)
_JSON_MODE_SCHEMA = re.compile(r"for schema `([\w-]+)`")


@dataclass
class _Fault:
    status: int
    retry_after: float | None = None


@dataclass
class FakeOpenAI:
    """In-memory OpenAI. Thread-safe: the server thread writes, tests read."""

    models: tuple[str, ...] = ("fake-triage", "fake-summary", "fake-reply", "fake-default")
    api_key: str | None = None
    delay: float = 0.0
    # Answer response_format json_schema with 400, like servers without structured outputs.
    reject_json_schema: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    _faults: deque[_Fault] = field(default_factory=deque)
    _malformed: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, *, retry_after: float | None = None, times: int = 1) -> None:
        with self._lock:
            self._faults.extend(_Fault(status, retry_after) for _ in range(times))

    def malformed_next(self, times: int = 1) -> None:
        """The next answers are not valid JSON for the schema (a model's bad day)."""
        with self._lock:
            self._malformed += times

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._faults.clear()
            self._malformed = 0

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]),
        ]

    def asgi_app(self) -> Starlette:
        return Starlette(routes=self.routes())

    # --- HTTP -------------------------------------------------------------------------

    def _auth_error(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or (
            self.api_key is not None and header != f"Bearer {self.api_key}"
        ):
            return _error(401, "Incorrect API key provided.", "invalid_request_error", None)
        return None

    async def _models(self, request: Request) -> Response:
        if (denied := self._auth_error(request)) is not None:
            return denied
        data = [
            {"id": m, "object": "model", "created": 1_700_000_000, "owned_by": "fake"}
            for m in self.models
        ]
        return JSONResponse({"object": "list", "data": data})

    async def _chat(self, request: Request) -> Response:
        if (denied := self._auth_error(request)) is not None:
            return denied
        try:
            body = json.loads(await request.body())
        except json.JSONDecodeError:
            return _error(400, "We could not parse the JSON body.", "invalid_request_error", None)
        with self._lock:
            self.requests.append(body)
            fault = self._faults.popleft() if self._faults else None
        if self.delay:
            await asyncio.sleep(self.delay)
        if fault is not None:
            headers = {"retry-after": f"{fault.retry_after:g}"} if fault.retry_after else {}
            kind = "rate_limit_exceeded" if fault.status == 429 else "server_error"
            return _error(fault.status, f"fake fault {fault.status}", kind, None, headers)
        problem = self._check(body)
        if problem is not None:
            return problem
        with self._lock:
            # Consumed only by a request that would have been answered.
            malformed = self._malformed > 0
            self._malformed -= 1 if malformed else 0
        step = _step_of(body)
        content = '{"category": "fyi", "priority":' if malformed else _answer(step, body)
        return JSONResponse(self._completion(body, content))

    def _check(self, body: Any) -> Response | None:
        if not isinstance(body, dict):
            return _error(400, "body must be an object", "invalid_request_error", None)
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return _error(
                400, "you must provide a model parameter", "invalid_request_error", "model"
            )
        if model not in self.models:
            return _error(404, f"The model `{model}` does not exist", "model_not_found", "model")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(
                400, "messages must be a non-empty array", "invalid_request_error", "messages"
            )
        for index, message in enumerate(messages):
            if not isinstance(message, dict) or message.get("role") not in _ROLES:
                return _error(
                    400,
                    f"messages[{index}].role is invalid",
                    "invalid_request_error",
                    f"messages[{index}]",
                )
            if not isinstance(message.get("content"), str):
                return _error(
                    400,
                    f"messages[{index}].content must be a string",
                    "invalid_request_error",
                    f"messages[{index}]",
                )
        response_format = body.get("response_format")
        if response_format is None:
            return None
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind == "json_schema":
            if self.reject_json_schema:
                return _error(
                    400,
                    "response_format json_schema is not supported by this model",
                    "invalid_request_error",
                    "response_format",
                )
            spec = response_format.get("json_schema")
            if not (
                isinstance(spec, dict)
                and isinstance(spec.get("name"), str)
                and isinstance(spec.get("schema"), dict)
            ):
                return _error(
                    400,
                    "json_schema needs name and schema",
                    "invalid_request_error",
                    "response_format",
                )
            if spec.get("strict") is True and (reason := strict_problem(spec["schema"])):
                return _error(
                    400,
                    f"Invalid schema for response_format: {reason}",
                    "invalid_request_error",
                    "response_format",
                )
        elif kind == "json_object":
            if not any("json" in str(m.get("content", "")).lower() for m in messages):
                return _error(
                    400,
                    "'messages' must contain the word 'json' to use json_object",
                    "invalid_request_error",
                    "messages",
                )
        elif kind != "text":
            return _error(
                400,
                f"unknown response_format type {kind!r}",
                "invalid_request_error",
                "response_format",
            )
        return None

    def _completion(self, body: dict[str, Any], content: str) -> dict[str, Any]:
        prompt = sum(len(str(m.get("content", ""))) for m in body["messages"])
        usage = {
            "prompt_tokens": math.ceil(prompt / 4),
            "completion_tokens": math.ceil(len(content) / 4),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        return {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": usage,
        }


def _error(
    status: int, message: str, kind: str, param: str | None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "param": param, "code": kind}}
    return JSONResponse(body, status_code=status, headers=headers)


def strict_problem(schema: Any, path: str = "$") -> str | None:
    """What OpenAI's strict mode would reject in a schema: open objects, optional keys."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            if (problem := strict_problem(item, f"{path}[{index}]")) is not None:
                return problem
        return None
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "object" or "properties" in schema:
        if schema.get("additionalProperties") is not False:
            return f"{path}: additionalProperties must be false"
        if sorted(schema.get("required", [])) != sorted(schema.get("properties", {})):
            return f"{path}: every property must be required"
    for key, value in schema.items():
        if key in {"properties", "$defs"} and isinstance(value, dict):
            for name, sub in value.items():
                if (problem := strict_problem(sub, f"{path}.{name}")) is not None:
                    return problem
        elif (
            isinstance(value, dict | list)
            and (problem := strict_problem(value, f"{path}.{key}")) is not None
        ):
            return problem
    return None


# --- answers derived from the prompt -----------------------------------------------------


def _step_of(body: dict[str, Any]) -> str:
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return str(response_format["json_schema"]["name"])
    system = " ".join(str(m["content"]) for m in body["messages"] if m["role"] == "system")
    match = _JSON_MODE_SCHEMA.search(system)
    return match.group(1) if match else ""


def _user_text(body: dict[str, Any]) -> str:
    # The first user message is the prompt; later ones are repair requests.
    return next((str(m["content"]) for m in body["messages"] if m["role"] == "user"), "")


def parse_thread(user: str) -> ThreadInput:
    """The thread ai.prompts.render_thread wrote into a prompt, read back."""
    owner = re.search(r"Mailbox owner: (\S+)", user)
    subject = ""
    messages: list[MessageInput] = []
    for match in _FENCE.finditer(user):
        head = _MESSAGE_HEAD.search(user[max(0, match.start() - 300) : match.start()])
        if head is None:
            if user[: match.start()].rstrip().endswith("Subject:"):
                subject = match.group(2)
            continue
        author, _, text = match.group(2).partition("\n\n")
        sent = None if head.group(1) == "unknown" else datetime.fromisoformat(head.group(1))
        signals = tuple(s.strip() for s in head.group(2).split(",") if s.strip() != "none")
        messages.append(
            MessageInput(
                author=author.removeprefix("From: "), sent_at=sent, text=text, auto_signals=signals
            )
        )
    who = owner.group(1) if owner and owner.group(1) != "unknown" else ""
    return ThreadInput(subject=subject, messages=tuple(messages), owner=who)


def _context_of(user: str) -> list[ContextEntry]:
    section = user.split("The owner's own earlier messages", 1)[0]
    heads = list(_CONTEXT_ENTRY.finditer(section))
    entries = []
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(section)
        entries.append(
            ContextEntry(
                id=head.group(1),
                kind=ContextKind(head.group(2)),
                title=head.group(3),
                body=section[head.end() : end].strip(),
            )
        )
    return entries


def _answer(step: str, body: dict[str, Any]) -> str:
    user = _user_text(body)
    lowered = step.lower()
    if lowered == "triage":
        return triage(parse_thread(user)).model_dump_json()
    if lowered == "summary":
        previous = None
        head, _, rest = user.partition("New messages:")
        fenced = _FENCE.search(head)
        if fenced:
            previous = fenced.group(2)
        return Summary(text=incremental(previous, parse_thread(rest))).model_dump_json()
    if lowered in {"replydraft", "reply"}:
        thread = parse_thread(user.split("Thread to answer:", 1)[-1])
        return draft_reply(thread, _context_of(user), (), None).model_dump_json()
    return "{}"
