"""GET /api/v1/usage: the organization's AI token use this month against its budget."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel

from hub.analysis.service import month_usage
from hub.deps import CurrentPrincipal, SessionDep

router = APIRouter(prefix="/api/v1/usage", tags=["usage"])


class UsageOut(BaseModel):
    month: str
    tokens_in: int
    tokens_out: int
    monthly_budget: int | None
    budget_exceeded: bool


@router.get("", response_model=UsageOut)
def get_usage(session: SessionDep, principal: CurrentPrincipal) -> UsageOut:
    usage = month_usage(session, principal.org_id, datetime.now(UTC))
    return UsageOut(
        month=usage.month,
        tokens_in=usage.tokens_in,
        tokens_out=usage.tokens_out,
        monthly_budget=usage.budget,
        budget_exceeded=usage.exceeded,
    )
