"""Connected accounts: list, connect a mailbox (OAuth), disconnect.

/api/v1/connections needs the user's JWT; /oauth/{provider}/callback is where the
provider sends the browser back, authenticated by the encrypted state it carries.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Response

from connectors.types import Provider
from hub.connections import flows, oauth, service
from hub.connections.schemas import AuthorizeOut, ConnectionOut
from hub.deps import CurrentPrincipal, RuntimeDep, SessionDep
from hub.errors import BadRequest, NotFound

router = APIRouter(tags=["connections"])

NONCE_COOKIE = "inbox_hub_oauth"


def _provider(name: str) -> Provider:
    try:
        return Provider(name)
    except ValueError:
        raise NotFound(f"no provider {name!r}") from None


@router.get("/api/v1/connections", response_model=list[ConnectionOut])
def list_connections(session: SessionDep, principal: CurrentPrincipal) -> list[ConnectionOut]:
    accounts = service.list_accounts(session, principal.org_id)
    return [ConnectionOut.model_validate(account) for account in accounts]


@router.post("/api/v1/connections/{provider}/authorize", response_model=AuthorizeOut)
def authorize(
    provider: str, principal: CurrentPrincipal, rt: RuntimeDep, response: Response
) -> AuthorizeOut:
    """Start connecting a Gmail or Outlook mailbox: open authorize_url in this browser."""
    kind = _provider(provider)
    start = oauth.start_connect(rt, principal, kind)
    response.set_cookie(
        NONCE_COOKIE,
        start.nonce,
        max_age=oauth.STATE_TTL_SECONDS,
        path=f"/oauth/{kind}/callback",
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back
        secure=rt.settings.public_base_url.startswith("https://"),
    )
    return AuthorizeOut(authorize_url=start.authorize_url)


@router.get("/oauth/{provider}/callback", response_model=ConnectionOut)
def oauth_callback(
    provider: str,
    rt: RuntimeDep,
    state: Annotated[str, Query(max_length=4000)] = "",
    code: Annotated[str, Query(max_length=4000)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
    nonce: Annotated[str | None, Cookie(alias=NONCE_COOKIE)] = None,
) -> ConnectionOut:
    if error:
        raise BadRequest(f"the provider did not grant access: {error}")
    if not code or not state:
        raise BadRequest("code and state are required")
    account_id = oauth.finish_connect(
        rt, _provider(provider), code=code, state_token=state, nonce=nonce
    )
    with rt.sessions() as session:
        return ConnectionOut.model_validate(service.get_account(session, account_id))


@router.delete("/api/v1/connections/{account_id}", status_code=204, response_class=Response)
def disconnect(account_id: uuid.UUID, principal: CurrentPrincipal, rt: RuntimeDep) -> Response:
    """Cancel the account's push subscription, stop syncing it and forget its tokens."""
    flows.disconnect_account(account_id, org_id=principal.org_id, rt=rt)
    return Response(status_code=204)
