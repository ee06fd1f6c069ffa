"""Every enrollment and outreach query, scoped to the acting user's organization and audited.

Each query starts from `readable()`, whose rule lives in `calaim.ops.access.scopes`. An
enrollment the actor may not see is reported as not found, so an error never reveals it exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from calaim.ops.access.scopes import enrollment_visible
from calaim.ops.audit.service import record
from calaim.ops.enrollments.state import ACTIVE_STATUSES, REACHING_STATUSES
from calaim.ops.errors import NotFound
from calaim.ops.models import (
    AuditEvent,
    CarePlan,
    Enrollment,
    EnrollmentStatus,
    Member,
    OutreachAttempt,
    StatusChange,
    User,
)
from calaim.ops.paging import PageRequest, PageResult, fetch_page
from calaim.ops.repository_base import Missing, ScopedRepository


class EnrollmentNotFound(NotFound):
    """No enrollment with that id is visible to the actor (it may not exist at all)."""


def _values(statuses: frozenset[EnrollmentStatus]) -> list[str]:
    return sorted(status.value for status in statuses)


class EnrollmentRepository(ScopedRepository[Enrollment]):
    """Reads and writes of ECM enrollments and outreach attempts on behalf of one user."""

    model = Enrollment
    names_member = True
    missing = Missing("enrollment", EnrollmentNotFound)

    def visible(self) -> ColumnElement[bool]:
        """Enrollments the actor may see (rules in `calaim.ops.access.scopes`)."""
        return enrollment_visible(self.actor)

    def get(self, enrollment_id: uuid.UUID, *, action: str = "enrollment.read") -> Enrollment:
        """One visible enrollment by id (audited as `action`), or `EnrollmentNotFound`."""
        return self.get_visible(enrollment_id, action=action)

    def page(
        self, *, member_id: uuid.UUID | None = None, limit: int = 50, offset: int = 0
    ) -> list[Enrollment]:
        """One page of visible enrollments, newest assignment first; each one shown is audited."""
        statement = self.readable()
        if member_id is not None:
            statement = statement.where(Enrollment.member_id == member_id)
        statement = statement.order_by(Enrollment.assigned_on.desc(), Enrollment.id)
        enrollments = list(self.session.scalars(statement.limit(limit).offset(offset)).unique())
        for enrollment in enrollments:
            self.audit("enrollment.list", enrollment)
        self.session.flush()
        return enrollments

    def search(
        self,
        page: PageRequest,
        *,
        member_id: uuid.UUID | None = None,
        status: EnrollmentStatus | None = None,
    ) -> PageResult[Enrollment]:
        """One page of visible enrollments with exact-match filters; each one shown is audited."""
        statement = self.readable()
        if member_id is not None:
            statement = statement.where(Enrollment.member_id == member_id)
        if status is not None:
            statement = statement.where(Enrollment.status == status.value)
        order = (Enrollment.assigned_on.desc(), Enrollment.id)
        result = fetch_page(self.session, statement, page, *order)
        for enrollment in result.items:
            self.audit("enrollment.list", enrollment)
        self.session.flush()
        return result

    def caseload(self) -> list[tuple[Enrollment, CarePlan | None, str | None]]:
        """Every visible active enrollment of the actor's organization with its care plan and
        lead care manager's name (a supervisor's caseload; one audit event for the view)."""
        statement = (
            select(Enrollment, CarePlan, User.name)
            .where(enrollment_visible(self.actor))
            .where(Enrollment.provider_organization_id == self.actor.organization_id)
            .where(Enrollment.status.in_(_values(ACTIVE_STATUSES)))
            .outerjoin(CarePlan, CarePlan.enrollment_id == Enrollment.id)
            .outerjoin(User, User.id == Enrollment.lead_care_manager_user_id)
        )
        rows: list[tuple[Enrollment, CarePlan | None, str | None]] = [
            (e, plan, name) for e, plan, name in self.session.execute(statement)
        ]
        record(
            self.session,
            self.actor,
            "enrollment.caseload",
            entity_type="organization",
            entity_id=str(self.actor.organization_id),
            details={"enrollments": len(rows)},
        )
        self.session.flush()
        return rows

    def active_for_member(self, member_id: uuid.UUID) -> Enrollment | None:
        """The member's visible active (not discontinued) enrollment, if any."""
        statement = self.readable().where(
            Enrollment.member_id == member_id,
            Enrollment.status.in_(_values(ACTIVE_STATUSES)),
        )
        return self.session.scalars(statement).unique().first()

    def reaching_without_success(self) -> list[Enrollment]:
        """Visible enrollments still in outreach with no successful attempt yet."""
        reached = exists().where(
            OutreachAttempt.enrollment_id == Enrollment.id,
            OutreachAttempt.successful.is_(True),
        )
        statement = self.readable().where(
            Enrollment.status.in_(_values(REACHING_STATUSES)), ~reached
        )
        return list(self.session.scalars(statement.order_by(Enrollment.assigned_on)).unique())

    def attempts(self, enrollment: Enrollment) -> list[OutreachAttempt]:
        """The outreach attempts of an (already visible) enrollment, oldest first."""
        statement = select(OutreachAttempt).where(OutreachAttempt.enrollment_id == enrollment.id)
        order = (OutreachAttempt.attempted_on, OutreachAttempt.recorded_at)
        return list(self.session.scalars(statement.order_by(*order)))

    def add(self, row: Enrollment | OutreachAttempt) -> None:
        """Insert a new row and flush it (so it has its id and version)."""
        self.session.add(row)
        self.session.flush()

    def history(
        self,
        enrollment: Enrollment,
        from_status: EnrollmentStatus | None,
        to_status: EnrollmentStatus,
        reason: str | None,
        *,
        at: dt.datetime,
    ) -> None:
        """Add the status change row, dated `at` (the caller's clock) and attributed."""
        self.session.add(
            StatusChange(
                entity_type="enrollment",
                entity_id=enrollment.id,
                from_status=from_status.value if from_status else None,
                to_status=to_status.value,
                at=at,
                actor_user_id=self.actor.id,
                reason=reason,
            )
        )

    def audit(
        self, action: str, enrollment: Enrollment, details: dict[str, Any] | None = None
    ) -> AuditEvent:
        """Record `action` on `enrollment`, with the member's person id for the trail."""
        return self._audit_row(action, enrollment, details)

    def audit_member(
        self, action: str, member: Member, details: dict[str, Any] | None = None
    ) -> AuditEvent:
        """Record `action` about a member (e.g. a ranking of providers for them)."""
        return record(self.session, self.actor, action, member, details=dict(details or {}))
