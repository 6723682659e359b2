from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
import pytest

from hub.errors import Unauthorized
from hub.users.tokens import Principal, decode_access_token, issue_access_token

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_round_trip() -> None:
    principal = Principal(uuid.uuid4(), uuid.uuid4())
    token = issue_access_token(principal, secret=SECRET, ttl=timedelta(minutes=5))
    assert decode_access_token(token, secret=SECRET) == principal


@pytest.mark.parametrize(
    "token",
    [
        issue_access_token(
            Principal(uuid.uuid4(), uuid.uuid4()), secret=SECRET, ttl=timedelta(seconds=-1)
        ),
        issue_access_token(
            Principal(uuid.uuid4(), uuid.uuid4()), secret=SECRET + "x", ttl=timedelta(minutes=5)
        ),
        jwt.encode({"sub": str(uuid.uuid4()), "org": str(uuid.uuid4())}, SECRET),
        jwt.encode(
            {"sub": "u", "org": "o", "aud": "inbox-hub-api", "iss": "inbox-hub"},
            key="",
            algorithm="none",
        ),
        "not-a-jwt",
    ],
    ids=["expired", "other-secret", "no-audience-or-expiry", "alg-none", "garbage"],
)
def test_bad_tokens_are_unauthorized(token: str) -> None:
    with pytest.raises(Unauthorized):
        decode_access_token(token, secret=SECRET)
