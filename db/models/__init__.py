"""Every model, imported so Base.metadata is complete (the Alembic target)."""

from db.models.ai_result import AIResult
from db.models.company_context import CompanyContext
from db.models.inbound_event import InboundEvent
from db.models.organization import Account, Organization, Subscription, User
from db.models.outbox import Outbox
from db.models.task import Task
from db.models.thread import Attachment, Message, Thread

__all__ = [
    "AIResult",
    "Account",
    "Attachment",
    "CompanyContext",
    "InboundEvent",
    "Message",
    "Organization",
    "Outbox",
    "Subscription",
    "Task",
    "Thread",
    "User",
]
