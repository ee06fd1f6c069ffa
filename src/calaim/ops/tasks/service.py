"""Tasks of the actor's organization: the list (mine or everyone's), assign, complete, and the
tasks the utilization-review desk opens (information requested on a pended request)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.models import Authorization, Member, Role, User
from calaim.ops.models.inbox import NotificationKind
from calaim.ops.models.task import Task, TaskKind, TaskStatus
from calaim.ops.notifications.delivery import Event, notify_users
from calaim.ops.tasks.repository import TaskRepository
from calaim.ops.tasks.sweep import SweepResult, sweep


class TaskClosed(Conflict):
    """The task is already done or cancelled."""


class TaskService:
    """Tasks on behalf of one user (every role that works on members has a task list)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = TaskRepository(session, actor)

    def refresh(self, now: dt.datetime) -> SweepResult:
        """Bring the organization's clock tasks up to date at `now`."""
        require(self.actor, Permission.NOTICE_READ)
        return sweep(self.session, now, self.actor.organization_id)

    def page(
        self,
        *,
        mine_only: bool = False,
        status: TaskStatus = TaskStatus.OPEN,
        limit: int = 50,
        offset: int = 0,
        kind: TaskKind | None = None,
        latest_first: bool = False,
    ) -> tuple[list[Task], int]:
        """A page of the organization's tasks (or the actor's and their team's); audited."""
        require(self.actor, Permission.NOTICE_READ)
        rows, total = self.repository.page(
            mine_only=mine_only, status=status, limit=limit, offset=offset, kind=kind,
            latest_first=latest_first,
        )  # fmt: skip
        for task in rows:
            self.repository.audit("task.list", task, {"kind": task.kind})
        self.session.flush()
        return rows, total

    def members_of(self, tasks: list[Task]) -> dict[uuid.UUID, Member]:
        """The members the tasks are about (reads audited with the list)."""
        return self.repository.members({t.member_id for t in tasks if t.member_id})

    def colleagues(self) -> list[User]:
        """Who a task can be assigned to."""
        return self.repository.colleagues()

    def assign(
        self,
        task_id: uuid.UUID,
        *,
        expected_version: int,
        now: dt.datetime,
        user_id: uuid.UUID | None = None,
        team_role: Role | None = None,
    ) -> Task:
        """Give the task to a colleague, or to a team (the organization's users in a role)."""
        require(self.actor, Permission.NOTICE_READ)
        task = self._open(task_id, expected_version)
        if (user_id is None) == (team_role is None):
            raise InvalidRequest("choose one person or one team", field="assignee")
        assignee = self.repository.colleague(user_id) if user_id else None
        if user_id and assignee is None:
            raise InvalidRequest(
                "that person is not in your organization; choose a colleague", field="assignee"
            )
        task.assignee_user_id = assignee.id if assignee else None
        task.team_role = team_role.value if team_role else None
        self.repository.audit("task.assign", task, {"user_id": str(user_id) if user_id else None,
                                                     "team_role": task.team_role})  # fmt: skip
        if assignee is not None and assignee.id != self.actor.id:
            key = f"task:{task.id}:to:{assignee.id}:{task.version}"
            event = Event(NotificationKind.TASK_ASSIGNED, "task", task.id, key, task.member_id)
            notify_users(self.session, [assignee], event, now)
        self.session.flush()
        return task

    def complete(
        self, task_id: uuid.UUID, *, expected_version: int, now: dt.datetime, note: str | None
    ) -> Task:
        """Mark the task done."""
        require(self.actor, Permission.NOTICE_READ)
        task = self._open(task_id, expected_version)
        task.status = TaskStatus.DONE.value
        task.closed_at = now
        task.closed_by_user_id = self.actor.id
        task.note = note or None
        self.repository.audit("task.complete", task, {"note": bool(note)})
        self.session.flush()
        return task

    def information_requested(
        self, authorization: Authorization, due_at: dt.datetime, now: dt.datetime
    ) -> Task:
        """Follow up a pended request: the information is due by `due_at` (the desk calls it)."""
        task = Task(
            organization_id=authorization.plan_organization_id,
            kind=TaskKind.INFORMATION_REQUEST.value,
            subject_type="authorization",
            subject_id=authorization.id,
            member_id=authorization.member_id,
            clock_key=f"information_request:{authorization.id}:{now:%Y%m%dT%H%M%S}",
            due_at=due_at,
            assignee_user_id=self.actor.id,
            status=TaskStatus.OPEN.value,
            created_at=now,
        )
        self.session.add(task)
        self.session.flush()
        self.repository.audit("task.create", task, {"kind": task.kind})
        return task

    def _open(self, task_id: uuid.UUID, expected_version: int) -> Task:
        task = self.repository.get(task_id)
        if task.version != expected_version:
            raise Conflict(
                "someone changed this task since you opened it; reload the page and try again"
            )
        if task.status != TaskStatus.OPEN.value:
            raise TaskClosed("this task is already closed")
        return task

    def finish_for(self, subject_id: uuid.UUID, now: dt.datetime, note: str) -> int:
        """Close the organization's open tasks about `subject_id` (its work was just done)."""
        closed = 0
        for task in self.repository.open_about(subject_id):
            task.status = TaskStatus.DONE.value
            task.closed_at = now
            task.closed_by_user_id = self.actor.id
            task.note = note
            closed += 1
        self.session.flush()
        return closed
