"""The real ClickUpConnector against ClickUpFake over HTTP."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.clickup.connector import ClickUpConnector
from connectors.clickup.errors import ClickUpError
from connectors.clickup.fake import (
    SANDBOX_LIST_ID,
    SANDBOX_TEAM_ID,
    SANDBOX_TOKEN,
    ClickUpFake,
)
from connectors.errors import AuthExpired, ProviderUnavailable, RateLimited
from connectors.fakeserver import RunningServer
from connectors.types import RemoteTask, TaskDraft
from tests.integration.connectors.clickup.world import OTHER_LIST

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "clickup"
HOSTILE = "<!channel> *bold* [x](javascript:alert(1))"
LINK = "https://hub.example.com/threads/42"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def create(clickup: ClickUpConnector, **fields: Any) -> RemoteTask:
    token = fields.pop("token", SANDBOX_TOKEN)
    target = fields.pop("target", SANDBOX_LIST_ID)
    return clickup.create_task(token, target=target, task=TaskDraft(**{"title": "t", **fields}))


def test_create_task_stores_what_was_sent(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    result = create(
        clickup,
        title="  Pay invoice 42\n",
        notes="Jordan asks for payment.\n\n- by Friday",
        due=date(2024, 4, 30),
        link=LINK,
        priority="urgent",
    )

    stored = fake.tasks[result.remote_id]
    assert result.url == f"https://app.clickup.com/t/{result.remote_id}"
    assert stored["url"] == result.url
    assert stored["name"] == "Pay invoice 42"
    assert stored["markdown_description"] == (
        f"Jordan asks for payment.\n\n- by Friday\n\nSource: {LINK}"
    )
    assert stored["due_date"] == "1714435200000"
    assert stored["due_date_time"] is False
    assert stored["priority"]["priority"] == "urgent"
    assert stored["list"] == {"id": SANDBOX_LIST_ID}
    assert fake.requests[0]["auth"] == "bare"
    assert fake.calls["create_task"] == 1


def test_minimal_task_has_no_due_or_priority(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    result = create(clickup, title="Call Jordan")

    stored = fake.tasks[result.remote_id]
    assert (stored["due_date"], stored["priority"], stored["markdown_description"]) == (
        None,
        None,
        "",
    )


def test_oauth_token_goes_as_bearer(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    fake.add_workspace(SANDBOX_TEAM_ID, "oauth-access-token", {})

    create(clickup, token="oauth-access-token")

    assert fake.requests[0]["auth"] == "bearer"


def test_hostile_title_is_stored_verbatim(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    result = create(clickup, title=HOSTILE, notes=HOSTILE)

    stored = fake.tasks[result.remote_id]
    assert stored["name"] == HOSTILE
    assert stored["markdown_description"] == HOSTILE


def test_task_object_has_the_fixture_shape(api: str, http: httpx.Client) -> None:
    request = load("create_task_request")

    response = http.post(
        f"{api}/list/{SANDBOX_LIST_ID}/task", json=request, headers={"Authorization": SANDBOX_TOKEN}
    )

    assert response.status_code == 200
    task = response.json()
    assert set(load("create_task_response")) <= set(task)
    assert task["due_date"] == str(request["due_date"])
    assert task["priority"]["priority"] == "high"
    assert task["markdown_description"] == request["markdown_content"]
    assert [t["name"] for t in task["tags"]] == ["slack"]
    assert http.get(
        f"{api}/task/{task['id']}", headers={"Authorization": SANDBOX_TOKEN}
    ).json() == (task)


@pytest.mark.parametrize("key", ["markdown_description", "description"])
def test_other_text_fields_are_accepted(api: str, http: httpx.Client, key: str) -> None:
    response = http.post(
        f"{api}/list/{SANDBOX_LIST_ID}/task",
        json={"name": "n", key: "**text**"},
        headers={"Authorization": SANDBOX_TOKEN},
    )

    assert response.status_code == 200
    assert response.json()["markdown_description"] == "**text**"


def test_team_lists_the_authorized_workspaces(api: str, http: httpx.Client) -> None:
    teams = http.get(f"{api}/team", headers={"Authorization": SANDBOX_TOKEN}).json()["teams"]

    assert [t["id"] for t in teams] == [SANDBOX_TEAM_ID]
    assert set(load("get_team_response")["teams"][0]) <= set(teams[0])


def test_missing_authorization_header(api: str, http: httpx.Client) -> None:
    response = http.post(f"{api}/list/{SANDBOX_LIST_ID}/task", json={"name": "n"})

    assert response.status_code == 401
    assert response.json() == load("error_401_missing_header")


@pytest.mark.parametrize(
    ("body", "ecode"),
    [({}, "INPUT_005"), ({"name": "  "}, "INPUT_005"), ({"name": "n", "priority": 9}, "INPUT_009")],
)
def test_invalid_bodies_are_400(api: str, http: httpx.Client, body: Any, ecode: str) -> None:
    response = http.post(
        f"{api}/list/{SANDBOX_LIST_ID}/task", json=body, headers={"Authorization": SANDBOX_TOKEN}
    )

    assert response.status_code == 400
    assert response.json()["ECODE"] == ecode


def test_unknown_token_is_auth_expired(clickup: ClickUpConnector) -> None:
    with pytest.raises(AuthExpired, match="OAUTH_019"):
        create(clickup, token="pk_unknown")


def test_revoked_token_is_auth_expired(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    fake.add_workspace(SANDBOX_TEAM_ID, "pk_soon_revoked", {})
    fake.revoke_token("pk_soon_revoked")

    with pytest.raises(AuthExpired):
        create(clickup, token="pk_soon_revoked")


def test_unknown_list_is_a_connector_error(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    with pytest.raises(ClickUpError, match=r"\(404 ITEM_013\)") as caught:
        create(clickup, target="999999")

    assert caught.value.status == 404
    assert fake.tasks == {}


def test_list_of_another_workspace_is_not_auth_expired(clickup: ClickUpConnector) -> None:
    with pytest.raises(ClickUpError, match="OAUTH_027") as caught:
        create(clickup, target=OTHER_LIST)

    assert not isinstance(caught.value, AuthExpired)


def test_list_id_cannot_escape_its_path_segment(
    clickup: ClickUpConnector, fake: ClickUpFake
) -> None:
    with pytest.raises(ClickUpError, match="404"):
        create(clickup, target=f"{SANDBOX_LIST_ID}/../../team")

    assert fake.tasks == {}


def test_429_with_retry_after(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    fake.fail_next("/clickup/api/v2/list/", 429, retry_after=3)

    with pytest.raises(RateLimited) as caught:
        create(clickup)

    assert caught.value.retry_after == 3.0
    assert fake.tasks == {}
    create(clickup)  # the fault was used up
    assert len(fake.tasks) == 1


def test_429_with_only_rate_limit_reset(clickup: ClickUpConnector, fake: ClickUpFake) -> None:
    fake.fail_next("/clickup/api/v2/list/", 429)

    with pytest.raises(RateLimited) as caught:
        create(clickup)

    assert caught.value.retry_after is not None
    assert 55 <= caught.value.retry_after <= 61


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_unavailable(
    clickup: ClickUpConnector, fake: ClickUpFake, status: int
) -> None:
    fake.fail_next("/clickup/api/v2/list/", status, count=2)

    for _ in range(2):
        with pytest.raises(ProviderUnavailable):
            create(clickup)
    assert fake.calls["create_task"] == 2


def test_faults_only_hit_their_path(
    clickup: ClickUpConnector, fake: ClickUpFake, api: str, http: httpx.Client
) -> None:
    fake.fail_next("/clickup/api/v2/team", 503)

    create(clickup)

    assert http.get(f"{api}/team", headers={"Authorization": SANDBOX_TOKEN}).status_code == 503


def test_timeout_is_unavailable(api: str, fake: ClickUpFake) -> None:
    fake.fail_next("/clickup/api/v2/list/", 503, delay=0.3)
    started = time.monotonic()

    with httpx.Client(timeout=0.05) as impatient, pytest.raises(ProviderUnavailable):
        create(ClickUpConnector(http=impatient, api_url=api))

    assert time.monotonic() - started < 0.3


def test_http_controls(api: str, server: RunningServer, http: httpx.Client) -> None:
    base = f"{server.base_url}/_fake/clickup"
    http.post(f"{base}/fail", json={"path_prefix": "/clickup/api/v2/team", "status": 500})

    assert http.get(f"{api}/team", headers={"Authorization": SANDBOX_TOKEN}).status_code == 500
    assert http.get(f"{base}/calls").json() == {"calls": {"team": 1}}
    assert http.get(f"{base}/tasks").json() == {"tasks": []}
