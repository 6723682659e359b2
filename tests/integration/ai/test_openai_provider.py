"""The OpenAI provider over real HTTP against the fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from ai import AIRateLimited, AIUnavailable, MessageInput, ThreadInput
from ai.fake_openai import FakeOpenAI, strict_problem
from ai.openai_provider import OpenAIProvider, build_openai_provider
from ai.redact import RedactingProvider
from ai.steps import reply, summary, triage
from ai.types import Category, ContextEntry, ContextKind
from connectors.fakeserver import RunningServer, serve_in_thread

OWNER = "maya.lindqvist@example.com"
MODELS = {"triage": "fake-triage", "summary": "fake-summary", "default": "fake-default"}
SENT = datetime(2026, 11, 4, 9, 30, tzinfo=timezone(timedelta(hours=-5)))


@pytest.fixture
def fake() -> FakeOpenAI:
    return FakeOpenAI(api_key="sk-test")


@pytest.fixture
def server(fake: FakeOpenAI) -> Iterator[RunningServer]:
    with serve_in_thread(fake.asgi_app()) as running:
        yield running


def _provider(
    server: RunningServer, *, timeout: float = 5.0, retries: int = 0, structured: bool | None = None
) -> OpenAIProvider:
    return build_openai_provider(
        f"{server.base_url}/v1",
        "sk-test",
        MODELS,
        timeout,
        max_retries=retries,
        structured_outputs=structured,
    )


def _thread(text: str, author: str = "Jonah Whitaker <jonah.whitaker@example.com>") -> ThreadInput:
    message = MessageInput(author=author, sent_at=SENT, text=text)
    return ThreadInput(subject="Capacity numbers", messages=(message,), owner=OWNER)


ASK = "Hi Maya,\n\nCould you send me the capacity estimates by Friday?\n\nThanks,\nJonah"


def test_structured_output_request_is_strict_json_schema(
    fake: FakeOpenAI, server: RunningServer
) -> None:
    result = triage.run(_provider(server), _thread(ASK))

    assert len(fake.requests) == 1
    body = fake.requests[0]
    assert body["model"] == "fake-triage"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert strict_problem(response_format["json_schema"]["schema"]) is None
    # The email text reaches the server only inside a fence.
    assert "<<<BEGIN UNTRUSTED EMAIL DATA" in body["messages"][1]["content"]
    assert result.output.category is Category.TO_RESPOND
    assert result.output.tasks
    assert str(result.output.tasks[0].due) == "2026-11-06"
    assert result.model == "fake-triage"
    assert result.prompt_version == triage.PROMPT_VERSION


def test_usage_is_recorded_from_the_response(fake: FakeOpenAI, server: RunningServer) -> None:
    result = summary.run(_provider(server), _thread(ASK), previous=None)

    assert result.usage.tokens_in > 100
    assert result.usage.tokens_out > 0
    assert result.model == "fake-summary"
    assert "capacity" in result.output.text.lower()


def test_falls_back_to_json_mode_and_repairs_once(fake: FakeOpenAI, server: RunningServer) -> None:
    fake.reject_json_schema = True
    fake.malformed_next()
    provider = _provider(server)

    result = triage.run(provider, _thread(ASK))

    kinds = [r["response_format"]["type"] for r in fake.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]
    repair = fake.requests[2]["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert "did not validate" in repair[3]["content"]
    assert result.output.category is Category.TO_RESPOND
    # Both JSON-mode calls are billed.
    assert result.usage.tokens_in > 2 * 100
    # The lack of support is remembered: the next call goes straight to JSON mode.
    fake.reset()
    triage.run(provider, _thread(ASK))
    assert [r["response_format"]["type"] for r in fake.requests] == ["json_object"]


def test_rate_limit_maps_to_ai_rate_limited(fake: FakeOpenAI, server: RunningServer) -> None:
    fake.fail_next(429, retry_after=7)

    with pytest.raises(AIRateLimited) as caught:
        triage.run(_provider(server, retries=0), _thread(ASK))

    assert caught.value.retry_after == 7.0


def test_sdk_retries_a_server_error_then_succeeds(fake: FakeOpenAI, server: RunningServer) -> None:
    fake.fail_next(503, retry_after=0.01)

    result = triage.run(_provider(server, retries=2), _thread(ASK))

    assert len(fake.requests) == 2
    assert result.output.needs_reply


def test_server_error_without_retries_is_unavailable(
    fake: FakeOpenAI, server: RunningServer
) -> None:
    fake.fail_next(500)

    with pytest.raises(AIUnavailable):
        triage.run(_provider(server, retries=0), _thread(ASK))


def test_slow_server_times_out_as_unavailable(fake: FakeOpenAI, server: RunningServer) -> None:
    fake.delay = 1.0

    with pytest.raises(AIUnavailable):
        triage.run(_provider(server, timeout=0.2, retries=0), _thread(ASK))


def test_reply_draft_cites_context_and_redaction_masks_addresses(
    fake: FakeOpenAI, server: RunningServer
) -> None:
    context = [
        ContextEntry(
            id="fact-sla",
            kind=ContextKind.FACT,
            title="Uptime SLA",
            body="Our standard SLA is 99.9% monthly uptime with service credits.",
        ),
        ContextEntry(id="sig", kind=ContextKind.SIGNATURE, title="Signature", body="Maya"),
    ]
    thread = _thread(
        "Hi Maya,\n\nWhat uptime SLA do you offer? Call me on +1 415 555 0134 or write to "
        "jonah.private@example.org.\n\nJonah"
    )
    provider = RedactingProvider(_provider(server))

    result = reply.run(provider, thread, context=context, style_examples=[], instructions=None)

    sent = fake.requests[0]["messages"][1]["content"]
    assert "jonah.private@example.org" not in sent
    assert "[email]" in sent
    assert "415 555 0134" not in sent
    assert "[phone]" in sent
    assert "fact-sla" in result.output.cited_context_ids
    assert "99.9%" in result.output.body
