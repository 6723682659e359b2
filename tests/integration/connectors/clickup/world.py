"""The ClickUp fake over real HTTP for this folder's tests: the sandbox workspace plus
a second one (OTHER_*) that the sandbox token must not reach."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connectors.clickup.connector import ClickUpConnector
from connectors.clickup.fake import ClickUpFake
from connectors.fakeserver import RunningServer, serve_in_thread

OTHER_TEAM = "9011000099"
OTHER_TOKEN = "pk_other_token"
OTHER_LIST = "902"


@pytest.fixture(scope="module")
def fake() -> ClickUpFake:
    fake = ClickUpFake()
    fake.seed_sandbox()
    fake.add_workspace(OTHER_TEAM, OTHER_TOKEN, {OTHER_LIST: "Elsewhere"})
    return fake


@pytest.fixture(scope="module")
def server(fake: ClickUpFake) -> Iterator[RunningServer]:
    with serve_in_thread(fake.asgi_app()) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture
def api(fake: ClickUpFake, server: RunningServer) -> str:
    fake.reset()
    return f"{server.base_url}/clickup/api/v2"


@pytest.fixture
def clickup(api: str, http: httpx.Client) -> ClickUpConnector:
    return ClickUpConnector(http=http, api_url=api)
