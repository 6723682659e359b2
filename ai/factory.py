"""Building the configured AI provider from plain values (hub.wiring passes settings)."""

from __future__ import annotations

from collections.abc import Mapping

from ai.base import AIProvider
from ai.local import LocalProvider
from ai.openai_provider import build_openai_provider
from ai.redact import RedactingProvider


def build_provider(
    name: str,
    *,
    base_url: str = "",
    api_key: str | None = None,
    models: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    redact: bool = False,
    max_retries: int = 2,
    structured_outputs: bool | None = None,
) -> AIProvider:
    """ "local" (offline default) or "openai" (any OpenAI-compatible server)."""
    if name == "local":
        return LocalProvider()
    if name == "openai":
        provider: AIProvider = build_openai_provider(
            base_url,
            api_key,
            models or {"default": "gpt-4o-mini"},
            timeout,
            max_retries=max_retries,
            structured_outputs=structured_outputs,
        )
        # Redaction only matters for text that leaves the machine.
        return RedactingProvider(provider) if redact else provider
    raise ValueError(f"unknown AI provider {name!r}: use local or openai")
