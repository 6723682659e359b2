"""Read models for the Slack surfaces: an organization's recent threads as ThreadRows."""

from __future__ import annotations

import uuid

from hub.threads.service import list_threads
from hub.wiring import Runtime
from slackapp.blocks.thread_list import ThreadRow

RECENT_LIMIT = 20


def recent_threads(rt: Runtime, org_id: uuid.UUID, *, limit: int = RECENT_LIMIT) -> list[ThreadRow]:
    """A short read-only transaction; the rows leave it as plain values."""
    with rt.sessions.begin() as session:
        return [
            ThreadRow(
                subject=thread.subject,
                category=thread.category,
                priority=thread.priority,
                summary=thread.summary,
                last_message_at=thread.last_message_at,
                message_count=thread.message_count,
            )
            for thread in list_threads(session, org_id, limit=limit)
        ]
