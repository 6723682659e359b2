"""The HTTP edge on PostgreSQL: webhook verification and dedupe, auth, tenant scoping, health."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from connectors.sandbox import MAILBOX, Sandbox
from db.models import Account, AIResult, InboundEvent, Organization, Thread, User
from hub.app import create_app
from hub.config import Settings
from hub.connections.flows import sync_account
from hub.queue import JobName
from hub.sandbox import demo_token
from hub.users.tokens import Principal, issue_access_token
from hub.wiring import Runtime, close_runtime, init_runtime
from tests.support.recording import RecordingPublisher
from tests.support.sandbox import sandbox_runtime

pytestmark = pytest.mark.integration


@dataclass
class Api:
    client: TestClient
    rt: Runtime
    fakes: Sandbox
    jobs: RecordingPublisher
    token: str
    org_id: uuid.UUID

    def push(self, **claims: object) -> tuple[dict[str, str], bytes]:
        return self.fakes.gmail.mint_push(
            MAILBOX,
            audience=self.rt.settings.gmail_push_audience,
            service_account=self.rt.settings.gmail_push_service_account,
            claims=claims or None,
        )

    def events(self) -> int:
        with self.rt.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(InboundEvent)) or 0)


@pytest.fixture
def api(postgres_url: str, tmp_path: Path) -> Iterator[Api]:
    with (
        sandbox_runtime(postgres_url, tmp_path) as box,
        TestClient(create_app(rt=box.rt)) as client,
    ):
        token = demo_token(box.rt.settings, box.demo.principal)
        yield Api(client, box.rt, box.fakes, box.jobs, token, box.demo.principal.org_id)


def test_verified_push_is_recorded_once_and_queued_once(api: Api) -> None:
    headers, body = api.push()
    first = api.client.post("/webhooks/gmail", content=body, headers=headers)
    assert first.status_code == 204
    assert api.events() == 1
    assert [job for job, _ in api.jobs.sent] == [JobName.PROCESS_INBOUND_EVENT]

    again = api.client.post("/webhooks/gmail", content=body, headers=headers)
    assert again.status_code == 204
    assert api.events() == 1
    assert len(api.jobs.sent) == 1


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "https://elsewhere.example/webhooks/gmail"},
        {"email": "someone@evil.example"},
        {"email_verified": False},
        {"iss": "https://accounts.evil.example"},
        {"exp": int((datetime.now(UTC) - timedelta(hours=2)).timestamp())},
    ],
)
def test_forged_push_is_refused_and_nothing_stored(api: Api, claims: dict[str, object]) -> None:
    headers, body = api.push(**claims)
    response = api.client.post("/webhooks/gmail", content=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert api.events() == 0
    assert api.jobs.sent == []


def test_push_without_token_is_refused(api: Api) -> None:
    _, body = api.push()
    response = api.client.post("/webhooks/gmail", content=body)
    assert response.status_code == 401
    assert api.events() == 0


def test_malformed_but_signed_push_is_a_400(api: Api) -> None:
    headers, _ = api.push()
    response = api.client.post("/webhooks/gmail", content=b'{"message": {}}', headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert api.events() == 0


def test_unknown_provider_is_a_json_404(api: Api) -> None:
    response = api.client.post("/webhooks/myspace", content=b"{}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def _other_org_thread(api: Api) -> tuple[uuid.UUID, str]:
    with api.rt.sessions.begin() as session:
        org = Organization(name="Other Org")
        session.add(org)
        session.flush()
        user = User(org_id=org.id, email="mallory@other.example")
        account = Account(org_id=org.id, provider="gmail", external_id="ops@other.example")
        session.add_all([user, account])
        session.flush()
        thread = Thread(
            org_id=org.id,
            account_id=account.id,
            provider_thread_id="t-other",
            subject="Other org's secret",
            last_message_at=datetime.now(UTC),
        )
        session.add(thread)
        session.flush()
        principal = Principal(user_id=user.id, org_id=org.id)
        thread_id = thread.id
    token = issue_access_token(principal, secret=api.rt.settings.secret_key, ttl=timedelta(hours=1))
    return thread_id, token


def test_threads_need_a_valid_token(api: Api) -> None:
    assert api.client.get("/api/v1/threads").status_code == 401
    forged = issue_access_token(
        Principal(uuid.uuid4(), api.org_id),
        secret="another-secret-that-is-long-enough-for-hs256",
        ttl=timedelta(hours=1),
    )
    response = api.client.get("/api/v1/threads", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_threads_are_scoped_to_the_callers_organization(api: Api) -> None:
    thread_id, other_token = _other_org_thread(api)
    mine = {"Authorization": f"Bearer {api.token}"}
    theirs = {"Authorization": f"Bearer {other_token}"}

    assert api.client.get("/api/v1/threads", headers=mine).json()["items"] == []
    assert api.client.get(f"/api/v1/threads/{thread_id}", headers=mine).status_code == 404
    listed = api.client.get("/api/v1/threads", headers=theirs).json()["items"]
    assert [item["subject"] for item in listed] == ["Other org's secret"]
    detail = api.client.get(f"/api/v1/threads/{thread_id}", headers=theirs)
    assert detail.status_code == 200
    assert detail.json()["messages"] == []


def test_health_readiness_and_metrics(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "broker": True}
    headers, body = api.push()
    api.client.post("/webhooks/gmail", content=body, headers=headers)
    metrics = api.client.get("/metrics").text
    assert 'hub_webhook_notifications_total{outcome="accepted",provider="gmail"}' in metrics


def test_readiness_is_503_when_the_database_is_down() -> None:
    settings = Settings(
        database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere",
        redis_url="",
        sandbox=True,
    )
    rt = init_runtime(settings, publisher=RecordingPublisher())
    try:
        with TestClient(create_app(rt=rt)) as client:
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["database"] is False
    finally:
        close_runtime()


def test_company_context_crud_is_validated_and_scoped(api: Api) -> None:
    mine = {"Authorization": f"Bearer {api.token}"}
    created = api.client.post(
        "/api/v1/context",
        json={"kind": "fact", "title": "Refunds", "body": "Refunds within 30 days."},
        headers=mine,
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    bad = api.client.post("/api/v1/context", json={"kind": "gossip", "title": ""}, headers=mine)
    assert bad.status_code == 422
    assert bad.json()["error"] == "validation_error"

    patched = api.client.patch(
        f"/api/v1/context/{entry_id}", json={"body": "Refunds within 60 days."}, headers=mine
    )
    assert patched.json()["body"] == "Refunds within 60 days."
    assert patched.json()["kind"] == "fact"

    _, other_token = _other_org_thread(api)
    theirs = {"Authorization": f"Bearer {other_token}"}
    assert api.client.get("/api/v1/context", headers=theirs).json() == []
    assert api.client.get(f"/api/v1/context/{entry_id}", headers=theirs).status_code == 404
    assert api.client.delete(f"/api/v1/context/{entry_id}", headers=theirs).status_code == 404

    assert api.client.delete(f"/api/v1/context/{entry_id}", headers=mine).status_code == 204
    assert api.client.get("/api/v1/context", headers=mine).json() == []


def test_usage_reports_the_month_against_the_budget(api: Api) -> None:
    mine = {"Authorization": f"Bearer {api.token}"}
    usage = api.client.get("/api/v1/usage", headers=mine).json()
    assert usage["tokens_in"] == 0
    assert usage["monthly_budget"] is None
    assert usage["budget_exceeded"] is False
    with api.rt.sessions.begin() as session:
        org = session.get(Organization, api.org_id)
        assert org is not None
        org.monthly_token_budget = 0
    assert api.client.get("/api/v1/usage", headers=mine).json()["budget_exceeded"] is True


def test_reply_draft_uses_company_context_and_sends_nothing(api: Api) -> None:
    mine = {"Authorization": f"Bearer {api.token}"}
    with api.rt.sessions() as session:
        gmail = session.scalars(select(Account).where(Account.provider == "gmail")).one()
    sync_account(gmail.id, rt=api.rt)
    api.fakes.gmail.deliver(
        MAILBOX,
        "Sam Patel <sam@example.org>",
        "Q3 report",
        "Hi Alex,\n\nWhich exchange rates should we use for the Q3 report?\n\nThanks,\nSam",
    )
    thread_id = sync_account(gmail.id, rt=api.rt).threads[0]
    fact = api.client.post(
        "/api/v1/context",
        json={
            "kind": "fact",
            "title": "Exchange rates",
            "body": "Quarterly reports use the exchange rates of the last day of the quarter.",
        },
        headers=mine,
    ).json()
    api.client.post(
        "/api/v1/context",
        json={"kind": "signature", "title": "Signature", "body": "Alex Morgan, Finance"},
        headers=mine,
    )
    posted_before = len(api.fakes.slack.messages)

    answer = api.client.post(
        f"/api/v1/threads/{thread_id}/draft-reply",
        json={"instructions": "Confirm which exchange rates to use."},
        headers=mine,
    )
    assert answer.status_code == 200
    draft = answer.json()
    assert "Alex Morgan, Finance" in draft["body"]
    assert fact["id"] in draft["cited_context_ids"]
    assert draft["tokens_in"] > 0
    assert len(api.fakes.slack.messages) == posted_before
    with api.rt.sessions() as session:
        steps = list(session.scalars(select(AIResult.step).where(AIResult.thread_id == thread_id)))
    assert steps == ["reply_draft"]

    _, other_token = _other_org_thread(api)
    refused = api.client.post(
        f"/api/v1/threads/{thread_id}/draft-reply",
        json={},
        headers={"Authorization": f"Bearer {other_token}"},
    )
    assert refused.status_code == 404
