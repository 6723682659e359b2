"""FastAPI dependencies: the runtime, a request-scoped session, the raw body, the caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from hub.errors import Unauthorized
from hub.users.tokens import Principal, decode_access_token
from hub.wiring import Runtime


def get_runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(rt: RuntimeDep) -> Iterator[Session]:
    """One session per request, committed when the handler returns, before the response."""
    with rt.sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
RequestDep = Request


async def read_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(read_body)]

_bearer = HTTPBearer(auto_error=False)


def current_principal(
    rt: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthorized("a bearer token is required")
    return decode_access_token(credentials.credentials, secret=rt.settings.secret_key)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
