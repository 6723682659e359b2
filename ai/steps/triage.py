"""Triage: what kind of mail the thread's newest message is and what it asks of the owner."""

from __future__ import annotations

from ai.base import AIProvider, GenerationRequest
from ai.budget import estimate_tokens, fit_thread
from ai.prompts import FENCE_RULES, render_thread
from ai.safety import safe_tasks
from ai.steps.run import generate_checked
from ai.types import AIResult, ThreadInput, Triage

PROMPT_VERSION = "triage-2026-01"

SYSTEM = f"""You triage email for the mailbox owner named in the prompt.
{FENCE_RULES}

Judge the newest message of the thread, using older ones only for context. Answer with
JSON matching the schema:
- category: to_respond (a person waits for the owner's answer), fyi (informs, no answer
  expected), meeting (invitation, time proposal, reschedule, cancellation or agenda;
  notes sent after a meeting are fyi), notification (automated system mail, calendar
  receipts, auto-replies), marketing (newsletters, promotions, vendor events, cold
  sales outreach even when personal in tone).
- priority: urgent (action needed today, something blocked or down), high (important,
  due this week), normal (ordinary work), low (safe to skim).
- needs_reply: true only when someone expects the owner to answer.
- summary: one sentence saying who wants what and by when.
- reason: a short phrase explaining the category.
- tasks: concrete actions asked of a recipient, each with a short imperative English
  title, an absolute due date (YYYY-MM-DD, resolved against the message date) or null,
  and the assignee's address or null for a group. Attending a meeting and the bare act
  of replying are not tasks; optional offers in marketing mail are not tasks."""


def render(thread: ThreadInput) -> str:
    return f"Triage this thread.\n\n{render_thread(thread)}"


def run(
    provider: AIProvider, thread: ThreadInput, *, token_budget: int | None = None
) -> AIResult[Triage]:
    """Triage the thread; token_budget caps the whole input (system + user) in tokens.

    Tasks that untrusted text could have planted (see ai.safety) are dropped from the
    result whatever the provider, so nothing downstream acts on them.
    """
    if token_budget is not None:
        room = (
            token_budget
            - estimate_tokens(SYSTEM)
            - estimate_tokens(render(thread.model_copy(update={"messages": ()})))
        )
        thread = fit_thread(thread, max(room, 0))
    request = GenerationRequest(
        step="triage",
        system=SYSTEM,
        user=render(thread),
        thread=thread,
        previous_summary=None,
        schema=Triage,
        prompt_version=PROMPT_VERSION,
    )
    result = generate_checked(provider, request)
    kept = safe_tasks(result.output.tasks, thread)
    if len(kept) != len(result.output.tasks):
        output = result.output.model_copy(update={"tasks": kept})
        result = result.model_copy(update={"output": output})
    return result
