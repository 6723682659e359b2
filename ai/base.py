"""The provider interface every AI backend implements, and its error family.

A step renders its prompt and hands the provider one GenerationRequest; the provider
returns an AIResult whose output validates against request.schema. Providers that call
a model use system/user; the local provider reads the structured thread instead, which
is why both travel together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from ai.types import AIResult, ContextEntry, ThreadInput

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class GenerationRequest(Generic[T]):
    step: str
    system: str
    # The rendered prompt; email text appears in it only inside fenced untrusted blocks.
    user: str
    thread: ThreadInput
    previous_summary: str | None
    schema: type[T]
    # Echoed into AIResult so stored results say which prompt produced them.
    prompt_version: str = ""
    # Reply drafts only: ranked company context, the owner's own sent mail as style
    # examples and the owner's instructions. Model providers read them from `user`.
    context: tuple[ContextEntry, ...] = ()
    style_examples: tuple[str, ...] = ()
    instructions: str | None = None


class AIProvider(Protocol):
    name: str

    def generate(self, request: GenerationRequest[T]) -> AIResult[T]: ...


class AIError(Exception):
    """An AI step failed in a way that is not one of the kinds below."""


class AIUnavailable(AIError):
    """The backend could not be reached or failed transiently: retry later."""


class AIRateLimited(AIUnavailable):
    """The backend asked us to slow down; retry_after is in seconds when it said so."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AIBadOutput(AIError):
    """The backend answered, but not with something that validates against the schema.

    Not retryable as such: the same prompt tends to produce the same bad output.
    """
