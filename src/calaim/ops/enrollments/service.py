"""ECM enrollment rules: enroll, discontinue, lead care manager, acuity.

Every step is dated (explicit dates, checked against an explicit `today`), attributed (a
`StatusChange` row) and audited. Record times (status changes, notices, `updated_at`) are the
caller's `now` (the request's clock, the CLI's or the file's), never the machine's. Updates
carry the version the caller last read, so two people acting on the same enrollment cannot
overwrite each other's work unknowingly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from calaim.ops.access.permissions import Permission, require
from calaim.ops.enrollments.coverage import check_coverage, in_force
from calaim.ops.enrollments.notices import discontinuation_notice
from calaim.ops.enrollments.reasons import reason as reason_for
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.state import EnrollmentEvent, next_status
from calaim.ops.enrollments.step_dates import last_step_on
from calaim.ops.errors import Forbidden, InvalidRequest, StaleVersion
from calaim.ops.models import Acuity, Authorization, Enrollment, EnrollmentStatus, Role, User

E = EnrollmentEvent


class StaleEnrollment(StaleVersion):
    """The enrollment changed since the caller read it; re-read it and try again."""


class NotTheProvider(Forbidden):
    """Only staff of the enrollment's ECM provider may take this step."""


class InvalidDate(InvalidRequest):
    """A date is in the future or before the step it follows."""


class InvalidLeadCareManager(InvalidRequest):
    """The named user is not a lead care manager of the enrollment's provider."""


def check_date(value: dt.date, *, field: str, not_before: dt.date, today: dt.date) -> None:
    """Refuse a date after `today` or before `not_before` (the step it follows)."""
    if value > today:
        raise InvalidDate(
            f"{field} {value.isoformat()} is in the future (today is {today.isoformat()}); "
            "record steps on or after the day they happen",
            field=field,
        )
    if value < not_before:
        raise InvalidDate(
            f"{field} {value.isoformat()} is before {not_before.isoformat()}, the enrollment's "
            "previous step; use a date on or after it",
            field=field,
        )


