"""Every task query. `TaskRepository` reads and writes one organization's tasks (the actor's);
`ClockRepository` reads the records the clocks run on, for the sweep, limited to one
organization when the sweep runs for a signed-in user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from calaim.ops.access.scopes import visible_members
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import (
    Authorization,
    AuthorizationStatus,
    CarePlan,
    Enrollment,
    EnrollmentStatus,
    Member,
    Organization,
    ReentryCase,
    ReentryStatus,
    Referral,
    ReferralTransition,
    Role,
    User,
)
from calaim.ops.models.task import Task, TaskKind, TaskStatus
from calaim.ops.repository_base import Missing, ScopedRepository

UNDECIDED = [AuthorizationStatus.PENDING.value, AuthorizationStatus.PRESUMPTIVE.value]
WAITING_LOOPS = ["received", "accepted", "services_received"]


class TaskNotFound(NotFound):
    """No task with that id belongs to the actor's organization (it may not exist at all)."""


class TaskRepository(ScopedRepository[Task]):
    """The actor's organization's tasks."""

    model = Task
    missing = Missing("task", TaskNotFound)

    def visible(self) -> ColumnElement[bool]:
        """The tasks of the actor's organization."""
        return self._ours()

    def _ours(self) -> ColumnElement[bool]:
        return Task.organization_id == self.actor.organization_id

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
        """Tasks by due date (soonest first, or latest first), and the total."""
        where = self._ours() & (Task.status == status.value)
        if kind is not None:
            where = where & (Task.kind == kind.value)
        if mine_only:
            where = where & (
                (Task.assignee_user_id == self.actor.id)
                | ((Task.assignee_user_id.is_(None)) & self._my_team())
            )
        total = self.session.scalar(select(func.count()).select_from(Task).where(where)) or 0
        rows = self.session.scalars(
            select(Task)
            .where(where)
            .order_by(Task.due_at.desc() if latest_first else Task.due_at, Task.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total)

    def _my_team(self) -> ColumnElement[bool]:
        return or_(Task.team_role.is_(None), Task.team_role == self.actor.role)

    def get(self, task_id: uuid.UUID) -> Task:
        """One of the organization's tasks, or `TaskNotFound` (also for another's)."""
        return self.get_visible(task_id)

    def open_about(self, subject_id: uuid.UUID) -> list[Task]:
        """The organization's open tasks about one record."""
        statement = select(Task).where(
            self._ours(), Task.subject_id == subject_id, Task.status == TaskStatus.OPEN.value
        )
        return list(self.session.scalars(statement))

    def colleague(self, user_id: uuid.UUID) -> User | None:
        """A user of the actor's organization (a task is assigned only within it)."""
        return self.session.scalars(
            select(User).where(
                User.id == user_id,
                User.organization_id == self.actor.organization_id,
                User.role != Role.MEMBER,  # a member's own account is not staff
            )
        ).first()

    def colleagues(self) -> list[User]:
        """The organization's users, by name."""
        return list(
            self.session.scalars(
                select(User)
                .where(User.organization_id == self.actor.organization_id, User.role != Role.MEMBER)
                .order_by(User.name)
            )
        )

    def members(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Member]:
        """The members named by tasks, as far as the actor may see them."""
        if not ids:
            return {}
        rows = self.session.scalars(visible_members(self.actor).where(Member.id.in_(ids)))
        return {m.id: m for m in rows}

    def audit(self, action: str, task: Task | None, details: dict[str, object]) -> None:
        """Record a task action of the actor."""
        record(self.session, self.actor, action, task, details=details)


class ClockRepository:
    """What the clocks run on (the sweep's reads), optionally for one organization."""

    def __init__(self, session: Session, organization_id: uuid.UUID | None = None) -> None:
        self.session = session
        self.organization_id = organization_id

    def _for(self, column: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
        if self.organization_id is None:
            return true()
        return column == self.organization_id

    def undecided_authorizations(self) -> list[Authorization]:
        """Requests still waiting for the plan's decision."""
        statement = select(Authorization).where(
            Authorization.status.in_(UNDECIDED), self._for(Authorization.plan_organization_id)
        )
        return list(self.session.scalars(statement).unique())

    def enrollments(self, status: EnrollmentStatus) -> Iterator[tuple[Enrollment, str | None]]:
        """Enrollments in `status`, each with its plan's code."""
        statement = (
            select(Enrollment, Organization.plan_code)
            .join(Organization, Organization.id == Enrollment.plan_organization_id)
            .where(
                Enrollment.status == status.value,
                self._for(Enrollment.provider_organization_id),
            )
        )
        for row in self.session.execute(statement):
            yield row[0], row[1]

    def care_plans(self, enrollment_ids: list[uuid.UUID]) -> dict[uuid.UUID, CarePlan]:
        """The care plans of these enrollments."""
        if not enrollment_ids:
            return {}
        rows = self.session.scalars(
            select(CarePlan).where(CarePlan.enrollment_id.in_(enrollment_ids))
        )
        return {c.enrollment_id: c for c in rows}

    def waiting_loops(self) -> list[tuple[Referral, dt.datetime, uuid.UUID]]:
        """Open referrals waiting on a step: (referral, its latest step's time, member's plan)."""
        last = (
            select(ReferralTransition.referral_id, func.max(ReferralTransition.at).label("at"))
            .group_by(ReferralTransition.referral_id)
            .subquery()
        )
        statement = (
            select(Referral, last.c.at, Member.plan_organization_id)
            .join(last, last.c.referral_id == Referral.id)
            .join(Member, Member.id == Referral.member_id)
            .where(Referral.status.in_(WAITING_LOOPS))
        )
        if self.organization_id is not None:
            statement = statement.where(
                (Referral.receiving_organization_id == self.organization_id)
                | (Member.plan_organization_id == self.organization_id)
                | (Referral.referring_organization_id == self.organization_id)
            )
        return [(r, at, plan) for r, at, plan in self.session.execute(statement).unique()]

    def reentry_cases(self) -> list[ReentryCase]:
        """Reentry cases not cancelled, whose deadlines the facility or in-reach provider owes."""
        statement = select(ReentryCase).where(ReentryCase.status != ReentryStatus.CANCELLED.value)
        if self.organization_id is not None:
            statement = statement.where(
                (ReentryCase.facility_organization_id == self.organization_id)
                | (ReentryCase.pre_release_provider_id == self.organization_id)
            )
        return list(self.session.scalars(statement).unique())

    def open_swept_tasks(self, kinds: list[str]) -> list[Task]:
        """Open tasks the sweep manages."""
        statement = select(Task).where(
            Task.status == TaskStatus.OPEN.value,
            Task.kind.in_(kinds),
            self._for(Task.organization_id),
        )
        return list(self.session.scalars(statement))

    def existing_keys(self) -> set[tuple[uuid.UUID, str]]:
        """(organization, clock key) of every task ever made (a closed task is not remade)."""
        statement = select(Task.organization_id, Task.clock_key).where(
            self._for(Task.organization_id)
        )
        return {(org, key) for org, key in self.session.execute(statement)}
