"""Tasks: the AI steps propose them, people accept them or write their own; either way
the outbox then creates the task in the organization's task tool (ClickUp, Notion).

Nothing is created remotely without a person asking for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.types import Provider, RemoteTask
from db.enums import AccountStatus, TaskStatus
from db.models import Account, Task, Thread
from hub.errors import Conflict, NotFound
from hub.outbox.service import TASK_CREATE, add_to_outbox

TASK_TOOLS = (Provider.CLICKUP, Provider.NOTION)
PRIORITIES = ("urgent", "high", "normal", "low")
TOOL_NAMES: dict[str, str] = {Provider.CLICKUP: "ClickUp", Provider.NOTION: "Notion"}


def tool_name(tool: str) -> str:
    """The task tool's name as people write it ("clickup" -> "ClickUp")."""
    return TOOL_NAMES.get(tool, tool)


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


def task_tools(session: Session, org_id: uuid.UUID) -> list[str]:
    """The connected task tools that have a list or database to create tasks in."""
    return sorted(
        tool.provider for tool in _connected_tools(session, org_id) if tool.default_target
    )


def _connected_tools(session: Session, org_id: uuid.UUID) -> Sequence[Account]:
    return session.scalars(
        select(Account).where(
            Account.org_id == org_id,
            Account.provider.in_([str(tool) for tool in TASK_TOOLS]),
            Account.status == AccountStatus.ACTIVE,
        )
    ).all()


def task_tool(session: Session, org_id: uuid.UUID, wanted: Provider | None) -> Account:
    """The connected task tool to use: the one asked for, or the only one connected."""
    tools = _connected_tools(session, org_id)
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
    _queue_creation(session, task, tool)
    return task


@dataclass(frozen=True)
class NewTask:
    """A task a person wrote (Slack's "New task" form, the API), not one the AI found."""

    title: str
    notes: str = ""
    due: date | None = None
    priority: str | None = None  # "urgent", "high", "normal" or "low"
    assignee: str | None = None  # a name, for the notes: tools name people their own way
    link: str | None = None  # where it came from (a Slack message)
    thread_id: uuid.UUID | None = None  # the hub thread it is about, if any


def write_task(
    session: Session, org_id: uuid.UUID, new: NewTask, destination: Provider | None
) -> Task:
    """Store a person's task as accepted and queue its creation in the task tool."""
    tool = task_tool(session, org_id, destination)
    thread = session.get(Thread, new.thread_id) if new.thread_id else None
    thread_id = thread.id if thread is not None and thread.org_id == org_id else None
    task = Task(
        id=uuid.uuid4(),
        org_id=org_id,
        thread_id=thread_id,
        title=new.title,
        notes=new.notes or None,
        due=new.due,
        priority=new.priority if new.priority in PRIORITIES else None,
        assignee=new.assignee,
        link=new.link,
    )
    session.add(task)
    session.flush()
    _queue_creation(session, task, tool)
    return task


def _queue_creation(session: Session, task: Task, tool: Account) -> None:
    thread = session.get(Thread, task.thread_id) if task.thread_id else None
    task.status = TaskStatus.ACCEPTED
    task.destination = tool.provider
    add_to_outbox(
        session,
        org_id=task.org_id,
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
                "priority": task.priority or _priority(thread),
                "link": task.link,
            },
        },
    )


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
    lines = [task.notes] if task.notes else []
    if thread is not None:
        lines.append(f"From the thread: {thread.subject}")
    if task.assignee:
        lines.append(f"Assignee: {task.assignee}")
    return "\n\n".join(lines)[:_NOTES_LIMIT]


def _priority(thread: Thread | None) -> str | None:
    priority = thread.priority if thread else None
    return priority if priority in PRIORITIES else None
