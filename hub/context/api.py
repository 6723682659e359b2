"""CRUD for the organization's company context: /api/v1/context."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from hub.context import service
from hub.context.schemas import ContextIn, ContextOut, ContextPatch
from hub.deps import CurrentPrincipal, SessionDep

router = APIRouter(prefix="/api/v1/context", tags=["context"])


@router.get("", response_model=list[ContextOut])
def list_context(session: SessionDep, principal: CurrentPrincipal) -> list[ContextOut]:
    entries = service.list_entries(session, principal.org_id)
    return [ContextOut.model_validate(e) for e in entries]


@router.post("", response_model=ContextOut, status_code=201)
def create_context(data: ContextIn, session: SessionDep, principal: CurrentPrincipal) -> ContextOut:
    return ContextOut.model_validate(service.create_entry(session, principal.org_id, data))


@router.get("/{entry_id}", response_model=ContextOut)
def get_context(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> ContextOut:
    return ContextOut.model_validate(service.get_entry(session, principal.org_id, entry_id))


@router.patch("/{entry_id}", response_model=ContextOut)
def update_context(
    entry_id: uuid.UUID, patch: ContextPatch, session: SessionDep, principal: CurrentPrincipal
) -> ContextOut:
    entry = service.update_entry(session, principal.org_id, entry_id, patch)
    return ContextOut.model_validate(entry)


@router.delete("/{entry_id}", status_code=204, response_class=Response)
def delete_context(
    entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    service.delete_entry(session, principal.org_id, entry_id)
    return Response(status_code=204)
