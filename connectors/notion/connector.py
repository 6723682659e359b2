"""Notion API over httpx: create a page in a database (a TaskSink), and find it again.

Tokens are per account and passed on every call; nothing is cached. Notion-Version is
pinned (2022-06-28 by default: the `parent.database_id` shape). The connector never
retries: a create is not idempotent, and the caller owns retries. Notion has no
idempotency key, so a create records the draft's marker as the page's last paragraph,
and find_task tells whether a create whose outcome was unknown went through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from connectors.errors import AuthExpired, ConnectorError
from connectors.notion.errors import NotionError, error_for_response, error_for_transport
from connectors.notion.payloads import (
    ListResponse,
    PageLayout,
    PageResponse,
    build_find_query,
    build_page_body,
    has_marker,
    marker_text,
)
from connectors.types import Provider, RemoteTask, TaskDraft

DEFAULT_API_URL = "https://api.notion.com/v1"
DEFAULT_NOTION_VERSION = "2022-06-28"
# find_task reads at most this many query pages of candidates (FIND_PAGE_SIZE each),
# and this many pages of each candidate's blocks (the marker is the last one written).
MAX_QUERY_PAGES = 5
MAX_BLOCK_PAGES = 10
BLOCK_PAGE_SIZE = 100


def parse_page(response: httpx.Response) -> RemoteTask:
    """RemoteTask from a 2xx create-page response."""
    try:
        body: Any = response.json()
    except ValueError as exc:
        raise ConnectorError(f"notion: page response is not JSON ({response.status_code})") from exc
    try:
        page = PageResponse.model_validate(body)
    except ValidationError as exc:
        raise ConnectorError("notion: unexpected page response shape") from exc
    if page.object != "page":
        raise ConnectorError("notion: unexpected page response shape")
    return RemoteTask(remote_id=page.id, url=page.link)


def parse_list(response: httpx.Response) -> ListResponse:
    """One page of a 2xx list response (a database query, a block's children)."""
    try:
        body: Any = response.json()
    except ValueError as exc:
        raise ConnectorError(f"notion: list response is not JSON ({response.status_code})") from exc
    try:
        return ListResponse.model_validate(body)
    except ValidationError as exc:
        raise ConnectorError("notion: unexpected list response shape") from exc


def _candidate(page: dict[str, Any]) -> RemoteTask | None:
    try:
        parsed = PageResponse.model_validate(page)
    except ValidationError as exc:
        raise ConnectorError("notion: unexpected page in query results") from exc
    return RemoteTask(remote_id=parsed.id, url=parsed.link) if parsed.object == "page" else None


class NotionConnector:
    provider = Provider.NOTION

    def __init__(
        self,
        *,
        http: httpx.Client,
        api_url: str = DEFAULT_API_URL,
        notion_version: str = DEFAULT_NOTION_VERSION,
        title_property: str = "Name",
        due_property: str | None = "Due",
        link_property: str | None = "Source",
        priority_property: str | None = None,
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._notion_version = notion_version
        self.layout = PageLayout(
            title_property=title_property,
            due_property=due_property,
            link_property=link_property,
            priority_property=priority_property,
        )

    def headers(self, token: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {token}",
            "Notion-Version": self._notion_version,
            "Accept": "application/json",
        }

    def create_task(self, token: str, *, target: str, task: TaskDraft) -> RemoteTask:
        """Create task as a page in the database whose id is target.

        When task.marker is set, the page's last block is the paragraph
        "inbox-hub ref: <marker>", by which find_task recognizes it.
        """
        token, target = self._check(token, target)
        response = self._send(
            "POST",
            f"{self._api_url}/pages",
            token,
            json=build_page_body(target, task, self.layout),
        )
        return parse_page(response)

    def find_task(
        self, token: str, *, target: str, task: TaskDraft, since: datetime
    ) -> RemoteTask | None:
        """The page created in database target for task at or after since, else None.

        Candidates are the database's pages titled as create_task titles task and
        created in since's minute or later (Notion keeps created_time to the minute),
        newest first; the first whose blocks hold task's marker paragraph is the one.
        A draft without a marker cannot be recognized: None, without a call. Errors
        map as create_task's do; a candidate deleted meanwhile (404) is passed over.
        """
        marker = marker_text(task.marker)
        if not marker:
            return None
        token, target = self._check(token, target)
        cursor: str | None = None
        for _ in range(MAX_QUERY_PAGES):
            response = self._send(
                "POST",
                f"{self._api_url}/databases/{quote(target, safe='')}/query",
                token,
                json=build_find_query(self.layout.title_property, task, since, cursor=cursor),
            )
            listing = parse_list(response)
            for page in listing.results:
                found = _candidate(page)
                if found is not None and self._has_marker(token, found.remote_id, marker):
                    return found
            if not listing.has_more or not listing.next_cursor:
                break
            cursor = listing.next_cursor
        return None

    def _has_marker(self, token: str, page_id: str, marker: str) -> bool:
        """Whether page_id's blocks hold the marker paragraph (False if the page is gone)."""
        params: dict[str, str | int] = {"page_size": BLOCK_PAGE_SIZE}
        for _ in range(MAX_BLOCK_PAGES):
            try:
                url = f"{self._api_url}/blocks/{quote(page_id, safe='')}/children"
                response = self._send("GET", url, token, params=params)
            except NotionError as exc:
                if exc.status == 404:
                    return False
                raise
            listing = parse_list(response)
            if has_marker(listing.results, marker):
                return True
            if not listing.has_more or not listing.next_cursor:
                return False
            params = {"page_size": BLOCK_PAGE_SIZE, "start_cursor": listing.next_cursor}
        return False

    def _check(self, token: str, target: str) -> tuple[str, str]:
        token, target = token.strip(), target.strip()
        if not token:
            raise AuthExpired("notion: no token")
        if not target:
            raise ConnectorError("notion: no database id")
        return token, target

    def _send(
        self,
        method: str,
        url: str,
        token: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str | int] | None = None,
    ) -> httpx.Response:
        """One request; a transport failure or non-2xx answer raised as a ConnectorError."""
        try:
            response = self._http.request(
                method, url, json=json, params=params, headers=self.headers(token)
            )
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if not response.is_success:
            raise error_for_response(response)
        return response
