"""analyze_thread: read (short transaction), call the AI (none open), store (short)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import structlog

from ai.base import AIUnavailable
from ai.steps import summary as summary_step
from ai.steps import triage as triage_step
from hub.analysis import service
from hub.errors import RetryLater
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
        triage = triage_step.run(rt.ai, data.thread)
        summary = summary_step.run(rt.ai, data.new_messages, previous=data.previous_summary)
    except AIUnavailable as exc:
        raise RetryLater(f"AI provider unavailable: {exc}") from exc
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
