"""Notion API over httpx: create a page in a database (a TaskSink).

Tokens are per account and passed on every call; nothing is cached. Notion-Version is
pinned (2022-06-28 by default: the `parent.database_id` shape). The connector never
retries: a create is not idempotent, and the caller owns retries.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import ValidationError

from connectors.errors import AuthExpired, ConnectorError
from connectors.notion.errors import error_for_response, error_for_transport
from connectors.notion.payloads import PageLayout, PageResponse, build_page_body
from connectors.types import Provider, RemoteTask, TaskDraft

DEFAULT_API_URL = "https://api.notion.com/v1"
DEFAULT_NOTION_VERSION = "2022-06-28"


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
        """Create task as a page in the database whose id is target."""
        token = token.strip()
        if not token:
            raise AuthExpired("notion: no token")
        if not target.strip():
            raise ConnectorError("notion: no database id")
        try:
            response = self._http.post(
                f"{self._api_url}/pages",
                json=build_page_body(target.strip(), task, self.layout),
                headers=self.headers(token),
            )
        except httpx.TransportError as exc:
            raise error_for_transport(exc) from exc
        if not response.is_success:
            raise error_for_response(response)
        return parse_page(response)
