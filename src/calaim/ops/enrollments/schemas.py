"""Request and response bodies of the enrollments API (Pydantic v2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.enrollments.closure import DueClosure
from calaim.ops.enrollments.outreach import Attempt
from calaim.ops.enrollments.reasons import DiscontinuationReason
from calaim.ops.enrollments.state import allowed_events
from calaim.ops.http.fields import UtcDateTime, bounded
from calaim.ops.models import (
    Acuity,
    Enrollment,
    EnrollmentStatus,
    OutreachAttempt,
    OutreachMethod,
    OutreachOutcome,
)


def local_today(now: dt.datetime) -> dt.date:
    """The California date of a moment (outreach and enrollment dates are local days)."""
    return now.astimezone(local_zone()).date()


class AuthorizationOverrideOut(BaseModel):
    """The plan's override of the ECM authorization requirement."""

    reason: str
    by_user_id: uuid.UUID | None
    at: UtcDateTime | None


def _override_out(enrollment: Enrollment) -> AuthorizationOverrideOut | None:
    if not enrollment.authorization_override_reason:
        return None
    return AuthorizationOverrideOut(
        reason=enrollment.authorization_override_reason,
        by_user_id=enrollment.authorization_override_by_user_id,
        at=enrollment.authorization_override_at,
    )


class EnrollmentOut(BaseModel):
    """One ECM enrollment (the RTF's status, dates, lead care manager and acuity)."""

    id: uuid.UUID
    member_id: uuid.UUID
    plan_organization_id: uuid.UUID
    provider_organization_id: uuid.UUID
    referral_id: uuid.UUID | None
    authorization_id: uuid.UUID | None
    status: EnrollmentStatus
    assignment_reason: str
    assigned_on: dt.date
    outreach_started_on: dt.date | None
    enrolled_on: dt.date | None
    discontinued_on: dt.date | None
    discontinuation_reason_code: str | None
    discontinuation_reason: str | None
    lead_care_manager_user_id: uuid.UUID | None
    acuity: Acuity | None
    authorization_override: AuthorizationOverrideOut | None = Field(
        description="Set when the plan assigned without an ECM authorization in force (or "
        "against the engine's finding): why, who and when."
    )
    version: int
    allowed_events: list[str]


def enrollment_out(enrollment: Enrollment) -> EnrollmentOut:
    """The response body of an enrollment."""
    status = EnrollmentStatus(enrollment.status)
    return EnrollmentOut(
        id=enrollment.id,
        member_id=enrollment.member_id,
        plan_organization_id=enrollment.plan_organization_id,
        provider_organization_id=enrollment.provider_organization_id,
        referral_id=enrollment.referral_id,
        authorization_id=enrollment.authorization_id,
        status=status,
        assignment_reason=enrollment.assignment_reason,
        assigned_on=enrollment.assigned_on,
        outreach_started_on=enrollment.outreach_started_on,
        enrolled_on=enrollment.enrolled_on,
        discontinued_on=enrollment.discontinued_on,
        discontinuation_reason_code=enrollment.discontinuation_reason_code,
        discontinuation_reason=enrollment.discontinuation_reason,
        lead_care_manager_user_id=enrollment.lead_care_manager_user_id,
        acuity=Acuity(enrollment.acuity) if enrollment.acuity else None,
        authorization_override=_override_out(enrollment),
        version=enrollment.version,
        allowed_events=[event.value for event in allowed_events(status)],
    )


class Versioned(BaseModel):
    """An update naming the version it is based on (or send If-Match)."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = None


class EnrollIn(Versioned):
    """The member agreed to ECM."""

    lead_care_manager_user_id: uuid.UUID
    acuity: Acuity
    enrolled_on: dt.date


class DiscontinueIn(Versioned):
    """End the enrollment with a reason code (GET /enrollments/discontinuation-reasons)."""

    reason_code: Annotated[str, bounded(20)]
    discontinued_on: dt.date
    reason: Annotated[str, bounded(2000)] | None = None


class LeadCareManagerIn(Versioned):
    """The enrolled member's new lead care manager."""

    user_id: uuid.UUID


class AcuityIn(Versioned):
    """The enrolled member's acuity level."""

    acuity: Acuity


class AttemptIn(BaseModel):
    """One outreach attempt (the OTF's row)."""

    model_config = ConfigDict(extra="forbid")

    attempted_on: dt.date
    method: OutreachMethod
    successful: bool
    minutes: int = Field(ge=0, le=24 * 60)
    note: Annotated[str, bounded(2000)] | None = None
    outcome: OutreachOutcome | None = None

    def attempt(self) -> Attempt:
        """The service's attempt."""
        return Attempt(**self.model_dump())


class AttemptOut(BaseModel):
    """A recorded outreach attempt."""

    id: uuid.UUID
    enrollment_id: uuid.UUID
    attempted_on: dt.date
    method: OutreachMethod
    successful: bool
    minutes: int
    outcome: OutreachOutcome | None
    note: str | None
    recorded_by_user_id: uuid.UUID


def attempt_out(row: OutreachAttempt) -> AttemptOut:
    """The response body of an outreach attempt."""
    return AttemptOut(
        id=row.id,
        enrollment_id=row.enrollment_id,
        attempted_on=row.attempted_on,
        method=OutreachMethod(row.method),
        successful=row.successful,
        minutes=row.minutes,
        outcome=OutreachOutcome(row.outcome) if row.outcome else None,
        note=row.note,
        recorded_by_user_id=row.recorded_by_user_id,
    )


class DueOut(BaseModel):
    """An enrollment due for unable-to-reach closure."""

    enrollment: EnrollmentOut
    window_days: int
    due_on: dt.date


def due_out(item: DueClosure) -> DueOut:
    """The response body of a due closure."""
    return DueOut(
        enrollment=enrollment_out(item.enrollment),
        window_days=item.window_days,
        due_on=item.due_on,
    )


class ReasonOut(BaseModel):
    """One discontinuation reason code."""

    code: str
    label: str
    recalled: bool
    initiated_by_member: bool
    note: str


def reason_out(reason: DiscontinuationReason) -> ReasonOut:
    """The response body of a reason code."""
    return ReasonOut(**reason.__dict__)
