"""/api/v1/tasks: tasks the AI proposed (accepted into ClickUp or Notion, or dismissed)
and tasks people write themselves."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from connectors.types import Provider
from db.enums import TaskStatus
from hub.deps import CurrentPrincipal, SessionDep
from hub.tasks import service
from hub.tasks.schemas import AcceptTask, NewTaskIn, TaskOut

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.get("", response_model=list[TaskOut])
def list_tasks(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: TaskStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[TaskOut]:
    tasks = service.list_tasks(session, principal.org_id, status=status, limit=limit)
    return [TaskOut.model_validate(task) for task in tasks]


@router.post("", response_model=TaskOut, status_code=202)
def write_task(request: NewTaskIn, session: SessionDep, principal: CurrentPrincipal) -> TaskOut:
    """Create a task of one's own in the task tool (queued; its link appears once created)."""
    destination = Provider(request.destination) if request.destination else None
    new = service.NewTask(
        title=request.title,
        notes=request.notes,
        due=request.due,
        priority=request.priority,
        assignee=request.assignee,
        link=str(request.link) if request.link else None,
        thread_id=request.thread_id,
    )
    return TaskOut.model_validate(service.write_task(session, principal.org_id, new, destination))


@router.post("/{task_id}/accept", response_model=TaskOut, status_code=202)
def accept_task(
    task_id: uuid.UUID, request: AcceptTask, session: SessionDep, principal: CurrentPrincipal
) -> TaskOut:
    """Queue the task's creation in the task tool; its remote link appears once created."""
    destination = Provider(request.destination) if request.destination else None
    task = service.accept_task(session, principal.org_id, task_id, destination)
    return TaskOut.model_validate(task)


@router.post("/{task_id}/dismiss", response_model=TaskOut)
def dismiss_task(task_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal) -> TaskOut:
    return TaskOut.model_validate(service.dismiss_task(session, principal.org_id, task_id))
