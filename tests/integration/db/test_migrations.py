"""Migrations upgrade cleanly on PostgreSQL and SQLite, and match the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import db.models  # noqa: F401 - registers every table
from db.base import Base
from db.migrate import downgrade, upgrade
from db.session import make_engine

EXPECTED_TABLES = {
    "organizations",
    "users",
    "accounts",
    "subscriptions",
    "inbound_events",
    "threads",
    "messages",
    "attachments",
    "ai_results",
    "tasks",
    "outbox",
    "company_context",
}


def _drift(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_upgrade_creates_every_table_without_drift(database_url: str) -> None:
    upgrade(database_url)
    assert _tables(database_url) >= EXPECTED_TABLES
    assert _drift(database_url) == []


def test_downgrade_to_base_and_back(database_url: str) -> None:
    upgrade(database_url)
    downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version"}
    upgrade(database_url)
    assert _drift(database_url) == []
