"""analyze_thread: read (short transaction), call the AI (none open), store (short)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import structlog

from ai.base import AIError, AIUnavailable
from ai.steps import reply as reply_step
from ai.steps import summary as summary_step
from ai.steps import triage as triage_step
from ai.types import AIResult as StepResult
from ai.types import ReplyDraft
from hub.analysis import drafts, service
from hub.errors import BudgetExceeded, RetryLater, Unavailable
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

PROMPT_VERSIONS = f"triage:{triage_step.PROMPT_VERSION};summary:{summary_step.PROMPT_VERSION}"


def analyze_thread(thread_id: uuid.UUID, *, rt: Runtime) -> bool:
    """Returns False when the content is unchanged since the last analysis (no AI call)."""
    with rt.sessions.begin() as session:
        data = service.load_analysis_input(session, thread_id, prompt_versions=PROMPT_VERSIONS)
        if service.already_analyzed(session, thread_id, data.content_hash):
            log.info("analysis.unchanged", thread_id=str(thread_id))
            return False
        if service.month_usage(session, data.org_id, datetime.now(UTC)).exceeded:
            # The request stays open; the sweeper resumes it when the budget resets.
            log.warning("analysis.budget_exceeded", org_id=str(data.org_id))
            return False
    try:
        budget = rt.settings.ai_token_budget
        triage = triage_step.run(rt.ai, data.thread, token_budget=budget)
        summary = summary_step.run(
            rt.ai, data.new_messages, previous=data.previous_summary, token_budget=budget
        )
    except AIUnavailable as exc:
        raise RetryLater(f"AI provider unavailable: {exc}") from exc
    except AIError as exc:
        # Invalid output even after the repair retry: retrying the same input would
        # only spend tokens again. The next message in the thread asks anew.
        with rt.sessions.begin() as session:
            service.give_up_analysis(session, thread_id)
        log.error("analysis.failed", thread_id=str(thread_id), error_type=type(exc).__name__)
        return False
    with rt.sessions.begin() as session:
        service.store_analysis(session, data, triage, summary)
    log.info(
        "analysis.stored",
        thread_id=str(thread_id),
        category=triage.output.category.value,
        tokens_in=triage.usage.tokens_in + summary.usage.tokens_in,
        tokens_out=triage.usage.tokens_out + summary.usage.tokens_out,
    )
    return True


def sweep_analyses(*, rt: Runtime) -> int:
    with rt.sessions.begin() as session:
        count = service.requeue_stale_analyses(
            session, older_than=timedelta(seconds=rt.settings.inbound_sweep_after_seconds)
        )
    if count:
        log.info("analysis.swept", count=count)
    return count


def draft_reply(
    thread_id: uuid.UUID, *, org_id: uuid.UUID, instructions: str | None, rt: Runtime
) -> StepResult[ReplyDraft]:
    """A reply draft for the owner to edit; it is returned and recorded, never sent."""
    with rt.sessions.begin() as session:
        data = drafts.load_draft_input(session, org_id, thread_id, instructions=instructions)
        if service.month_usage(session, org_id, datetime.now(UTC)).exceeded:
            raise BudgetExceeded("the organization's monthly AI token budget is used up")
    try:
        draft = reply_step.run(
            rt.ai,
            data.thread,
            context=data.context,
            style_examples=data.style_examples,
            instructions=instructions,
            token_budget=rt.settings.ai_token_budget,
        )
    except AIUnavailable as exc:
        raise Unavailable("the AI provider is unavailable, try again shortly") from exc
    with rt.sessions.begin() as session:
        drafts.record_draft(session, data, draft)
    return draft
