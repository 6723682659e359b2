"""REST shapes for connected accounts."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from db.enums import AccountStatus


class ConnectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    provider: str
    external_id: str
    status: AccountStatus
    status_reason: str | None
    last_synced_at: datetime | None
    created_at: datetime


class AuthorizeOut(BaseModel):
    """Send the user's browser here; the provider redirects back to the hub's callback."""

    authorize_url: str
