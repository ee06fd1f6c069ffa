"""Care plans API: the enrolled member's care plan, created and revised by the provider.

Thin: parse the request, check the role, call `CarePlanService`, return a schema.
"""

from __future__ import annotations

import uuid

from fastapi import Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.care_plans.schemas import CarePlanIn, CarePlanOut, care_plan_out
from calaim.ops.care_plans.service import CarePlanService
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.http.concurrency import IfMatchHeader, expected_version, integer_version, set_etag
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.routing import DomainRouter

router = DomainRouter(
    prefix="/care-plans",
    tag="care plans",
    description="An enrolled ECM member's assessment and care plan (goals, interventions, "
    "care team, assessment, revision and care conference dates), one per enrollment.",
)


@router.get("/{enrollment_id}", response_model=CarePlanOut)
def get_care_plan(
    enrollment_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> CarePlanOut:
    """The care plan of an enrollment (404 when none yet or not visible)."""
    body = care_plan_out(CarePlanService(session, actor).get(enrollment_id))
    set_etag(response, body.version)
    return body


@router.post("/{enrollment_id}", response_model=CarePlanOut, status_code=201)
def create_care_plan(
    enrollment_id: uuid.UUID,
    body: CarePlanIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> CarePlanOut:
    """Create the care plan of an enrolled member (412 if one exists: revise it with PUT)."""
    require(actor, Permission.CARE_PLAN_WRITE)
    care_plan = CarePlanService(session, actor).save(
        enrollment_id, body.content(), expected_version=None, today=local_today(now), now=now
    )
    created = care_plan_out(care_plan)
    set_etag(response, created.version)
    return created


@router.put("/{enrollment_id}", response_model=CarePlanOut, responses=UPDATE_ERRORS)
def revise_care_plan(
    enrollment_id: uuid.UUID,
    body: CarePlanIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CarePlanOut:
    """Revise the care plan (If-Match); the revision date becomes today."""
    require(actor, Permission.CARE_PLAN_WRITE)
    care_plan = CarePlanService(session, actor).save(
        enrollment_id,
        body.content(),
        expected_version=integer_version(expected_version(if_match, body.version)),
        today=local_today(now),
        now=now,
    )
    revised = care_plan_out(care_plan)
    set_etag(response, revised.version)
    return revised
