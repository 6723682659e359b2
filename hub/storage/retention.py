"""Retention: raw bodies and attachments go after N days; derived data stays.

The database decides which keys are expired (the caller queries them); this module
only computes the cutoff and deletes. Objects are content-addressed and shared, so
a key that an expired message and a recent one both reference must be passed in
`keep`, or left out of `keys`, by the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from hub.storage.store import ObjectStore, StorageError

log = structlog.get_logger(__name__)


def retention_cutoff(retention_days: int, now: datetime) -> datetime | None:
    """Objects of messages received before this moment are expired; None keeps all."""
    if retention_days < 0:
        raise ValueError("retention_days must be 0 (keep forever) or positive")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if retention_days == 0:
        return None
    return now - timedelta(days=retention_days)


@dataclass(frozen=True)
class PurgeResult:
    deleted: int = 0
    kept: int = 0
    failed: int = 0
    failed_keys: tuple[str, ...] = ()


def purge(
    store: ObjectStore, keys: Iterable[str], *, keep: Collection[str] = frozenset()
) -> PurgeResult:
    """Delete each key once, skipping those in `keep`; one failure does not stop the rest.

    Deleting is idempotent, so a key already gone counts as deleted and a failed run
    can simply be repeated.
    """
    deleted = kept = 0
    failed_keys: list[str] = []
    for key in dict.fromkeys(keys):  # order-preserving de-duplication
        if key in keep:
            kept += 1
            continue
        try:
            store.delete(key)
        except StorageError as exc:  # InvalidKey included: a bad row must not block the rest
            failed_keys.append(key)
            log.warning("storage.purge.failed", key=key[:100], error=type(exc).__name__)
            continue
        deleted += 1
    failed = len(failed_keys)
    log.info("storage.purge.done", deleted=deleted, kept=kept, failed=failed)
    return PurgeResult(deleted=deleted, kept=kept, failed=failed, failed_keys=tuple(failed_keys))
