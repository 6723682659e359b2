"""The default provider: offline, deterministic heuristics, no network and no model."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ValidationError

from ai.base import AIBadOutput, AIError, GenerationRequest
from ai.local.reply import draft_reply
from ai.local.summary import incremental
from ai.local.triage import triage
from ai.types import AIResult, Summary, Usage

T = TypeVar("T", bound=BaseModel)


def _estimate_tokens(text: str) -> int:
    # The common rule of thumb for English-like text; deterministic, so usage figures
    # are stable across runs and comparable with what a hosted model would bill.
    return math.ceil(len(text) / 4)


def _triage(request: GenerationRequest[Any]) -> BaseModel:
    return triage(request.thread)


def _summary(request: GenerationRequest[Any]) -> BaseModel:
    return Summary(text=incremental(request.previous_summary, request.thread))


def _reply(request: GenerationRequest[Any]) -> BaseModel:
    return draft_reply(
        request.thread, request.context, request.style_examples, request.instructions
    )


class LocalProvider:
    name: str = "local"
    model: str = "local-heuristic-1"

    _steps: ClassVar[dict[str, Callable[[GenerationRequest[Any]], BaseModel]]] = {
        "triage": _triage,
        "summary": _summary,
        "reply": _reply,
    }

    def generate(self, request: GenerationRequest[T]) -> AIResult[T]:
        handler = self._steps.get(request.step)
        if handler is None:
            raise AIError(f"the local provider has no step {request.step!r}")
        produced = handler(request)
        try:
            # Round-trip through the caller's schema: the contract is "validates against
            # request.schema", not "is one of our own classes".
            output = request.schema.model_validate(produced.model_dump())
        except ValidationError as exc:
            raise AIBadOutput(f"local {request.step} output does not fit the schema") from exc
        usage = Usage(
            tokens_in=_estimate_tokens(request.system) + _estimate_tokens(request.user),
            tokens_out=_estimate_tokens(output.model_dump_json()),
        )
        return AIResult[T](
            output=output, usage=usage, model=self.model, prompt_version=request.prompt_version
        )
