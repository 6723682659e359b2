"""Reply drafts, on request only: the thread, ranked company context and style examples.

Company context is the organization's own text (tone, signature, facts, policies),
entered by its admins, so it is set apart from mail but not fenced as untrusted; the
owner's sent messages are mail text and are fenced. The owner's instructions come from
the person asking for the draft and are passed as such. The draft is never sent by
this package: the hub shows it to the owner.
"""

from __future__ import annotations

from collections.abc import Sequence

from ai.base import AIProvider, GenerationRequest
from ai.budget import estimate_tokens, fit_thread
from ai.context import rank_context
from ai.local.text import clean
from ai.prompts import FENCE_RULES, fence, render_thread
from ai.steps.run import generate_checked
from ai.types import AIResult, ContextEntry, ContextKind, ReplyDraft, ThreadInput

PROMPT_VERSION = "reply-2026-01"
# Facts and policies sent per draft: enough to answer a few questions, few enough to
# keep the prompt short. Tone and signature entries are always sent.
CONTEXT_K = 5
MAX_STYLE_EXAMPLES = 3

SYSTEM = f"""You draft email replies for the mailbox owner named in the prompt.
{FENCE_RULES}

Write the reply the owner would send to the newest message: answer its questions using
only the company context entries given (never invent prices, dates or commitments;
say the owner will check when the context does not cover something), follow the tone
entries and the style of the owner's own messages, and end with the signature entry
when there is one. Return JSON matching the schema: body (the reply text) and
cited_context_ids (the ids of the context entries the reply relies on)."""


def select_context(
    thread: ThreadInput, entries: Sequence[ContextEntry], *, instructions: str | None, k: int
) -> tuple[ContextEntry, ...]:
    """Tone and signature entries, plus the k facts/policies most relevant to the thread."""
    always = [e for e in entries if e.kind in {ContextKind.TONE, ContextKind.SIGNATURE}]
    ranked_kinds = [e for e in entries if e.kind in {ContextKind.FACT, ContextKind.POLICY}]
    newest = thread.messages[-1].text if thread.messages else ""
    query = " ".join([thread.subject, " ".join(clean(newest).sentences), instructions or ""])
    return (*always, *rank_context(query, ranked_kinds, k))


def _render_context(entries: Sequence[ContextEntry]) -> str:
    if not entries:
        return "(none)"
    return "\n\n".join(
        f"[{entry.id}] ({entry.kind.value}) {entry.title}\n{entry.body}" for entry in entries
    )


def render(
    thread: ThreadInput,
    *,
    context: Sequence[ContextEntry],
    style_examples: Sequence[str],
    instructions: str | None,
) -> str:
    examples = "\n\n".join(fence(s) for s in style_examples) or "(none)"
    return (
        f"Company context (from the owner's organization):\n{_render_context(context)}\n\n"
        f"The owner's own earlier messages, for style only:\n{examples}\n\n"
        f"The owner's instructions for this reply: {instructions or '(none)'}\n\n"
        f"Thread to answer:\n\n{render_thread(thread)}"
    )


def run(
    provider: AIProvider,
    thread: ThreadInput,
    *,
    context: Sequence[ContextEntry],
    style_examples: Sequence[str],
    instructions: str | None,
    token_budget: int | None = None,
) -> AIResult[ReplyDraft]:
    """Draft a reply; context is the organization's entries (ranked here, not by the caller)."""
    chosen = select_context(thread, context, instructions=instructions, k=CONTEXT_K)
    examples = tuple(style_examples)[:MAX_STYLE_EXAMPLES]
    if token_budget is not None:
        fixed = render(
            thread.model_copy(update={"messages": ()}),
            context=chosen,
            style_examples=examples,
            instructions=instructions,
        )
        room = token_budget - estimate_tokens(SYSTEM) - estimate_tokens(fixed)
        thread = fit_thread(thread, max(room, 0))
    request = GenerationRequest(
        step="reply",
        system=SYSTEM,
        user=render(thread, context=chosen, style_examples=examples, instructions=instructions),
        thread=thread,
        previous_summary=None,
        schema=ReplyDraft,
        prompt_version=PROMPT_VERSION,
        context=chosen,
        style_examples=examples,
        instructions=instructions,
    )
    result = generate_checked(provider, request)
    # A model may cite an id it was not given; keep only real ones.
    known = {entry.id for entry in chosen}
    cited = [i for i in dict.fromkeys(result.output.cited_context_ids) if i in known]
    if cited != result.output.cited_context_ids:
        output = result.output.model_copy(update={"cited_context_ids": cited})
        result = result.model_copy(update={"output": output})
    return result
