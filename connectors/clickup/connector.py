"""ClickUp API v2 over httpx: create a task in a list (a TaskSink).

Tokens are per account and passed on every call; nothing is cached. A personal token
(`pk_...`) goes bare in the Authorization header, anything else as an OAuth bearer.
The connector never retries: a create is not idempotent, and the caller owns retries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from connectors.clickup.errors import error_for_response, error_for_transport
from connectors.clickup.payloads import TaskResponse, build_task_body
from connectors.errors import AuthExpired, ConnectorError
from connectors.types import Provider, RemoteTask, TaskDraft

DEFAULT_API_URL = "https://api.clickup.com/api/v2"
PERSONAL_TOKEN_PREFIX = "pk_"  # noqa: S105 - a prefix, not a credential


def authorization(token: str) -> str:
    """The Authorization header value: bare for a personal token, else Bearer."""
    if token.startswith(PERSONAL_TOKEN_PREFIX):
        return token
    return f"Bearer {token}"


def task_url(api_url: str, list_id: str) -> str:
    """POST target for creating a task in list_id (one quoted path segment)."""
    return f"{api_url.rstrip('/')}/list/{quote(list_id, safe='')}/task"


def parse_task(response: httpx.Response) -> RemoteTask:
    """RemoteTask from a 2xx create-task response."""
    try:
        body: Any = response.json()
    except ValueError as exc:
        raise ConnectorError(
            f"clickup: task response is not JSON ({response.status_code})"
        ) from exc
    try:
        task = TaskResponse.model_validate(body)
    except ValidationError as exc:
        raise ConnectorError("clickup: unexpected task response shape") from exc
    return RemoteTask(remote_id=task.id, url=task.link)


class ClickUpConnector:
    provider = Provider.CLICKUP

    def __init__(
        self,
        *,
        http: httpx.Client,
        api_url: str = DEFAULT_API_URL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._clock = clock

    def create_task(self, token: str, *, target: str, task: TaskDraft) -> RemoteTask:
        """Create task in the list whose id is target."""
        token = token.strip()
        if not token:
            raise AuthExpired("clickup: no token")
        if not target.strip():
            raise ConnectorError("clickup: no list id")
        try:
            response = self._http.post(
                task_url(self._api_url, target.strip()),
                json=build_task_body(task),
                headers={"Authorization": authorization(token), "Accept": "application/json"},
            )
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if not response.is_success:
            raise error_for_response(response, clock=self._clock)
        return parse_task(response)
