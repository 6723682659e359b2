"""Fixtures shared by the provider-fake tests."""

from tests.support.fakes import fake_server

__all__ = ["fake_server"]
