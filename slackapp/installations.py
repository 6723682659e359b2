"""Which organization and bot token belong to a Slack workspace (team id).

A connected workspace is an Account with provider "slack", external_id = team id and
access_token = the bot token (decrypted by the column type).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from connectors.types import Provider
from db.enums import AccountStatus
from hub.connections.service import find_account


@dataclass(frozen=True)
class Installation:
    org_id: uuid.UUID
    team_id: str
    bot_token: str


def find_installation(session: Session, team_id: str) -> Installation | None:
    """The active installation for team_id, or None (unknown, disabled or tokenless)."""
    account = find_account(session, str(Provider.SLACK), team_id)
    if account is None or account.status != AccountStatus.ACTIVE or not account.access_token:
        return None
    return Installation(org_id=account.org_id, team_id=team_id, bot_token=account.access_token)
