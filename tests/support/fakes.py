"""Helpers for tests that drive a provider fake over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from starlette.types import ASGIApp, Receive, Scope, Send

from connectors.fakeserver import RunningServer, serve_in_thread


class Switch:
    """One server for a test module, serving each test's own fake (a server start is slow)."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[Switch, RunningServer]]:
    switch = Switch()
    with serve_in_thread(switch) as server:
        yield switch, server


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = generate_token(64)
    return verifier, create_s256_code_challenge(verifier)


def query_of(response: httpx.Response) -> dict[str, str]:
    """The query of a consent redirect (what the provider sends back to the app)."""
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}
