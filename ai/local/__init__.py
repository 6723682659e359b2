"""The offline heuristic provider (the default): no network, no model download."""

from ai.local.provider import LocalProvider

__all__ = ["LocalProvider"]
