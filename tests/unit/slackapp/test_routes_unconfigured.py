"""Without a signing secret the Slack routes refuse everything (no I/O)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hub.config import Settings
from hub.wiring import Runtime
from slackapp.routes import build_router


@pytest.mark.parametrize("path", ["/slack/events", "/slack/commands", "/slack/interactions"])
def test_no_signing_secret_means_503(path: str) -> None:
    # No validation, no environment: only the field the router reads.
    settings = Settings.model_construct(slack_signing_secret="")
    rt = cast(Runtime, SimpleNamespace(settings=settings))
    api = FastAPI()
    api.include_router(build_router(rt))
    with TestClient(api) as client:
        response = client.post(path, content=b'{"type":"url_verification","challenge":"x"}')
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
