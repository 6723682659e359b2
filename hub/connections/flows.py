"""Syncing an account: short transactions around the provider calls, never across them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog

from connectors.errors import (
    AuthExpired,
    ConnectorError,
    CursorExpired,
    ProviderUnavailable,
    RateLimited,
)
from connectors.types import ChangeBatch, Credentials, MessageRef, Provider, Watch
from db.enums import AccountStatus
from hub.connections import service
from hub.errors import RetryLater
from hub.events.service import publish_after_commit
from hub.queue import JobName, enqueue_after_commit
from hub.storage import StorageError
from hub.storage.messages import store_message_objects
from hub.threads.service import IngestResult, ingest_messages
from hub.wiring import Runtime

log = structlog.get_logger(__name__)

RENEW_AHEAD = timedelta(days=2)


@dataclass(frozen=True)
class SyncResult:
    new_messages: int
    threads: tuple[uuid.UUID, ...]
    resynced: bool = False


@dataclass(frozen=True)
class _AccountView:
    provider: Provider
    external_id: str
    cursor: str | None
    credentials: Credentials


def sync_account(account_id: uuid.UUID, *, rt: Runtime) -> SyncResult:
    """Fetch what changed since the stored cursor and store it, one account at a time."""
    with rt.locks.hold(f"account:{account_id}", wait_seconds=rt.settings.sync_lock_timeout_seconds):
        try:
            view = _load(account_id, rt=rt)
            if view is None:
                return SyncResult(new_messages=0, threads=())
            return _sync(account_id, view, rt=rt)
        except AuthExpired as exc:
            _needs_reauth(account_id, exc, rt=rt)
            raise
        except (RateLimited, ProviderUnavailable) as exc:
            after = exc.retry_after if isinstance(exc, RateLimited) else None
            raise RetryLater(f"{type(exc).__name__}: {exc}", after=after) from exc


@dataclass(frozen=True)
class MailboxAccess:
    provider: Provider
    address: str
    credentials: Credentials


def mailbox_access(account_id: uuid.UUID, *, rt: Runtime) -> MailboxAccess | None:
    """The account's provider, address and a fresh token; None unless it is active.

    A refresh token the provider refuses marks the account for reauthorization.
    """
    try:
        view = _load(account_id, rt=rt)
    except AuthExpired as exc:
        _needs_reauth(account_id, exc, rt=rt)
        raise
    if view is None:
        return None
    return MailboxAccess(view.provider, view.external_id, view.credentials)


def _needs_reauth(account_id: uuid.UUID, exc: AuthExpired, *, rt: Runtime) -> None:
    with rt.sessions.begin() as session:
        service.mark_needs_reauth(session, account_id, str(exc) or "token rejected")
    log.warning("account.needs_reauth", account_id=str(account_id))


def _load(account_id: uuid.UUID, *, rt: Runtime) -> _AccountView | None:
    with rt.sessions.begin() as session:
        account = service.get_account(session, account_id)
        if account.status != AccountStatus.ACTIVE:
            log.info("account.sync_skipped", account_id=str(account_id), status=account.status)
            return None
        view = _AccountView(
            provider=Provider(account.provider),
            external_id=account.external_id,
            cursor=account.sync_cursor,
            credentials=service.credentials_of(account),
        )
    if service.needs_refresh(view.credentials):
        credentials = _refresh(account_id, view, rt=rt)
        view = _AccountView(view.provider, view.external_id, view.cursor, credentials)
    return view


def _refresh(account_id: uuid.UUID, view: _AccountView, *, rt: Runtime) -> Credentials:
    refresher = rt.registry.token_refresher(view.provider)
    assert view.credentials.refresh_token is not None  # needs_refresh checked it
    grant = refresher.refresh(view.credentials.refresh_token)
    with rt.sessions.begin() as session:
        return service.save_grant(session, account_id, grant)


def _sync(account_id: uuid.UUID, view: _AccountView, *, rt: Runtime) -> SyncResult:
    source = rt.registry.message_source(view.provider)
    limit = rt.settings.resync_message_limit
    resynced = view.cursor is None
    if view.cursor is None:
        batch = source.recent(view.credentials, account=view.external_id, limit=limit)
    else:
        try:
            batch = source.changes_since(
                view.credentials, account=view.external_id, cursor=view.cursor
            )
        except CursorExpired:
            # Bounded resync: the newest messages, never a silent jump past lost ones.
            log.warning("account.cursor_expired", account_id=str(account_id))
            batch = source.recent(view.credentials, account=view.external_id, limit=limit)
            resynced = True
    return _apply(account_id, view, batch, resynced=resynced, rt=rt)


def _apply(
    account_id: uuid.UUID, view: _AccountView, batch: ChangeBatch, *, resynced: bool, rt: Runtime
) -> SyncResult:
    """Fetch, store and commit the batch group by group; the cursor moves with the last."""
    size = rt.settings.sync_group_size
    groups = [batch.added[at : at + size] for at in range(0, len(batch.added), size)] or [()]
    new_messages, threads = 0, dict[uuid.UUID, None]()
    for number, refs in enumerate(groups, start=1):
        cursor = batch.cursor if number == len(groups) else None
        ingested = _apply_group(account_id, view, refs, cursor, rt=rt)
        new_messages += ingested.new_messages
        threads.update(dict.fromkeys(ingested.threads))
    log.info(
        "account.synced",
        account_id=str(account_id),
        new_messages=new_messages,
        threads=len(threads),
        resynced=resynced,
    )
    return SyncResult(new_messages, tuple(threads), resynced)


def _apply_group(
    account_id: uuid.UUID,
    view: _AccountView,
    refs: Sequence[MessageRef],
    cursor: str | None,
    *,
    rt: Runtime,
) -> IngestResult:
    source = rt.registry.message_source(view.provider)
    messages = source.fetch(view.credentials, account=view.external_id, refs=refs)
    try:
        objects = store_message_objects(rt.storage, messages)
    except StorageError as exc:
        raise RetryLater(f"object storage unavailable: {exc}") from exc
    with rt.sessions.begin() as session:
        account = service.get_account(session, account_id)
        ingested = ingest_messages(session, account, messages, objects)
        if cursor is not None:
            service.advance_cursor(session, account_id, cursor)
        for thread_id in ingested.threads:
            enqueue_after_commit(session, JobName.ANALYZE_THREAD, thread_id=str(thread_id))
            publish_after_commit(
                session, account.org_id, "thread.updated", thread_id=str(thread_id)
            )
    return ingested


def ensure_watch(account_id: uuid.UUID, *, rt: Runtime, recreate: bool = False) -> Watch | None:
    """Start or renew the provider's push subscription for one account.

    recreate: the provider removed the subscription, so ask for a new one.
    """
    try:
        view = _load(account_id, rt=rt)
        if view is None:
            return None
        with rt.sessions.begin() as session:
            current = None if recreate else service.current_watch(session, account_id)
        source = rt.registry.message_source(view.provider)
        watch = source.watch(view.credentials, account=view.external_id, current=current)
    except AuthExpired as exc:
        _needs_reauth(account_id, exc, rt=rt)
        return None
    except (RateLimited, ProviderUnavailable) as exc:
        after = exc.retry_after if isinstance(exc, RateLimited) else None
        raise RetryLater(f"{type(exc).__name__}: {exc}", after=after) from exc
    except ConnectorError as exc:
        # Refused for a reason a retry will not fix (Graph could not reach our webhook
        # URL, say): logged for the operator; sync by polling still works meanwhile.
        log.warning("account.watch_failed", account_id=str(account_id), reason=str(exc))
        return None
    with rt.sessions.begin() as session:
        service.record_watch(session, account_id, watch)
    log.info("account.watch_renewed", account_id=str(account_id), expires_at=str(watch.expires_at))
    return watch


def renew_watches(*, rt: Runtime) -> int:
    """Renew every watch that lapses within RENEW_AHEAD (Gmail's last about 7 days)."""
    providers = [str(p) for p in rt.registry.message_sources]
    with rt.sessions.begin() as session:
        due = service.accounts_needing_watch(
            session, providers=providers, renew_before=datetime.now(UTC) + RENEW_AHEAD
        )
    renewed = 0
    for account_id in due:
        try:
            renewed += ensure_watch(account_id, rt=rt) is not None
        except RetryLater as exc:
            # The next run (or the next notification) tries again; the others go on.
            log.warning(
                "account.watch_renewal_deferred", account_id=str(account_id), reason=str(exc)
            )
    return renewed


def disconnect_account(account_id: uuid.UUID, *, org_id: uuid.UUID, rt: Runtime) -> None:
    """Stop the provider's push subscription, then stop syncing and forget the tokens.

    The subscription is cancelled first, while the tokens still work; if that fails the
    disconnect still happens (the subscription lapses on its own) and it is logged.
    """
    with rt.sessions.begin() as session:
        account = service.get_org_account(session, org_id, account_id)
        provider, external_id = Provider(account.provider), account.external_id
        credentials = service.credentials_of(account)
        current = service.current_watch(session, account_id)
    if current is not None and provider in rt.registry.message_sources:
        try:
            rt.registry.message_source(provider).unwatch(
                credentials, account=external_id, current=current
            )
        except ConnectorError as exc:
            log.warning("account.unwatch_failed", account_id=str(account_id), reason=str(exc))
    with rt.sessions.begin() as session:
        service.disconnect_account(session, org_id, account_id)
    log.info("account.disconnected", account_id=str(account_id))
