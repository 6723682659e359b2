"""Connecting a mailbox: the OAuth authorization code flow with PKCE.

The state parameter carries who asked and the PKCE verifier, encrypted and
authenticated with the token key ring (Fernet) and valid for ten minutes, so the hub
keeps no pending-login rows and a forged or replayed-late callback is refused. The
state is also bound to the browser that asked (a nonce in an HttpOnly cookie), so a
consent link sent to someone else cannot connect their mailbox to the sender's
organization.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass

import structlog
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from connectors.errors import AuthExpired, ConnectorError
from connectors.types import Provider
from db import encryption
from hub.connections import service
from hub.errors import BadRequest, Conflict
from hub.queue import JobName, enqueue_after_commit
from hub.users.tokens import Principal
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

STATE_TTL_SECONDS = 600
# Mailboxes, and the Slack workspace the app is installed into ("Add to Slack").
CONNECTABLE = (Provider.GMAIL, Provider.OUTLOOK, Provider.SLACK)


@dataclass(frozen=True)
class _State:
    org_id: uuid.UUID
    user_id: uuid.UUID
    provider: Provider
    verifier: str
    nonce: str


@dataclass(frozen=True)
class ConnectStart:
    authorize_url: str
    nonce: str  # for the browser cookie the callback must present


def callback_url(rt: Runtime, provider: Provider) -> str:
    return f"{rt.settings.public_base_url.rstrip('/')}/oauth/{provider}/callback"


def start_connect(rt: Runtime, principal: Principal, provider: Provider) -> ConnectStart:
    """The provider's consent URL for this user; nothing is stored until the callback."""
    if provider not in CONNECTABLE:
        raise BadRequest(f"{provider} accounts are not connected by signing in")
    verifier, nonce = secrets.token_urlsafe(64), secrets.token_urlsafe(24)
    state = encryption.keyring().encrypt(
        json.dumps(
            {
                "org": str(principal.org_id),
                "user": str(principal.user_id),
                "provider": str(provider),
                "verifier": verifier,
                "nonce": nonce,
            }
        )
    )
    url = rt.registry.oauth_connector(provider).authorize_url(
        redirect_uri=callback_url(rt, provider),
        state=state,
        code_challenge=create_s256_code_challenge(verifier),
    )
    return ConnectStart(url, nonce)


def _read_state(token: str, provider: Provider, nonce: str | None) -> _State:
    try:
        data = json.loads(encryption.keyring().decrypt(token, ttl=STATE_TTL_SECONDS))
        state = _State(
            uuid.UUID(data["org"]),
            uuid.UUID(data["user"]),
            Provider(data["provider"]),
            str(data["verifier"]),
            str(data["nonce"]),
        )
    except (ValueError, KeyError, TypeError):
        raise BadRequest("the sign-in link is invalid or expired; start again") from None
    if state.provider != provider:
        raise BadRequest("the sign-in link is for another provider")
    if not nonce or not secrets.compare_digest(nonce, state.nonce):
        raise BadRequest("finish the sign-in in the browser that started it")
    return state


def finish_connect(
    rt: Runtime, provider: Provider, *, code: str, state_token: str, nonce: str | None
) -> uuid.UUID:
    """Exchange the code, name the account, store it and start what it needs."""
    state = _read_state(state_token, provider, nonce)
    try:
        connected = rt.registry.oauth_connector(provider).connect(
            code=code, redirect_uri=callback_url(rt, provider), code_verifier=state.verifier
        )
    except AuthExpired:
        raise BadRequest("the provider refused the sign-in code; start again") from None
    except ConnectorError as exc:
        log.warning("connection.exchange_failed", provider=str(provider), reason=str(exc))
        raise BadRequest(f"could not complete the sign-in with {provider}") from None
    with rt.sessions.begin() as session:
        account = service.find_account(session, str(provider), connected.external_id)
        if account is not None and account.org_id != state.org_id:
            raise Conflict(f"this {provider} account is connected to another organization")
        account_id = service.connect_account(
            session, state.org_id, state.user_id, provider, connected.external_id, connected.grant
        )
        if provider == Provider.SLACK and connected.default_target:
            service.set_notice_channel(session, state.org_id, connected.default_target)
        if provider in (Provider.GMAIL, Provider.OUTLOOK):
            enqueue_after_commit(session, JobName.SYNC_ACCOUNT, account_id=str(account_id))
            enqueue_after_commit(session, JobName.RENEW_WATCHES)
    log.info("connection.connected", provider=str(provider), account_id=str(account_id))
    return account_id
