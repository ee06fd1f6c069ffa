"""Writing and reading an enrolled member's care plan, with optimistic concurrency.

Only staff of the enrolled member's ECM provider write it (care_plan.write); the plan and the
provider read it. Each save is a revision: `latest_revision_on` becomes the explicit `today`.
Every read, write and refusal is audited with the member's person id.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from calaim.ops.access.permissions import Permission, require
from calaim.ops.care_plans.content import CarePlanContent, as_json, validate
from calaim.ops.care_plans.repository import care_plan_of
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.service import NotTheProvider, covered_on
from calaim.ops.errors import Conflict, NotFound, StaleVersion
from calaim.ops.models import CarePlan, Enrollment, EnrollmentStatus, User

FIELDS = (
    "assessment_started_on",
    "assessment_completed_on",
    "last_care_conference_on",
    "assessment",
    "goals",
    "interventions",
    "care_team",
)


class CarePlanNotFound(NotFound):
    """The enrollment has no care plan yet (or the actor may not see the enrollment)."""


class NotEnrolled(Conflict):
    """A care plan is written only for an enrolled member."""


class StaleCarePlan(StaleVersion):
    """The care plan changed since the caller read it (or exists when creating one)."""


class CarePlanService:
    """Care plan reads and revisions on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.enrollments = EnrollmentRepository(session, actor)

    def get(self, enrollment_id: uuid.UUID) -> CarePlan:
        """The care plan of a visible enrollment (audited), or `CarePlanNotFound`."""
        require(self.actor, Permission.ENROLLMENT_READ)
        enrollment = self.enrollments.get(enrollment_id, action="care_plan.read")
        care_plan = self._find(enrollment)
        if care_plan is None:
            raise CarePlanNotFound(
                f"enrollment {enrollment_id} has no care plan yet; the provider creates it"
            )
        return care_plan

    def save(
        self,
        enrollment_id: uuid.UUID,
        content: CarePlanContent,
        *,
        expected_version: int | None,
        today: dt.date,
        now: dt.datetime,
    ) -> CarePlan:
        """Create (`expected_version` None) or revise an enrolled member's care plan at `now`."""
        require(self.actor, Permission.CARE_PLAN_WRITE)
        enrollment = self.enrollments.get(enrollment_id, action="care_plan.read_for_update")
        if self.actor.organization_id != enrollment.provider_organization_id:
            raise NotTheProvider("only staff of the member's ECM provider may write the care plan")
        if enrollment.status != EnrollmentStatus.ENROLLED:
            raise NotEnrolled(
                f"the enrollment is {enrollment.status}; a care plan is written for an enrolled "
                "member, so enroll the member first"
            )
        validate(content, not_before=enrollment.assigned_on, today=today)
        care_plan = self._find(enrollment)
        self._check_version(enrollment_id, care_plan, expected_version)
        created = care_plan is None
        if created:
            # A first care plan needs ECM coverage today, as enrollment did (an ended
            # authorization must be renewed; revisions of an existing plan stay possible).
            covered_on(self.session, enrollment, today)
        if care_plan is None:
            care_plan = CarePlan(enrollment_id=enrollment.id)
            self.session.add(care_plan)
        before = _snapshot(care_plan) if not created else {}
        _apply(care_plan, content, today, now)
        after = _snapshot(care_plan)
        changed = sorted(name for name in FIELDS if before.get(name) != after[name])
        action = "care_plan.create" if created else "care_plan.update"
        self.enrollments.audit(action, enrollment, {"fields": changed, "revised_on": str(today)})
        try:
            self.session.flush()
        except StaleDataError as error:
            raise StaleCarePlan(_stale(enrollment_id, expected_version)) from error
        return care_plan

    def _find(self, enrollment: Enrollment) -> CarePlan | None:
        return care_plan_of(self.session, enrollment.id)

    def _check_version(
        self, enrollment_id: uuid.UUID, care_plan: CarePlan | None, expected: int | None
    ) -> None:
        if care_plan is None and expected is None:
            return
        if care_plan is None:
            raise CarePlanNotFound(
                f"enrollment {enrollment_id} has no care plan to revise; create it without a "
                "version"
            )
        if expected is None:
            raise StaleCarePlan(
                f"enrollment {enrollment_id} already has a care plan (version "
                f"{care_plan.version}); read it and send its version to revise it"
            )
        if care_plan.version != expected:
            raise StaleCarePlan(_stale(enrollment_id, expected, care_plan.version))


def _apply(care_plan: CarePlan, content: CarePlanContent, today: dt.date, now: dt.datetime) -> None:
    care_plan.assessment_started_on = content.assessment_started_on
    care_plan.assessment_completed_on = content.assessment_completed_on
    care_plan.last_care_conference_on = content.last_care_conference_on
    care_plan.assessment = as_json(content.assessment)
    care_plan.goals = as_json(content.goals)
    care_plan.interventions = as_json(content.interventions)
    care_plan.care_team = as_json(content.care_team)
    # Each save is a revision (the RTF's "Date of Latest Care Plan Revision").
    care_plan.latest_revision_on = today
    care_plan.updated_at = now
    # A save at the same clock time with the same content is still a revision: write the row
    # (and so bump its version) even when no value changed.
    flag_modified(care_plan, "updated_at")


def _snapshot(care_plan: CarePlan) -> dict[str, object]:
    return {name: getattr(care_plan, name) for name in FIELDS}


def _stale(enrollment_id: uuid.UUID, expected: int | None, current: int | None = None) -> str:
    now = f" (it is now at version {current})" if current is not None else ""
    return (
        f"the care plan of enrollment {enrollment_id} was changed by someone else since "
        f"version {expected}{now}; read it again and retry"
    )
