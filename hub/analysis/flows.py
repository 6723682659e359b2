"""analyze_thread: read (short transaction), call the AI (none open), store (short)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import structlog

from ai.base import AIError, AIUnavailable
from ai.steps import reply as reply_step
from ai.steps import summary as summary_step
from ai.steps import triage as triage_step
from ai.types import AIResult as StepResult
from ai.types import ReplyDraft
from connectors.types import MentionAnswer
from hub.analysis import drafts, service
from hub.errors import BudgetExceeded, HubError, RetryLater, Unavailable
from hub.outbox.service import SLACK_THREAD_REPLY, add_to_outbox
from hub.queue import JobName, enqueue_after_commit
from hub.threads.replies import queue_mail_draft
from hub.threads.service import get_thread
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


def ask_for_mailbox_draft(
    thread_id: uuid.UUID, *, org_id: uuid.UUID, answer_in: tuple[str, str], rt: Runtime
) -> None:
    """Queue draft_into_mailbox for a thread of the organization (NotFound otherwise)."""
    channel, thread_ts = answer_in
    with rt.sessions.begin() as session:
        get_thread(session, org_id, thread_id)
        enqueue_after_commit(
            session,
            JobName.DRAFT_INTO_MAILBOX,
            thread_id=str(thread_id),
            org_id=str(org_id),
            channel=channel,
            thread_ts=thread_ts,
        )


def draft_into_mailbox(
    thread_id: uuid.UUID, *, org_id: uuid.UUID, answer_in: tuple[str, str], rt: Runtime
) -> None:
    """Draft a reply with the AI, keep it in the mailbox, and say so in a chat thread.

    answer_in is (channel, thread ts) of the notice whose button asked. The draft and the
    answer are queued in one transaction, after the AI call, so a retry repeats neither.
    """
    channel, thread_ts = answer_in
    try:
        body = draft_reply(thread_id, org_id=org_id, instructions=None, rt=rt).output.body
    except Unavailable as exc:
        raise RetryLater(str(exc)) from exc
    except HubError as exc:
        body, note = "", f"No reply drafted: {exc}."
    with rt.sessions.begin() as session:
        if body:
            try:
                queued = queue_mail_draft(session, org_id, thread_id, body)
                note = f"A reply draft is on its way to {queued.mailbox}'s drafts."
            except HubError as exc:
                note = f"No reply drafted: {exc}."
        add_to_outbox(
            session,
            org_id=org_id,
            kind=SLACK_THREAD_REPLY,
            idempotency_key=f"{SLACK_THREAD_REPLY}:draft:{thread_id}:{uuid.uuid4()}",
            payload={
                "channel": channel,
                "thread_ts": thread_ts,
                "answer": asdict(MentionAnswer(note=note)),
            },
        )
    log.info("analysis.draft_into_mailbox", thread_id=str(thread_id), drafted=bool(body))
