"""The given name the local provider greets and summarizes with."""

from __future__ import annotations

import pytest

from ai.local.text import first_name


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("Priya Shah <priya@example.org>", "Priya"),
        ("priya.shah@example.org", "Priya"),
        ("Priya Shah", "Priya"),
        ("李明", "李明"),
        ("", ""),
    ],
)
def test_first_name_keeps_names_as_written(author: str, name: str) -> None:
    assert first_name(author) == name
