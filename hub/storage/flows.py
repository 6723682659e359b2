"""Retention: purge raw messages and attachments older than RETENTION_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from hub.storage import service
from hub.storage.retention import purge, retention_cutoff
from hub.wiring import Runtime

log = structlog.get_logger(__name__)


def purge_expired_objects(*, rt: Runtime) -> int:
    """Delete expired objects no newer message shares; returns how many were deleted."""
    cutoff = retention_cutoff(rt.settings.retention_days, datetime.now(UTC))
    if cutoff is None:
        return 0
    with rt.sessions.begin() as session:
        keys = service.expired_keys(session, cutoff)
        keep = service.still_needed(session, keys, cutoff) if keys else set()
    result = purge(rt.storage, keys, keep=frozenset(keep))
    deleted = set(keys) - keep - set(result.failed_keys)
    with rt.sessions.begin() as session:
        service.forget_keys(session, deleted | keep, cutoff)
    return len(deleted)
