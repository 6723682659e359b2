"""The provider for any OpenAI-compatible chat-completions server (openai SDK, sync client).

OpenAI, Azure OpenAI, Ollama, vLLM and LM Studio all speak this API, with differences
in response_format support. The provider therefore:
- asks for structured outputs (response_format json_schema, strict) when allowed;
  with structured_outputs=None it tries them once and, on a 400 that names
  response_format or json_schema, falls back to JSON mode for the rest of its life;
- in JSON mode (response_format json_object) puts the schema in the system message,
  validates the answer and, when it does not validate, asks once more with the
  validation error (one repair retry) before raising AIBadOutput;
- leaves 429/5xx retries with backoff to the SDK (max_retries, honouring Retry-After)
  and maps what is left to AIRateLimited(retry_after) and AIUnavailable;
- adds up usage over the calls one generation took (a repair costs tokens too).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from ai.base import AIBadOutput, AIError, AIRateLimited, AIUnavailable, GenerationRequest
from ai.schema import schema_name, strict_json_schema
from ai.types import AIResult, Usage

T = TypeVar("T", bound=BaseModel)

DEFAULT_MODEL_KEY = "default"
_REPAIR = (
    "Your previous answer did not validate against the schema: {error}\n"
    "Answer again with only the corrected JSON object."
)


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    raw = response.headers.get("retry-after")
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _unsupported_schema(exc: openai.BadRequestError) -> bool:
    text = f"{exc.message} {exc.body}".lower()
    return "response_format" in text or "json_schema" in text or "structured" in text


class OpenAIProvider:
    name: str = "openai"

    def __init__(
        self,
        client: openai.OpenAI,
        *,
        models: Mapping[str, str],
        structured_outputs: bool | None = None,
    ) -> None:
        if not models:
            raise ValueError("models needs at least a 'default' entry or one per step")
        self._client = client
        self._models = dict(models)
        self._structured = structured_outputs
        # Only a detected lack of support is remembered; an explicit choice never changes.
        self._detected_unsupported = False

    @property
    def uses_structured_outputs(self) -> bool:
        return self._structured is not False and not self._detected_unsupported

    def model_for(self, step: str) -> str:
        model = self._models.get(step) or self._models.get(DEFAULT_MODEL_KEY)
        if model is None:
            model = next(iter(self._models.values()))
        return model

    def generate(self, request: GenerationRequest[T]) -> AIResult[T]:
        model = self.model_for(request.step)
        if self.uses_structured_outputs:
            try:
                return self._structured_call(model, request)
            except openai.BadRequestError as exc:
                if self._structured is True or not _unsupported_schema(exc):
                    raise AIError(f"{model} rejected the request: {exc.message}") from exc
                self._detected_unsupported = True
        return self._json_mode_call(model, request)

    def _structured_call(self, model: str, request: GenerationRequest[T]) -> AIResult[T]:
        response_format = {
            "type": "json_schema",
            "json_schema": {
                "name": schema_name(request.schema),
                "strict": True,
                "schema": strict_json_schema(request.schema),
            },
        }
        messages = [
            {"role": "system", "content": request.system},
            {"role": "user", "content": request.user},
        ]
        content, usage = self._complete(model, messages, response_format)
        try:
            output = request.schema.model_validate_json(content)
        except ValidationError as exc:
            # The server claimed strict support yet answered off-schema: repair once.
            return self._repair(model, request, messages, content, exc, usage, response_format)
        return self._result(output, usage, model, request)

    def _json_mode_call(self, model: str, request: GenerationRequest[T]) -> AIResult[T]:
        schema = json.dumps(strict_json_schema(request.schema), separators=(",", ":"))
        system = (
            f"{request.system}\n\nAnswer with one JSON object for schema "
            f"`{schema_name(request.schema)}`, exactly matching this JSON schema:\n{schema}"
        )
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": request.user},
        ]
        response_format = {"type": "json_object"}
        content, usage = self._complete(model, messages, response_format)
        try:
            output = request.schema.model_validate_json(content)
        except ValidationError as exc:
            return self._repair(model, request, messages, content, exc, usage, response_format)
        return self._result(output, usage, model, request)

    def _repair(
        self,
        model: str,
        request: GenerationRequest[T],
        messages: list[dict[str, str]],
        content: str,
        error: ValidationError,
        usage: Usage,
        response_format: dict[str, Any],
    ) -> AIResult[T]:
        # Only the error summary goes back, not pydantic's echo of the (untrusted) input.
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in error.errors(include_input=False)
        )[:2000]
        retry = [
            *messages,
            {"role": "assistant", "content": content[:8000]},
            {"role": "user", "content": _REPAIR.format(error=problems)},
        ]
        second, more = self._complete(model, retry, response_format)
        total = Usage(
            tokens_in=usage.tokens_in + more.tokens_in,
            tokens_out=usage.tokens_out + more.tokens_out,
        )
        try:
            output = request.schema.model_validate_json(second)
        except ValidationError as exc:
            raise AIBadOutput(
                f"{model} answered off-schema for {request.step} twice (tokens {total})"
            ) from exc
        return self._result(output, total, model, request)

    def _complete(
        self, model: str, messages: list[dict[str, str]], response_format: dict[str, Any]
    ) -> tuple[str, Usage]:
        try:
            # Plain dicts rather than the SDK's TypedDicts: the request shape is ours to
            # check (the fake server does), and the SDK sends it as given.
            arguments: dict[str, Any] = {
                "model": model,
                "messages": messages,
                "response_format": response_format,
                "temperature": 0,
            }
            completion: ChatCompletion = self._client.chat.completions.create(**arguments)
        except openai.RateLimitError as exc:
            raise AIRateLimited(
                f"{model}: rate limited", retry_after=_retry_after(exc.response)
            ) from exc
        except openai.APITimeoutError as exc:
            raise AIUnavailable(f"{model}: timed out") from exc
        except openai.APIConnectionError as exc:
            raise AIUnavailable(f"{model}: connection failed") from exc
        except openai.InternalServerError as exc:
            raise AIUnavailable(f"{model}: server error {exc.status_code}") from exc
        except openai.BadRequestError:
            raise
        except openai.APIStatusError as exc:
            if exc.status_code >= 500 or exc.status_code in {408, 409}:
                raise AIUnavailable(f"{model}: server error {exc.status_code}") from exc
            raise AIError(f"{model}: HTTP {exc.status_code}: {exc.message}") from exc
        if not completion.choices:
            raise AIBadOutput(f"{model} returned no choices")
        message = completion.choices[0].message
        if getattr(message, "refusal", None):
            raise AIBadOutput(f"{model} refused: {message.refusal}")
        usage = Usage(
            tokens_in=completion.usage.prompt_tokens if completion.usage else 0,
            tokens_out=completion.usage.completion_tokens if completion.usage else 0,
        )
        return message.content or "", usage

    def _result(
        self, output: T, usage: Usage, model: str, request: GenerationRequest[T]
    ) -> AIResult[T]:
        return AIResult[T](
            output=output, usage=usage, model=model, prompt_version=request.prompt_version
        )


def build_openai_provider(
    base_url: str,
    api_key: str | None,
    models: Mapping[str, str],
    timeout: float,
    *,
    max_retries: int = 2,
    structured_outputs: bool | None = None,
) -> OpenAIProvider:
    """The provider on a fresh sync client; local servers (Ollama, vLLM) need no key."""
    client = openai.OpenAI(
        base_url=base_url,
        api_key=api_key or "not-needed",
        timeout=timeout,
        max_retries=max_retries,
    )
    return OpenAIProvider(client, models=models, structured_outputs=structured_outputs)
