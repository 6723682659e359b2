"""The ClickUp fake fixtures (see world.py), shared by this folder's modules."""

from tests.integration.connectors.clickup.world import (  # noqa: F401 - fixtures
    api,
    clickup,
    fake,
    http,
    server,
)
