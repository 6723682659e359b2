"""ClickUp API v2 over httpx: create a task in a list (a TaskSink).

Tokens are per account and passed on every call; nothing is cached. A personal token
(`pk_...`) goes bare in the Authorization header, anything else as an OAuth bearer.
The connector never retries: a create is not idempotent, and the caller owns retries.
ClickUp has no idempotency key, so a draft's marker is written as the description's
last line, and find_task looks for it after a create whose outcome is unknown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from connectors.clickup.errors import error_for_response, error_for_transport
from connectors.clickup.payloads import (
    TaskPage,
    TaskResponse,
    build_task_body,
    marker_line,
)
from connectors.errors import AuthExpired, ConnectorError
from connectors.types import Provider, RemoteTask, TaskDraft

DEFAULT_API_URL = "https://api.clickup.com/api/v2"
PERSONAL_TOKEN_PREFIX = "pk_"  # noqa: S105 - a prefix, not a credential
PAGE_SIZE = 100  # tasks per Get Tasks page
MAX_PAGES = 5  # find_task reads at most this many pages
CLOCK_SLACK_MS = 60_000  # find_task also looks this far before since


def authorization(token: str) -> str:
    """The Authorization header value: bare for a personal token, else Bearer."""
    if token.startswith(PERSONAL_TOKEN_PREFIX):
        return token
    return f"Bearer {token}"


def task_url(api_url: str, list_id: str) -> str:
    """POST target for creating a task in list_id (one quoted path segment)."""
    return f"{api_url.rstrip('/')}/list/{quote(list_id, safe='')}/task"


def unix_ms(moment: datetime) -> int:
    """Unix milliseconds of moment; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _checked_marker(task: TaskDraft) -> str:
    try:
        return marker_line(task.marker)
    except ValueError as exc:
        raise ConnectorError(f"clickup: {exc}") from exc


def parse_page(response: httpx.Response) -> TaskPage:
    """The tasks of a 2xx Get Tasks response."""
    try:
        body: Any = response.json()
    except ValueError as exc:
        raise ConnectorError(
            f"clickup: task list response is not JSON ({response.status_code})"
        ) from exc
    try:
        return TaskPage.model_validate(body)
    except ValidationError as exc:
        raise ConnectorError("clickup: unexpected task list response shape") from exc


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
        """Create task in the list whose id is target.

        A draft with a marker gets "inbox-hub ref: <marker>" as its description's last
        line; a marker that is not one short token is a ConnectorError, without a call.
        """
        token, list_id = self._checked(token, target)
        _checked_marker(task)
        try:
            response = self._http.post(
                task_url(self._api_url, list_id),
                json=build_task_body(task),
                headers=self._headers(token),
            )
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if not response.is_success:
            raise error_for_response(response, clock=self._clock)
        return parse_task(response)

    def find_task(
        self, token: str, *, target: str, task: TaskDraft, since: datetime
    ) -> RemoteTask | None:
        """The task created in list target with task's marker at or after since, else None.

        Reads Get Tasks pages (closed tasks and subtasks included) of tasks created from
        a minute before since (clock slack), up to MAX_PAGES pages, matching the marker
        line in each task's description, text_content or markdown_description. A draft
        without a marker gives None without a call. Errors map like create_task's.
        """
        ref = _checked_marker(task)
        if not ref:
            return None
        token, list_id = self._checked(token, target)
        params: dict[str, str | int] = {
            "date_created_gt": max(0, unix_ms(since) - CLOCK_SLACK_MS),
            "include_closed": "true",
            "subtasks": "true",
            "order_by": "created",
        }
        for page in range(MAX_PAGES):
            try:
                response = self._http.get(
                    task_url(self._api_url, list_id),
                    params={**params, "page": page},
                    headers=self._headers(token),
                )
            except httpx.TransportError as exc:
                raise error_for_transport(exc) from exc
            if not response.is_success:
                raise error_for_response(response, clock=self._clock)
            listing = parse_page(response)
            for listed in listing.tasks:
                if listed.has_marker(task.marker):
                    return RemoteTask(remote_id=listed.id, url=listed.link)
            last = listing.last_page
            if last or (last is None and len(listing.tasks) < PAGE_SIZE) or not listing.tasks:
                return None
        return None

    @staticmethod
    def _checked(token: str, target: str) -> tuple[str, str]:
        token = token.strip()
        if not token:
            raise AuthExpired("clickup: no token")
        if not target.strip():
            raise ConnectorError("clickup: no list id")
        return token, target.strip()

    @staticmethod
    def _headers(token: str) -> dict[str, str]:
        return {"Authorization": authorization(token), "Accept": "application/json"}