class EnrollmentService:
    """Enrollment rules and state transitions on behalf of one user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = EnrollmentRepository(session, actor)

    def get(self, enrollment_id: uuid.UUID) -> Enrollment:
        """One visible enrollment (audited), or `EnrollmentNotFound`."""
        require(self.actor, Permission.ENROLLMENT_READ)
        return self.repository.get(enrollment_id)

    def for_update(self, enrollment_id: uuid.UUID, expected_version: int | None) -> Enrollment:
        """A visible enrollment about to change, checked against the caller's version."""
        enrollment = self.repository.get(enrollment_id, action="enrollment.read_for_update")
        if expected_version is not None and enrollment.version != expected_version:
            raise StaleEnrollment(_stale(enrollment_id, expected_version, enrollment.version))
        return enrollment

    def enroll(
        self,
        enrollment_id: uuid.UUID,
        *,
        expected_version: int,
        lead_care_manager_user_id: uuid.UUID,
        acuity: Acuity,
        enrolled_on: dt.date,
        today: dt.date,
        now: dt.datetime,
    ) -> Enrollment:
        """The member agreed: enroll with a lead care manager and an acuity level (§2.2)."""
        require(self.actor, Permission.ENROLLMENT_ACT)
        enrollment = self.for_update(enrollment_id, expected_version)
        self._require_provider(enrollment, "enroll the member")
        current = EnrollmentStatus(enrollment.status)
        target = next_status(current, E.ENROLL)
        check_date(
            enrolled_on, field="enrolled_on", not_before=last_step_on(enrollment), today=today
        )
        self._check_lead_care_manager(enrollment, lead_care_manager_user_id)
        covered_on(self.session, enrollment, enrolled_on)
        enrollment.status = target.value
        enrollment.enrolled_on = enrolled_on
        enrollment.lead_care_manager_user_id = lead_care_manager_user_id
        enrollment.acuity = Acuity(acuity).value
        why = "member agreed to ECM"
        return self._changed(enrollment, current, target, why, expected_version, now)

    def discontinue(
        self,
        enrollment_id: uuid.UUID,
        *,
        expected_version: int | None,
        reason_code: str,
        discontinued_on: dt.date,
        today: dt.date,
        now: dt.datetime,
        reason: str | None = None,
    ) -> Enrollment:
        """End an active enrollment with a reason code (§2.6); the member is notified."""
        require(self.actor, Permission.ENROLLMENT_ACT)
        enrollment = self.for_update(enrollment_id, expected_version)
        return self.end(
            enrollment,
            reason_code=reason_code,
            discontinued_on=discontinued_on,
            today=today,
            now=now,
            reason=reason,
            expected_version=expected_version,
        )

    def end(
        self,
        enrollment: Enrollment,
        *,
        reason_code: str,
        discontinued_on: dt.date,
        today: dt.date,
        now: dt.datetime,
        reason: str | None,
        expected_version: int | None,
    ) -> Enrollment:
        """Discontinue an enrollment already read for update (shared with provider changes)."""
        code = reason_for(reason_code)
        current = EnrollmentStatus(enrollment.status)
        target = next_status(current, E.DISCONTINUE)
        check_date(
            discontinued_on,
            field="discontinued_on",
            not_before=last_step_on(enrollment),
            today=today,
        )
        enrollment.status = target.value
        enrollment.discontinued_on = discontinued_on
        enrollment.discontinuation_reason_code = code.code
        enrollment.discontinuation_reason = (reason or "").strip() or code.label
        discontinuation_notice(self.session, enrollment, code.label, now)
        why = f"{code.code}: {enrollment.discontinuation_reason}"
        return self._changed(enrollment, current, target, why, expected_version, now)

    def change_lead_care_manager(
        self,
        enrollment_id: uuid.UUID,
        *,
        expected_version: int,
        user_id: uuid.UUID,
        now: dt.datetime,
    ) -> Enrollment:
        """Name the enrolled member's single lead care manager (§2.2)."""
        require(self.actor, Permission.ENROLLMENT_ACT)
        enrollment = self.for_update(enrollment_id, expected_version)
        self._require_provider(enrollment, "change the lead care manager")
        self._require_enrolled(enrollment, "change the lead care manager")
        self._check_lead_care_manager(enrollment, user_id)
        before = enrollment.lead_care_manager_user_id
        enrollment.lead_care_manager_user_id = user_id
        details = {"from": str(before) if before else None, "to": str(user_id)}
        action = "enrollment.lead_care_manager"
        return self._updated(enrollment, action, details, expected_version, now)

    def set_acuity(
        self, enrollment_id: uuid.UUID, *, expected_version: int, acuity: Acuity, now: dt.datetime
    ) -> Enrollment:
        """Set the enrolled member's acuity level (the RTF's Member Acuity Level)."""
        require(self.actor, Permission.ENROLLMENT_ACT)
        enrollment = self.for_update(enrollment_id, expected_version)
        self._require_provider(enrollment, "set the acuity")
        self._require_enrolled(enrollment, "set the acuity")
        details = {"from": enrollment.acuity, "to": Acuity(acuity).value}
        enrollment.acuity = Acuity(acuity).value
        return self._updated(enrollment, "enrollment.acuity", details, expected_version, now)

    def _require_provider(self, enrollment: Enrollment, what: str) -> None:
        if self.actor.organization_id != enrollment.provider_organization_id:
            raise NotTheProvider(
                f"only staff of the member's assigned ECM provider may {what}; "
                "ask the provider to record it"
            )

    def _require_enrolled(self, enrollment: Enrollment, what: str) -> None:
        if enrollment.status != EnrollmentStatus.ENROLLED:
            raise InvalidLeadCareManager(
                f"cannot {what} on an enrollment that is {enrollment.status}; "
                "enroll the member first",
                field="status",
            )

    def _check_lead_care_manager(self, enrollment: Enrollment, user_id: uuid.UUID) -> None:
        person = self.session.get(User, user_id)
        if (
            person is None
            or person.organization_id != enrollment.provider_organization_id
            or person.role != Role.LEAD_CARE_MANAGER
        ):
            raise InvalidLeadCareManager(
                f"user {user_id} is not a lead care manager of the member's ECM provider; "
                "name a user of that provider with the lead_care_manager role",
                field="lead_care_manager_user_id",
            )

    def _changed(
        self,
        enrollment: Enrollment,
        current: EnrollmentStatus,
        target: EnrollmentStatus,
        why: str,
        expected_version: int | None,
        now: dt.datetime,
    ) -> Enrollment:
        self.repository.history(enrollment, current, target, why, at=now)
        details = {"from": current.value, "to": target.value, "reason": why}
        action = "enrollment." + ("discontinue" if target == "discontinued" else target.value)
        return self._updated(enrollment, action, details, expected_version, now)

    def _updated(
        self,
        enrollment: Enrollment,
        action: str,
        details: Mapping[str, object],
        expected_version: int | None,
        now: dt.datetime,
    ) -> Enrollment:
        enrollment.updated_at = now
        # Every step is a new version (the caller's ETag moves on), even one that changes no
        # value at the same clock time (say, setting the acuity it already has).
        flag_modified(enrollment, "updated_at")
        self.repository.audit(action, enrollment, dict(details))
        flush(self.session, enrollment.id, expected_version)
        return enrollment


def covered_on(session: Session, enrollment: Enrollment, on: dt.date) -> None:
    """Refuse ECM on `on` without an authorization in force or the plan's recorded override.

    The authorization found is linked to the enrollment when none was (a reauthorization
    replaces an ended one).
    """
    found = authorization_covering(
        session,
        enrollment.member_id,
        on,
        linked=enrollment.authorization_id,
        override_reason=enrollment.authorization_override_reason,
    )
    if found is not None:
        enrollment.authorization_id = found


def authorization_covering(
    session: Session,
    member_id: uuid.UUID,
    on: dt.date,
    *,
    linked: uuid.UUID | None,
    override_reason: str | None,
) -> uuid.UUID | None:
    """The ECM authorization letting an enrollment go ahead on `on` (None on an override).

    `linked` is the one the enrollment names; an ended one is passed over for the one in force.
    Raises `AuthorizationRequired` when nothing covers the day and no override is recorded.
    """
    named = session.get(Authorization, linked) if linked else None
    if named is not None and not in_force(named, on):
        named = None  # ended or decided since: look for the one in force now
    coverage = check_coverage(session, member_id, on, named=named, override_reason=override_reason)
    return coverage.authorization.id if coverage.authorization is not None else None


def flush(session: Session, enrollment_id: uuid.UUID, expected_version: int | None) -> None:
    """Flush, turning a concurrent write caught by the version check into `StaleEnrollment`."""
    try:
        session.flush()
    except StaleDataError as error:
        raise StaleEnrollment(_stale(enrollment_id, expected_version, None)) from error


def _stale(enrollment_id: uuid.UUID, expected: int | None, current: int | None) -> str:
    since = f" since version {expected}" if expected is not None else ""
    now = f" (it is now at version {current})" if current is not None else ""
    return (
        f"enrollment {enrollment_id} was changed by someone else{since}{now}; "
        "read it again and retry"
    )
