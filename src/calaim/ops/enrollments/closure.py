"""Unable-to-reach closure: discontinue members not reached within the plan's window (§2.6).

The window (days from assignment with no successful attempt) is a dated term: the plan's
`unable_to_reach_days` in its `ecm` authorization terms, else the statewide default parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.enrollments.reasons import UNABLE_TO_REACH
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.enrollments.terms import unable_to_reach_days
from calaim.ops.models import Enrollment, Organization, User


@dataclass(frozen=True)
class DueClosure:
    """An enrollment whose outreach window has passed with no successful attempt."""

    enrollment: Enrollment
    window_days: int
    due_on: dt.date


class UnreachableClosure:
    """Listing and closing unreachable members on behalf of one (plan or provider) user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = EnrollmentRepository(session, actor)

    def due(self, today: dt.date) -> list[DueClosure]:
        """Visible enrollments due for unable-to-reach closure on `today`, oldest first."""
        require(self.actor, Permission.ENROLLMENT_READ)
        due: list[DueClosure] = []
        for enrollment in self.repository.reaching_without_success():
            plan = self.session.get(Organization, enrollment.plan_organization_id)
            window = unable_to_reach_days(plan.plan_code if plan else None, today)
            # The window counts whole days from assignment: assigned on day 0 with a 90-day
            # window, the member is unreachable from day 90 on.
            due_on = enrollment.assigned_on + dt.timedelta(days=window)
            if today >= due_on:
                due.append(DueClosure(enrollment, window, due_on))
        for item in due:
            self.repository.audit("enrollment.unreachable_due", item.enrollment)
        self.session.flush()
        return due

    def close(self, today: dt.date, *, now: dt.datetime) -> list[Enrollment]:
        """Discontinue every due enrollment as unable to reach, dated `today` (recorded `now`)."""
        require(self.actor, Permission.ENROLLMENT_ACT)
        service = EnrollmentService(self.session, self.actor)
        closed: list[Enrollment] = []
        for item in self.due(today):
            reason = f"no successful outreach attempt within {item.window_days} days of assignment"
            closed.append(
                service.end(
                    item.enrollment,
                    reason_code=UNABLE_TO_REACH,
                    discontinued_on=today,
                    today=today,
                    now=now,
                    reason=reason,
                    expected_version=None,
                )
            )
        return closed
