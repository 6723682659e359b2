"""Incremental thread summaries: the previous summary plus only the new messages go in.

Sending only what is new keeps the cost of a long thread flat; the previous summary
is our own earlier output, yet it is fenced like mail text because it was derived
from mail text.
"""

from __future__ import annotations

from ai.base import AIProvider, GenerationRequest
from ai.budget import estimate_tokens, fit_thread
from ai.prompts import FENCE_RULES, fence, render_thread
from ai.steps.run import generate_checked
from ai.types import AIResult, Summary, ThreadInput

PROMPT_VERSION = "summary-2026-01"

SYSTEM = f"""You keep a running summary of an email thread for the mailbox owner.
{FENCE_RULES}

You receive the summary so far (possibly empty) and only the messages that arrived
since. Return JSON matching the schema with one field, text: the updated summary in at
most four sentences. Keep the gist of the summary so far, add what the new messages
change (decisions, requests, dates, who asked whom), and drop what they make obsolete."""


def render(thread: ThreadInput, *, previous: str | None) -> str:
    so_far = fence(previous) if previous else "(none yet)"
    return f"Summary so far:\n{so_far}\n\nNew messages:\n\n{render_thread(thread)}"


def run(
    provider: AIProvider,
    thread: ThreadInput,
    *,
    previous: str | None,
    token_budget: int | None = None,
) -> AIResult[Summary]:
    """thread holds only the messages the previous summary has not seen."""
    if token_budget is not None:
        empty = thread.model_copy(update={"messages": ()})
        room = (
            token_budget
            - estimate_tokens(SYSTEM)
            - estimate_tokens(render(empty, previous=previous))
        )
        thread = fit_thread(thread, max(room, 0))
    request = GenerationRequest(
        step="summary",
        system=SYSTEM,
        user=render(thread, previous=previous),
        thread=thread,
        previous_summary=previous,
        schema=Summary,
        prompt_version=PROMPT_VERSION,
    )
    return generate_checked(provider, request)
