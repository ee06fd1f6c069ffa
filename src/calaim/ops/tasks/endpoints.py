"""Tasks API: the caller's organization's tasks from the DHCS clocks, by due date; the
caller's own and their team's, or everyone's. A read changes nothing: `calaim worker` keeps
the tasks up to date (the workspace's task list also refreshes its organization's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from calaim.ops.http.deps import ActorDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models.task import TaskStatus
from calaim.ops.tasks.schemas import TaskOut, task_out
from calaim.ops.tasks.service import TaskService

router = DomainRouter(
    prefix="/tasks",
    tag="tasks",
    description="Tasks with due dates made by the DHCS clocks (authorization decisions, "
    "outreach, care plan revisions, closed loops), assigned to a person or a team.",
)


@router.get("", response_model=Page[TaskOut])
def list_tasks(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    mine: Annotated[bool, Query(description="Only the caller's and their team's.")] = False,
    status: Annotated[TaskStatus, Query()] = TaskStatus.OPEN,
) -> Page[TaskOut]:
    """The organization's tasks, soonest due first."""
    rows, total = TaskService(session, actor).page(
        mine_only=mine, status=status, limit=page.limit, offset=page.offset
    )
    following = page.offset + len(rows)
    return Page[TaskOut](
        items=[task_out(t) for t in rows],
        limit=page.limit,
        offset=page.offset,
        total=total,
        next_offset=following if following < total else None,
    )
