"""Assignments API: rank providers, assign, override, member-requested change (plan only).

Thin: parse the request, check the role, call `AssignmentService`, return a schema.
"""

from __future__ import annotations

import uuid

from fastapi import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.assignments.schemas import (
    AssignIn,
    AssignmentOut,
    OverrideIn,
    ProviderChangeIn,
    RankingOut,
    ranking_out,
)
from calaim.ops.assignments.service import AssignmentService
from calaim.ops.enrollments.schemas import EnrollmentOut, enrollment_out, local_today
from calaim.ops.http.concurrency import IfMatchHeader, expected_version, integer_version, set_etag
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.routing import DomainRouter

router = DomainRouter(
    prefix="/assignments",
    tag="assignments",
    description="The plan assigns each ECM member to a contracted provider: an explainable "
    "ranking (county, contract, capacity, language, populations, continuity first), plan "
    "overrides and member-requested changes; each sends the closed-loop notices.",
)


@router.get("/ranking", response_model=RankingOut)
def rank_providers(
    member_id: uuid.UUID, actor: ActorDep, session: SessionDep, now: NowDep
) -> RankingOut:
    """Rank the ECM providers for a member, with reasons, without assigning."""
    require(actor, Permission.ASSIGNMENT_MANAGE)
    ranking = AssignmentService(session, actor).propose(member_id, today=local_today(now))
    return ranking_out(ranking)


@router.post("", response_model=AssignmentOut, status_code=201)
def assign(
    body: AssignIn, actor: ActorDep, session: SessionDep, now: NowDep, response: Response
) -> AssignmentOut:
    """Assign the best-ranked provider (409 when the member is assigned or none can serve)."""
    require(actor, Permission.ASSIGNMENT_MANAGE)
    result = AssignmentService(session, actor).assign(
        body.member_id,
        today=local_today(now),
        now=now,
        referral_id=body.referral_id,
        authorization_id=body.authorization_id,
        authorization_override_reason=body.authorization_override_reason,
    )
    set_etag(response, result.enrollment.version)
    return AssignmentOut(
        enrollment=enrollment_out(result.enrollment), ranking=ranking_out(result.ranking)
    )


@router.post("/override", response_model=EnrollmentOut, status_code=201)
def override(
    body: OverrideIn, actor: ActorDep, session: SessionDep, now: NowDep, response: Response
) -> EnrollmentOut:
    """Assign the provider the plan names; it must serve the member's county and plan."""
    require(actor, Permission.ASSIGNMENT_MANAGE)
    enrollment = AssignmentService(session, actor).override(
        body.member_id,
        body.provider_organization_id,
        why=body.why,
        today=local_today(now),
        now=now,
        referral_id=body.referral_id,
        authorization_id=body.authorization_id,
        authorization_override_reason=body.authorization_override_reason,
    )
    set_etag(response, enrollment.version)
    return enrollment_out(enrollment)


@router.post(
    "/provider-change", response_model=EnrollmentOut, status_code=201, responses=UPDATE_ERRORS
)
def change_provider(
    body: ProviderChangeIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> EnrollmentOut:
    """End the current enrollment at the member's request and assign the named provider."""
    require(actor, Permission.ASSIGNMENT_MANAGE)
    enrollment = AssignmentService(session, actor).change_provider(
        body.member_id,
        body.provider_organization_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        today=local_today(now),
        now=now,
        note=body.note,
        authorization_override_reason=body.authorization_override_reason,
    )
    set_etag(response, enrollment.version)
    return enrollment_out(enrollment)
