"""Shared fixtures: where the real PostgreSQL and Redis are, and fresh databases on them.

Under CI=true a missing PostgreSQL or Redis fails the tests that need it; locally
those tests skip with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from redis import Redis
from redis.exceptions import RedisError

from tests.support.databases import fresh_postgres_database

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"


def _unavailable(what: str, error: Exception) -> None:
    message = f"{what} is not reachable: {type(error).__name__}: {error}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3):
            pass
    except psycopg.Error as exc:
        _unavailable("PostgreSQL (TEST_DATABASE_URL)", exc)
    return url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A new, empty database for one test, dropped afterwards."""
    with fresh_postgres_database(postgres_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        Redis.from_url(url, socket_connect_timeout=3).ping()
    except RedisError as exc:
        _unavailable("Redis (TEST_REDIS_URL)", exc)
    return url
