"""Column helpers shared by the model modules."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def str_enum(enum: type[StrEnum]) -> Enum:
    """Store an enum by value as VARCHAR: portable, and readable in psql."""
    return Enum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
