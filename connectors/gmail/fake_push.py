"""What the Gmail fake signs: Google's JWKS and Pub/Sub's OIDC-authenticated pushes."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://accounts.google.com"
PUSH_USER_AGENT = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"
DEFAULT_SUBSCRIPTION = "projects/inbox-hub-sandbox/subscriptions/gmail-push"
_SUBJECT = "108234567890123456789"  # the push service account's numeric id


class PushSigner:
    """An RSA key published as a JWKS, minting tokens and push requests as Google does."""

    def __init__(self, key: rsa.RSAPrivateKey | None = None) -> None:
        self._key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(20)

    def jwks(self) -> dict[str, Any]:
        jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(
            self._key.public_key(), as_dict=True
        )
        return {"keys": [jwk | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def oidc_token(
        self,
        *,
        audience: str,
        service_account: str,
        issued_at: int | None = None,
        lifetime: int = 3600,
        claims: Mapping[str, Any] | None = None,
    ) -> str:
        """An OIDC token as Pub/Sub mints it; `claims` overrides any claim (for tampering)."""
        iat = int(time.time()) if issued_at is None else issued_at
        payload: dict[str, Any] = {
            "aud": audience,
            "azp": _SUBJECT,
            "email": service_account,
            "email_verified": True,
            "exp": iat + lifetime,
            "iat": iat,
            "iss": ISSUER,
            "sub": _SUBJECT,
        }
        payload |= dict(claims or {})
        return jwt.encode(payload, self._key, algorithm="RS256", headers={"kid": self.kid})

    def push(
        self,
        address: str,
        history_id: int,
        *,
        message_id: str,
        audience: str,
        service_account: str,
        subscription: str = DEFAULT_SUBSCRIPTION,
        claims: Mapping[str, Any] | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """Headers and body of one push; historyId is a JSON number, as in real traffic."""
        data = json.dumps({"emailAddress": address, "historyId": history_id}, separators=(",", ":"))
        published = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        message = {
            "data": base64.b64encode(data.encode()).decode(),
            "messageId": message_id,
            "message_id": message_id,
            "publishTime": published,
            "publish_time": published,
        }
        body = json.dumps({"message": message, "subscription": subscription}).encode()
        token = self.oidc_token(audience=audience, service_account=service_account, claims=claims)
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "User-Agent": PUSH_USER_AGENT,
            "From": "noreply@google.com",
        }
        return headers, body
