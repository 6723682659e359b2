from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from connectors.errors import ProviderUnavailable, WebhookRejected
from connectors.gmail.push import PushVerifier

CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs"
AUDIENCE = "https://hub.example.com/webhooks/gmail"
SERVICE_ACCOUNT = "gmail-push@example-project.iam.gserviceaccount.com"
KID = "test-kid-1"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Certs:
    """A JWKS endpoint behind httpx.MockTransport that counts its fetches."""

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self.fetches = 0
        self.status = 200
        self.kid = KID
        self.key = key

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.status != 200:
            return httpx.Response(self.status)
        jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(
            self.key.public_key(), as_dict=True
        )
        return httpx.Response(200, json={"keys": [jwk | {"kid": self.kid, "alg": "RS256"}]})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def certs(key: rsa.RSAPrivateKey) -> Certs:
    return Certs(key)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def verifier(certs: Certs, clock: Clock) -> Iterator[PushVerifier]:
    with httpx.Client(transport=httpx.MockTransport(certs.handler)) as http:
        yield PushVerifier(CERTS_URL, AUDIENCE, SERVICE_ACCOUNT, http, clock=clock)


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "aud": AUDIENCE,
        "azp": "108234567890123456789",
        "email": SERVICE_ACCOUNT,
        "email_verified": True,
        "iat": now,
        "exp": now + 3600,
        "iss": "https://accounts.google.com",
        "sub": "108234567890123456789",
    }
    return base | overrides


def sign(key: rsa.RSAPrivateKey, payload: dict[str, Any], kid: str = KID) -> str:
    return "Bearer " + jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_valid_token_is_accepted(verifier: PushVerifier, key: rsa.RSAPrivateKey) -> None:
    result = verifier.verify(sign(key, claims()))

    assert result["email"] == SERVICE_ACCOUNT
    assert result["aud"] == AUDIENCE


def test_bare_issuer_is_accepted(verifier: PushVerifier, key: rsa.RSAPrivateKey) -> None:
    assert verifier.verify(sign(key, claims(iss="accounts.google.com")))["iss"]


def test_small_clock_skew_is_tolerated(verifier: PushVerifier, key: rsa.RSAPrivateKey) -> None:
    now = int(time.time())

    verifier.verify(sign(key, claims(iat=now - 3630, exp=now - 30)))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "https://evil.example.com/webhooks/gmail"}, "wrong audience"),
        ({"email": "someone@example-project.iam.gserviceaccount.com"}, "service account"),
        ({"email_verified": False}, "not verified"),
        ({"iss": "https://evil.example.com"}, "wrong issuer"),
        ({"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}, "expired"),
        ({"iat": int(time.time()) + 600}, "not yet valid"),
    ],
)
def test_bad_claims_are_rejected(
    verifier: PushVerifier, key: rsa.RSAPrivateKey, overrides: dict[str, Any], reason: str
) -> None:
    with pytest.raises(WebhookRejected, match=reason):
        verifier.verify(sign(key, claims(**overrides)))


def test_missing_email_is_rejected(verifier: PushVerifier, key: rsa.RSAPrivateKey) -> None:
    payload = claims()
    del payload["email"]

    with pytest.raises(WebhookRejected, match="missing claim"):
        verifier.verify(sign(key, payload))


def test_foreign_signature_is_rejected(
    verifier: PushVerifier, other_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(WebhookRejected, match="bad signature"):
        verifier.verify(sign(other_key, claims()))


def test_tampered_payload_is_rejected(verifier: PushVerifier, key: rsa.RSAPrivateKey) -> None:
    header, _, signature = sign(key, claims()).removeprefix("Bearer ").split(".")
    forged = b64(json.dumps(claims(email="attacker@example.com")).encode())

    with pytest.raises(WebhookRejected):
        verifier.verify(f"Bearer {header}.{forged}.{signature}")


def test_alg_none_is_rejected(verifier: PushVerifier) -> None:
    header = b64(json.dumps({"alg": "none", "kid": KID, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims()).encode())

    with pytest.raises(WebhookRejected, match="algorithm"):
        verifier.verify(f"Bearer {header}.{body}.")


def test_hs256_with_public_key_as_secret_is_rejected(verifier: PushVerifier, certs: Certs) -> None:
    # The classic confusion attack: HMAC keyed with the (public) JWKS modulus.
    header = b64(json.dumps({"alg": "HS256", "kid": KID, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims()).encode())
    secret = json.dumps(certs.handler(httpx.Request("GET", CERTS_URL)).json()).encode()
    signature = b64(hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest())

    with pytest.raises(WebhookRejected, match="algorithm"):
        verifier.verify(f"Bearer {header}.{body}.{signature}")


@pytest.mark.parametrize("value", [None, "", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer not.a.jwt"])
def test_missing_or_malformed_header_is_rejected(verifier: PushVerifier, value: str | None) -> None:
    with pytest.raises(WebhookRejected):
        verifier.verify(value)


def test_rejection_never_echoes_the_token(verifier: PushVerifier, key: rsa.RSAPrivateKey) -> None:
    token = sign(key, claims(aud="https://other.example.com"))

    with pytest.raises(WebhookRejected) as caught:
        verifier.verify(token)

    assert token.removeprefix("Bearer ") not in str(caught.value)
    assert len(str(caught.value)) < 60


def test_keys_are_cached(verifier: PushVerifier, key: rsa.RSAPrivateKey, certs: Certs) -> None:
    for _ in range(3):
        verifier.verify(sign(key, claims()))

    assert certs.fetches == 1


def test_cache_expires(
    verifier: PushVerifier, key: rsa.RSAPrivateKey, certs: Certs, clock: Clock
) -> None:
    verifier.verify(sign(key, claims()))
    clock.now += 3600

    verifier.verify(sign(key, claims()))

    assert certs.fetches == 2


def test_unknown_kids_refetch_at_most_once_a_minute(
    verifier: PushVerifier, key: rsa.RSAPrivateKey, certs: Certs, clock: Clock
) -> None:
    verifier.verify(sign(key, claims()))
    clock.now += 61
    for index in range(20):
        with pytest.raises(WebhookRejected, match="unknown signing key"):
            verifier.verify(sign(key, claims(), kid=f"random-{index}"))

    assert certs.fetches == 2


def test_rotated_key_is_picked_up(
    verifier: PushVerifier, key: rsa.RSAPrivateKey, certs: Certs, clock: Clock
) -> None:
    verifier.verify(sign(key, claims()))
    certs.kid = "rotated"
    clock.now += 61

    assert verifier.verify(sign(key, claims(), kid="rotated"))["email"] == SERVICE_ACCOUNT


def test_unreachable_certs_is_an_outage_not_a_rejection(
    verifier: PushVerifier, key: rsa.RSAPrivateKey, certs: Certs, clock: Clock
) -> None:
    certs.status = 503

    with pytest.raises(ProviderUnavailable):
        verifier.verify(sign(key, claims()))
    with pytest.raises(ProviderUnavailable):
        verifier.verify(sign(key, claims()))
    assert certs.fetches == 1  # no hammering while down

    certs.status = 200
    clock.now += 60
    verifier.verify(sign(key, claims()))


def test_stale_keys_survive_a_failed_refresh(
    verifier: PushVerifier, key: rsa.RSAPrivateKey, certs: Certs, clock: Clock
) -> None:
    verifier.verify(sign(key, claims()))
    certs.status = 500
    clock.now += 3600

    verifier.verify(sign(key, claims()))

    assert certs.fetches == 2
