"""Reading what a mention of the app asks for (no I/O)."""

from __future__ import annotations

import pytest

from hub.analysis.mentions import task_request


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("task: renew the TLS cert by Friday", "renew the TLS cert by Friday"),
        ("Task - call Kim", "call Kim"),
        ("TODO order badges", "order badges"),
        ("to-do: book the room\nfor Monday", "book the room\nfor Monday"),
        ("task:", None),
        ("summarize please", None),
        ("tasks in this thread?", None),
        ("what is the task here?", None),
    ],
)
def test_task_requests_are_told_from_other_questions(text: str, task: str | None) -> None:
    assert task_request(text) == task
