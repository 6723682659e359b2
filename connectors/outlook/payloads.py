"""Wire models for Graph change/lifecycle notifications and the Graph/OAuth responses we read.

Every model ignores unknown fields: Graph adds properties freely, and lifecycle
notifications come in two shapes (the documented one with tenantId; the one seen in
real traffic with organizationId, resource, resourceData and sometimes sequence).
Timestamps arrive with 7 fractional digits and with either "Z" or "+00:00".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_graph_datetime(value: str) -> datetime:
    """An ISO 8601 Graph timestamp as aware UTC; ValueError when it is not one."""
    text = _FRACTION.sub(r"\1", value.strip())  # Python keeps microseconds only
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def format_graph_datetime(when: datetime) -> str:
    """ISO 8601 UTC with a "Z", as Graph's request bodies are documented."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _lenient_datetime(value: Any) -> Any:
    return parse_graph_datetime(value) if isinstance(value, str) else value


GraphDateTime = Annotated[datetime, BeforeValidator(_lenient_datetime)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True)


class ResourceData(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    odata_type: str | None = Field(default=None, alias="@odata.type")
    odata_id: str | None = Field(default=None, alias="@odata.id")
    id: str | None = None


class NotificationItem(_Wire):
    """One entry of a changeNotificationCollection: a change or a lifecycle event."""

    subscription_id: str = Field(min_length=1, max_length=200)
    subscription_expiration_date_time: str | None = None
    change_type: str | None = None
    resource: str | None = None
    resource_data: ResourceData | None = None
    client_state: str | None = None
    tenant_id: str | None = None
    organization_id: str | None = None  # the observed lifecycle shape's tenantId
    lifecycle_event: str | None = None
    sequence: int | None = None

    @property
    def tenant(self) -> str:
        return self.tenant_id or self.organization_id or ""


class NotificationCollection(_Wire):
    value: list[NotificationItem]


class SubscriptionResponse(_Wire):
    id: str = Field(min_length=1)
    expiration_date_time: GraphDateTime
    client_state: str | None = None


class DeltaItem(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str = Field(min_length=1)
    conversation_id: str | None = Field(default=None, alias="conversationId")
    received_date_time: GraphDateTime | None = Field(default=None, alias="receivedDateTime")
    removed: dict[str, Any] | None = Field(default=None, alias="@removed")


class DeltaPage(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    value: list[DeltaItem] = Field(default_factory=list)
    next_link: str | None = Field(default=None, alias="@odata.nextLink")
    delta_link: str | None = Field(default=None, alias="@odata.deltaLink")


class ItemBody(_Wire):
    content_type: str = "text"
    content: str = ""


class MessageResource(_Wire):
    """The few properties fetch reads itself; the whole JSON goes to parse_graph."""

    id: str = Field(min_length=1)
    conversation_id: str | None = None
    unique_body: ItemBody | None = None


class TokenResponse(BaseModel):
    # The identity platform speaks snake_case, unlike Graph.
    model_config = ConfigDict(extra="ignore")

    access_token: str = Field(min_length=1)
    expires_in: int = Field(default=3599, ge=0)
    refresh_token: str | None = None
    scope: str = ""
    token_type: str = "Bearer"  # noqa: S105 - a scheme name, not a secret
