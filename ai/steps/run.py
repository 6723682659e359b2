"""What every step does around the provider call: build the request, check the answer."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from ai.base import AIBadOutput, AIProvider, GenerationRequest
from ai.types import AIResult

T = TypeVar("T", bound=BaseModel)


def generate_checked(provider: AIProvider, request: GenerationRequest[T]) -> AIResult[T]:
    result = provider.generate(request)
    # A provider is trusted to validate, but a stored result of the wrong shape would
    # only fail much later in the hub; fail here, where the step is known.
    if not isinstance(result.output, request.schema):
        raise AIBadOutput(
            f"{provider.name} returned {type(result.output).__name__} for step {request.step}"
        )
    return result
