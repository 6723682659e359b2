"""AI steps (triage, summary) behind a provider interface; local heuristics by default.

Plain values in and out: nothing here knows the database, the web framework, Celery,
settings or the connectors.
"""

from ai.base import (
    AIBadOutput,
    AIError,
    AIProvider,
    AIRateLimited,
    AIUnavailable,
    GenerationRequest,
)
from ai.local import LocalProvider
from ai.types import (
    AIResult,
    Category,
    MessageInput,
    Priority,
    Summary,
    TaskDraft,
    ThreadInput,
    Triage,
    Usage,
)

__all__ = [
    "AIBadOutput",
    "AIError",
    "AIProvider",
    "AIRateLimited",
    "AIResult",
    "AIUnavailable",
    "Category",
    "GenerationRequest",
    "LocalProvider",
    "MessageInput",
    "Priority",
    "Summary",
    "TaskDraft",
    "ThreadInput",
    "Triage",
    "Usage",
]
