"""The Slack request harness, shared by this folder's modules (see harness.py)."""

from tests.integration.slackapp.harness import harness  # noqa: F401 - a fixture
