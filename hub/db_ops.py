"""Dialect-neutral statements the services share (SQLite embedded, PostgreSQL distributed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(
    session: Session, model: type[Any], values: dict[str, Any], conflict_on: Sequence[str]
) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING for whichever dialect the session is bound to."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return (
            postgresql.insert(model)
            .values(**values)
            .on_conflict_do_nothing(index_elements=conflict_on)
        )
    return sqlite.insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_on)
