"""Signed access tokens (JWT, HS256) naming a user and their organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from hub.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "inbox-hub"
AUDIENCE = "inbox-hub-api"


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    org_id: uuid.UUID


def issue_access_token(principal: Principal, *, secret: str, ttl: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(principal.user_id),
        "org": str(principal.org_id),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(token: str, *, secret: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["sub", "org", "exp", "iat"]},
        )
        return Principal(user_id=uuid.UUID(claims["sub"]), org_id=uuid.UUID(claims["org"]))
    except (jwt.InvalidTokenError, ValueError):
        raise Unauthorized("invalid or expired token") from None
