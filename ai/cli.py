"""What `manage.py analyze` does, kept here so the command itself stays a thin shell.

The command parses its input (an .eml through the mail normalizer, or a corpus .jsonl
through ai.corpus), picks a provider with ai.factory.build_provider and prints one result per
thread with result_line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ai.base import AIProvider
from ai.steps import triage
from ai.types import ThreadInput, Triage


def result_line(record_id: str, result: Triage) -> dict[str, Any]:
    """The --json shape: one object per analyzed thread."""
    return {
        "id": record_id,
        "category": result.category.value,
        "priority": result.priority.value,
        "needs_reply": result.needs_reply,
        "summary": result.summary,
        "tasks": [
            {
                "title": task.title,
                "due": task.due.isoformat() if task.due else None,
                "assignee": task.assignee,
            }
            for task in result.tasks
        ],
    }


def analyze(
    provider: AIProvider, record_id: str, thread: ThreadInput, *, token_budget: int | None = None
) -> dict[str, Any]:
    return result_line(record_id, triage.run(provider, thread, token_budget=token_budget).output)


def human_lines(line: Mapping[str, Any]) -> list[str]:
    """The readable form printed without --json."""
    out = [
        f"{line['id']}: {line['category']} / {line['priority']}"
        f"{' / needs reply' if line['needs_reply'] else ''}",
        f"  {line['summary']}",
    ]
    for task in line["tasks"]:
        extras = ", ".join(str(v) for v in (task["due"], task["assignee"]) if v)
        out.append(f"  - {task['title']}" + (f" ({extras})" if extras else ""))
    return out
