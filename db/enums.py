"""Persisted vocabularies. Changing a value here needs a migration."""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "active"
    NEEDS_REAUTH = "needs_reauth"
    DISABLED = "disabled"


class EventStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    HANDLED = "handled"
    FAILED = "failed"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class TaskStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    CREATED = "created"
    DONE = "done"
    DISMISSED = "dismissed"
    FAILED = "failed"  # the task tool refused it; it can be accepted again
