"""Enrollments API: read, enroll, discontinue, lead care manager, acuity, outreach, closure.

Thin: parse the request, check the role, call the services, return a schema (docs/api.md).
Dates the services check against "today" use the California date of the request's clock.
"""

from __future__ import annotations

import uuid

from fastapi import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.enrollments.closure import UnreachableClosure
from calaim.ops.enrollments.outreach import OutreachService
from calaim.ops.enrollments.reasons import discontinuation_reasons
from calaim.ops.enrollments.repository import EnrollmentRepository
from calaim.ops.enrollments.schemas import (
    AcuityIn,
    AttemptIn,
    AttemptOut,
    DiscontinueIn,
    DueOut,
    EnrollIn,
    EnrollmentOut,
    LeadCareManagerIn,
    ReasonOut,
    attempt_out,
    due_out,
    enrollment_out,
    local_today,
    reason_out,
)
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.http.concurrency import IfMatchHeader, expected_version, integer_version, set_etag
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import Enrollment, EnrollmentStatus

router = DomainRouter(
    prefix="/enrollments",
    tag="enrollments",
    description="ECM episodes from assignment to discharge: outreach attempts (the OTF), "
    "enrollment with a lead care manager and acuity, discontinuation with a reason code, "
    "unable-to-reach closure.",
)


def _answer(response: Response, enrollment: Enrollment) -> EnrollmentOut:
    body = enrollment_out(enrollment)
    set_etag(response, body.version)
    return body


@router.get("/discontinuation-reasons", response_model=list[ReasonOut])
def list_reasons(actor: ActorDep) -> list[ReasonOut]:
    """The discontinuation reason codes (policy data; `recalled` marks unconfirmed facts)."""
    require(actor, Permission.ENROLLMENT_READ)
    return [reason_out(reason) for reason in discontinuation_reasons().values()]


@router.get("/unreachable", response_model=list[DueOut])
def list_unreachable(actor: ActorDep, session: SessionDep, now: NowDep) -> list[DueOut]:
    """Enrollments whose outreach window has passed with no successful attempt."""
    due = UnreachableClosure(session, actor).due(local_today(now))
    return [due_out(item) for item in due]


@router.post("/unreachable/close", response_model=list[EnrollmentOut])
def close_unreachable(actor: ActorDep, session: SessionDep, now: NowDep) -> list[EnrollmentOut]:
    """Discontinue every due enrollment as unable to reach, dated today."""
    closed = UnreachableClosure(session, actor).close(local_today(now), now=now)
    return [enrollment_out(enrollment) for enrollment in closed]


@router.get("", response_model=Page[EnrollmentOut])
def list_enrollments(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    member_id: uuid.UUID | None = None,
    status: EnrollmentStatus | None = None,
) -> Page[EnrollmentOut]:
    """Enrollments the caller may see (plans: their members'; providers: their own)."""
    require(actor, Permission.ENROLLMENT_READ)
    result = EnrollmentRepository(session, actor).search(page, member_id=member_id, status=status)
    return page_of(result, page, enrollment_out)


@router.get("/{enrollment_id}", response_model=EnrollmentOut)
def get_enrollment(
    enrollment_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> EnrollmentOut:
    """One enrollment; one the caller may not see is 404, exactly like a missing one."""
    return _answer(response, EnrollmentService(session, actor).get(enrollment_id))


@router.post("/{enrollment_id}/enroll", response_model=EnrollmentOut, responses=UPDATE_ERRORS)
def enroll(
    enrollment_id: uuid.UUID,
    body: EnrollIn,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: IfMatchHeader = None,
) -> EnrollmentOut:
    """The member agreed: enrolled with a lead care manager and an acuity level."""
    require(actor, Permission.ENROLLMENT_ACT)
    enrollment = EnrollmentService(session, actor).enroll(
        enrollment_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        lead_care_manager_user_id=body.lead_care_manager_user_id,
        acuity=body.acuity,
        enrolled_on=body.enrolled_on,
        today=local_today(now),
        now=now,
    )
    return _answer(response, enrollment)


@router.post("/{enrollment_id}/discontinue", response_model=EnrollmentOut, responses=UPDATE_ERRORS)
def discontinue(
    enrollment_id: uuid.UUID,
    body: DiscontinueIn,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: IfMatchHeader = None,
) -> EnrollmentOut:
    """End the enrollment with a reason code; the member is notified."""
    require(actor, Permission.ENROLLMENT_ACT)
    enrollment = EnrollmentService(session, actor).discontinue(
        enrollment_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        reason_code=body.reason_code,
        discontinued_on=body.discontinued_on,
        today=local_today(now),
        now=now,
        reason=body.reason,
    )
    return _answer(response, enrollment)


@router.post(
    "/{enrollment_id}/lead-care-manager", response_model=EnrollmentOut, responses=UPDATE_ERRORS
)
def change_lead_care_manager(
    enrollment_id: uuid.UUID,
    body: LeadCareManagerIn,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: IfMatchHeader = None,
) -> EnrollmentOut:
    """Name the enrolled member's single lead care manager."""
    require(actor, Permission.ENROLLMENT_ACT)
    enrollment = EnrollmentService(session, actor).change_lead_care_manager(
        enrollment_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        user_id=body.user_id,
        now=now,
    )
    return _answer(response, enrollment)


@router.post("/{enrollment_id}/acuity", response_model=EnrollmentOut, responses=UPDATE_ERRORS)
def set_acuity(
    enrollment_id: uuid.UUID,
    body: AcuityIn,
    actor: ActorDep,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: IfMatchHeader = None,
) -> EnrollmentOut:
    """Set the enrolled member's acuity level."""
    require(actor, Permission.ENROLLMENT_ACT)
    enrollment = EnrollmentService(session, actor).set_acuity(
        enrollment_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        acuity=body.acuity,
        now=now,
    )
    return _answer(response, enrollment)


@router.get("/{enrollment_id}/outreach-attempts", response_model=list[AttemptOut])
def list_attempts(
    enrollment_id: uuid.UUID, actor: ActorDep, session: SessionDep
) -> list[AttemptOut]:
    """The enrollment's outreach attempts, oldest first."""
    return [attempt_out(row) for row in OutreachService(session, actor).attempts(enrollment_id)]


@router.post("/{enrollment_id}/outreach-attempts", response_model=AttemptOut, status_code=201)
def record_attempt(
    enrollment_id: uuid.UUID, body: AttemptIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> AttemptOut:
    """Record an outreach attempt (assigned provider only); the first one starts outreach."""
    require(actor, Permission.OUTREACH_RECORD)
    row = OutreachService(session, actor).record(
        enrollment_id, body.attempt(), today=local_today(now), now=now
    )
    return attempt_out(row)
