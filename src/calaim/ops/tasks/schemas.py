"""Response bodies of the tasks API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from calaim.ops.http.fields import UtcDateTime
from calaim.ops.models.task import Task, TaskKind, TaskStatus


class TaskOut(BaseModel):
    """One task of the caller's organization."""

    id: uuid.UUID
    kind: TaskKind
    status: TaskStatus
    subject_type: str
    subject_id: uuid.UUID
    member_id: uuid.UUID | None
    due_at: UtcDateTime
    assignee_user_id: uuid.UUID | None
    team_role: str | None
    closed_at: UtcDateTime | None
    version: int


def task_out(task: Task) -> TaskOut:
    """The response body of a task."""
    return TaskOut(
        id=task.id,
        kind=TaskKind(task.kind),
        status=TaskStatus(task.status),
        subject_type=task.subject_type,
        subject_id=task.subject_id,
        member_id=task.member_id,
        due_at=task.due_at,
        assignee_user_id=task.assignee_user_id,
        team_role=task.team_role,
        closed_at=task.closed_at,
        version=task.version,
    )
