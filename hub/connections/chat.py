"""Taking a chat event (a Slack message posted, edited or deleted) into the threads.

Unlike mail, the delivery carries the message: there is nothing to sync. The
connector names the people and the channel (network, outside any transaction), then
one short transaction, under the account's lock, applies the change and queues the
thread's analysis.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy.orm import Session

from connectors.errors import ProviderUnavailable, RateLimited
from connectors.types import ChatChange, ChatChangeKind, Provider
from db.enums import AccountStatus
from db.models import Account
from hub.connections import service
from hub.errors import RetryLater
from hub.events.service import publish_after_commit
from hub.queue import JobName, enqueue_after_commit
from hub.threads.service import edit_message, forget_message, ingest_messages
from hub.wiring import Runtime

log = structlog.get_logger(__name__)


def take_chat_event(account_id: uuid.UUID, event: Mapping[str, Any], *, rt: Runtime) -> bool:
    """Apply one chat event to its account's threads; False when it changes nothing."""
    with rt.sessions.begin() as session:
        account = service.get_account(session, account_id)
        if account.status != AccountStatus.ACTIVE:
            log.info("chat.skipped", account_id=str(account_id), status=account.status)
            return False
        provider = Provider(account.provider)
        token = service.credentials_of(account).access_token or ""
    try:
        change = rt.registry.chat_source(provider).read_event(token, event)
    except (RateLimited, ProviderUnavailable) as exc:
        after = exc.retry_after if isinstance(exc, RateLimited) else None
        raise RetryLater(f"{type(exc).__name__}: {exc}", after=after) from exc
    if change is None:
        return False
    # A reply taken beside its root would otherwise start a second thread for it.
    lock = rt.locks.hold(
        f"account:{account_id}", wait_seconds=rt.settings.sync_lock_timeout_seconds
    )
    with lock, rt.sessions.begin() as session:
        account = service.get_account(session, account_id)
        applied = _apply(session, account, change)
        if applied is None:
            return False
        thread_id, analyze = applied
        if analyze:
            enqueue_after_commit(session, JobName.ANALYZE_THREAD, thread_id=str(thread_id))
        publish_after_commit(session, account.org_id, "thread.updated", thread_id=str(thread_id))
    log.info("chat.applied", account_id=str(account_id), kind=str(change.kind))
    return True


def _apply(session: Session, account: Account, change: ChatChange) -> tuple[uuid.UUID, bool] | None:
    """The thread the change touched and whether it has anything left to analyze."""
    if change.kind is ChatChangeKind.DELETED:
        thread = forget_message(session, account, change.provider_id)
        return (thread.id, thread.message_count > 0) if thread is not None else None
    assert change.message is not None  # posted and edited changes carry their message
    if change.kind is ChatChangeKind.EDITED:
        thread_id = edit_message(session, account, change.message)
    else:
        thread_id = next(iter(ingest_messages(session, account, [change.message]).threads), None)
    return (thread_id, True) if thread_id is not None else None
