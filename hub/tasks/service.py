"""Tasks proposed by the AI steps: accepting one queues its creation in a task tool.

Nothing is created remotely without a person accepting it; the outbox then delivers
it exactly once per task and tool.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.types import Provider, RemoteTask
from db.enums import AccountStatus, TaskStatus
from db.models import Account, Task, Thread
from hub.errors import Conflict, NotFound
from hub.outbox.service import TASK_CREATE, add_to_outbox

TASK_TOOLS = (Provider.CLICKUP, Provider.NOTION)
_NOTES_LIMIT = 4000


def list_tasks(
    session: Session, org_id: uuid.UUID, *, status: TaskStatus | None = None, limit: int = 100
) -> Sequence[Task]:
    query = select(Task).where(Task.org_id == org_id)
    if status is not None:
        query = query.where(Task.status == status)
    return session.scalars(query.order_by(Task.created_at.desc()).limit(limit)).all()


def get_task(
    session: Session, org_id: uuid.UUID, task_id: uuid.UUID, *, for_update: bool = False
) -> Task:
    task = session.get(Task, task_id, with_for_update=for_update)
    if task is None or task.org_id != org_id:
        raise NotFound("task not found")
    return task


def task_tool(session: Session, org_id: uuid.UUID, wanted: Provider | None) -> Account:
    """The connected task tool to use: the one asked for, or the only one connected."""
    tools = session.scalars(
        select(Account).where(
            Account.org_id == org_id,
            Account.provider.in_([str(tool) for tool in TASK_TOOLS]),
            Account.status == AccountStatus.ACTIVE,
        )
    ).all()
    chosen = [tool for tool in tools if wanted is None or tool.provider == wanted]
    if not chosen:
        raise Conflict(f"no connected task tool{f' {wanted}' if wanted else ''}")
    if len(chosen) > 1:
        raise Conflict("several task tools are connected: say which one (destination)")
    if not chosen[0].default_target:
        raise Conflict(f"{chosen[0].provider} has no list or database to create tasks in")
    return chosen[0]


def accept_task(
    session: Session, org_id: uuid.UUID, task_id: uuid.UUID, destination: Provider | None
) -> Task:
    """Mark the task accepted and queue its creation; accepting twice is refused."""
    # Locked so that two clicks on "accept" cannot queue the task twice.
    task = get_task(session, org_id, task_id, for_update=True)
    if task.status not in (TaskStatus.PROPOSED, TaskStatus.FAILED):
        raise Conflict(f"task is already {task.status}")
    tool = task_tool(session, org_id, destination)
    thread = session.get(Thread, task.thread_id)
    task.status = TaskStatus.ACCEPTED
    task.destination = tool.provider
    add_to_outbox(
        session,
        org_id=org_id,
        kind=TASK_CREATE,
        idempotency_key=f"task:{task.id}:{uuid.uuid4()}",  # a retry after a failure is new
        payload={
            "task_id": str(task.id),
            "destination": tool.provider,
            "target": tool.default_target,
            "draft": {
                "title": task.title,
                "notes": _notes(task, thread),
                "due": task.due.isoformat() if task.due else None,
                "priority": _priority(thread),
            },
        },
    )
    return task


def dismiss_task(session: Session, org_id: uuid.UUID, task_id: uuid.UUID) -> Task:
    task = get_task(session, org_id, task_id)
    if task.status != TaskStatus.PROPOSED:
        raise Conflict(f"task is already {task.status}")
    task.status = TaskStatus.DISMISSED
    return task


def mark_failed(session: Session, task_id: uuid.UUID) -> None:
    """The tool refused the task for good; it can be accepted again (e.g. another tool)."""
    task = session.get(Task, task_id)
    if task is not None:
        task.status = TaskStatus.FAILED


def mark_created(session: Session, task_id: uuid.UUID, remote: RemoteTask) -> None:
    task = session.get(Task, task_id)
    if task is not None:
        task.status = TaskStatus.CREATED
        task.remote_id = remote.remote_id
        task.remote_url = remote.url


def _notes(task: Task, thread: Thread | None) -> str:
    lines = [f"From the email thread: {thread.subject}"] if thread else []
    if task.assignee:
        lines.append(f"Assignee mentioned: {task.assignee}")
    return "\n".join(lines)[:_NOTES_LIMIT]


def _priority(thread: Thread | None) -> str | None:
    priority = thread.priority if thread else None
    return priority if priority in ("urgent", "high", "normal", "low") else None
