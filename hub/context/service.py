"""Company context entries, always scoped to one organization."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CompanyContext
from hub.context.schemas import ContextIn, ContextPatch
from hub.errors import NotFound

MAX_ENTRIES_PER_ORG = 1000


def list_entries(session: Session, org_id: uuid.UUID) -> list[CompanyContext]:
    return list(
        session.scalars(
            select(CompanyContext)
            .where(CompanyContext.org_id == org_id)
            .order_by(CompanyContext.kind, CompanyContext.title)
            .limit(MAX_ENTRIES_PER_ORG)
        )
    )


def get_entry(session: Session, org_id: uuid.UUID, entry_id: uuid.UUID) -> CompanyContext:
    entry = session.scalars(
        select(CompanyContext).where(CompanyContext.id == entry_id, CompanyContext.org_id == org_id)
    ).one_or_none()
    if entry is None:
        raise NotFound(f"context entry {entry_id} not found")
    return entry


def create_entry(session: Session, org_id: uuid.UUID, data: ContextIn) -> CompanyContext:
    entry = CompanyContext(org_id=org_id, kind=data.kind.value, title=data.title, body=data.body)
    session.add(entry)
    session.flush()
    return entry


def update_entry(
    session: Session, org_id: uuid.UUID, entry_id: uuid.UUID, patch: ContextPatch
) -> CompanyContext:
    entry = get_entry(session, org_id, entry_id)
    for field, value in patch.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(entry, field, value.value if field == "kind" else value)
    session.flush()
    return entry


def delete_entry(session: Session, org_id: uuid.UUID, entry_id: uuid.UUID) -> None:
    session.delete(get_entry(session, org_id, entry_id))
