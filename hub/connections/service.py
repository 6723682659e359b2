"""Connected accounts: credentials, status and the sync cursor. No network, no commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from connectors.types import Credentials, TokenGrant, Watch
from db.enums import AccountStatus
from db.models import Account, Organization, Subscription
from hub.errors import NotFound

REFRESH_MARGIN = timedelta(minutes=5)


def get_account(session: Session, account_id: uuid.UUID) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id} not found")
    return account


def credentials_of(account: Account) -> Credentials:
    return Credentials(
        access_token=account.access_token,
        refresh_token=account.refresh_token,
        expires_at=account.token_expires_at,
    )


def needs_refresh(credentials: Credentials, *, now: datetime | None = None) -> bool:
    if credentials.refresh_token is None:
        return False
    if credentials.access_token is None or credentials.expires_at is None:
        return True
    return credentials.expires_at - (now or datetime.now(UTC)) < REFRESH_MARGIN


def save_grant(session: Session, account_id: uuid.UUID, grant: TokenGrant) -> Credentials:
    account = get_account(session, account_id)
    account.access_token = grant.access_token
    account.token_expires_at = grant.expires_at
    if grant.refresh_token:  # Google sends a new refresh token only on consent
        account.refresh_token = grant.refresh_token
    return credentials_of(account)


def mark_needs_reauth(session: Session, account_id: uuid.UUID, reason: str) -> None:
    account = get_account(session, account_id)
    account.status = AccountStatus.NEEDS_REAUTH
    account.status_reason = reason[:500]


def advance_cursor(session: Session, account_id: uuid.UUID, cursor: str) -> None:
    """Store a newer cursor; numeric cursors (Gmail historyId) never move backwards."""
    account = get_account(session, account_id)
    current = account.sync_cursor
    if current and current.isdigit() and cursor.isdigit() and int(cursor) < int(current):
        return
    account.sync_cursor = cursor
    account.last_synced_at = datetime.now(UTC)


def accounts_needing_watch(
    session: Session, *, providers: Sequence[str], renew_before: datetime
) -> list[uuid.UUID]:
    """Active accounts whose push subscription is missing or expires before renew_before."""
    latest = (
        select(Subscription.account_id, func.max(Subscription.expires_at).label("expires_at"))
        .group_by(Subscription.account_id)
        .subquery()
    )
    query = (
        select(Account.id)
        .outerjoin(latest, latest.c.account_id == Account.id)
        .where(
            Account.status == AccountStatus.ACTIVE,
            Account.provider.in_(providers),
            or_(latest.c.expires_at.is_(None), latest.c.expires_at < renew_before),
        )
    )
    return list(session.scalars(query))


def current_watch(session: Session, account_id: uuid.UUID) -> Watch | None:
    """The subscription we hold for an account, as the connector knows it."""
    subscription = session.scalars(
        select(Subscription).where(Subscription.account_id == account_id)
    ).first()
    if subscription is None:
        return None
    return Watch(
        cursor="",
        expires_at=subscription.expires_at,
        external_id=subscription.external_id,
        secret=subscription.client_state,
    )


def record_watch(session: Session, account_id: uuid.UUID, watch: Watch) -> Subscription:
    """Keep one subscription row per account, updated in place on renewal."""
    subscription = session.scalars(
        select(Subscription).where(Subscription.account_id == account_id)
    ).first()
    if subscription is None:
        subscription = Subscription(account_id=account_id, expires_at=watch.expires_at)
        session.add(subscription)
    subscription.external_id = watch.external_id
    subscription.expires_at = watch.expires_at
    subscription.client_state = watch.secret
    return subscription


def find_account(session: Session, provider: str, external_id: str) -> Account | None:
    """The connected account a provider knows by external_id (mailbox, Slack team id)."""
    return session.scalars(
        select(Account).where(Account.provider == provider, Account.external_id == external_id)
    ).one_or_none()


def list_accounts(session: Session, org_id: uuid.UUID) -> Sequence[Account]:
    return session.scalars(
        select(Account).where(Account.org_id == org_id).order_by(Account.created_at)
    ).all()


def connect_account(
    session: Session,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    provider: str,
    external_id: str,
    grant: TokenGrant,
) -> uuid.UUID:
    """Create the account, or reconnect it (fresh tokens, active again, cursor kept)."""
    account = find_account(session, provider, external_id)
    if account is None:
        account = Account(org_id=org_id, provider=provider, external_id=external_id)
        session.add(account)
    account.user_id = user_id
    account.access_token = grant.access_token
    account.token_expires_at = grant.expires_at
    account.refresh_token = grant.refresh_token
    account.status = AccountStatus.ACTIVE
    account.status_reason = None
    session.flush()
    return account.id


def get_org_account(session: Session, org_id: uuid.UUID, account_id: uuid.UUID) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.org_id != org_id:
        raise NotFound("connection not found")
    return account


def disconnect_account(session: Session, org_id: uuid.UUID, account_id: uuid.UUID) -> None:
    """Stop syncing and forget the tokens; threads and messages stay."""
    account = get_org_account(session, org_id, account_id)
    account.status = AccountStatus.DISABLED
    account.status_reason = "disconnected by a user"
    account.access_token = account.refresh_token = None
    account.sync_cursor = None
    session.execute(delete(Subscription).where(Subscription.account_id == account_id))


def set_notice_channel(session: Session, org_id: uuid.UUID, channel_id: str) -> None:
    """Where the organization's thread notices go (picked when Slack was installed)."""
    org = session.get(Organization, org_id)
    if org is not None:
        org.slack_channel_id = channel_id
