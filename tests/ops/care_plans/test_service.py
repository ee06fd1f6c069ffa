"""Care plans: enrolled members only, the provider writes, the plan reads, versions, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.care_plans.content import CarePlanContent, InvalidCarePlan
from calaim.ops.care_plans.service import (
    CarePlanNotFound,
    CarePlanService,
    NotEnrolled,
    StaleCarePlan,
)
from calaim.ops.enrollments.repository import EnrollmentNotFound
from calaim.ops.models import AuditEvent

from ..enrollments.world import ASSIGNED_ON, World, enrolled, in_outreach, noon

DAY = dt.timedelta(days=1)
TODAY = ASSIGNED_ON + 10 * DAY
PLAN = CarePlanContent(
    assessment_started_on=ASSIGNED_ON + DAY,
    assessment_completed_on=ASSIGNED_ON + 3 * DAY,
    goals=[{"description": "stable housing", "target_date": dt.date(2025, 9, 1), "status": "open"}],
    interventions=[{"description": "housing navigation referral", "responsible": "LCM"}],
    care_team=[{"name": "Rosa", "role": "lead care manager", "contact": "213-555-0101"}],
)


def test_the_provider_creates_and_the_plan_reads(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    care_plan = CarePlanService(session, world.lcm_a).save(
        enrollment.id, PLAN, expected_version=None, today=TODAY, now=noon(TODAY)
    )
    assert care_plan.version == 1
    assert care_plan.latest_revision_on == TODAY
    assert care_plan.goals[0]["target_date"] == "2025-09-01"
    read = CarePlanService(session, world.plan_user).get(enrollment.id)
    assert read is care_plan
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.member_person_id == world.member.person_id)
    ).all()
    assert "care_plan.create" in actions
    assert "care_plan.read" in actions


def test_each_revision_needs_the_current_version_and_moves_the_revision_date(
    session: Session, world: World
) -> None:
    enrollment = enrolled(session, world)
    service = CarePlanService(session, world.lcm_a)
    first = service.save(enrollment.id, PLAN, expected_version=None, today=TODAY, now=noon(TODAY))
    with pytest.raises(StaleCarePlan, match="already has a care plan"):
        service.save(enrollment.id, PLAN, expected_version=None, today=TODAY, now=noon(TODAY))
    with pytest.raises(StaleCarePlan, match="read it again"):
        service.save(
            enrollment.id, PLAN, expected_version=first.version + 1, today=TODAY, now=noon(TODAY)
        )
    later = TODAY + 5 * DAY
    conference = CarePlanContent(**{**PLAN.__dict__, "last_care_conference_on": later})
    revised = service.save(
        enrollment.id, conference, expected_version=1, today=later, now=noon(later)
    )
    assert (revised.version, revised.latest_revision_on) == (2, later)
    assert revised.last_care_conference_on == later
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "care_plan.update",
            AuditEvent.entity_id == str(enrollment.id),
        )
    )
    assert event.one().details["fields"] == ["last_care_conference_on"]


def test_revising_a_missing_care_plan_is_not_found(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    with pytest.raises(CarePlanNotFound):
        CarePlanService(session, world.lcm_a).save(
            enrollment.id, PLAN, expected_version=1, today=TODAY, now=noon(TODAY)
        )
    with pytest.raises(CarePlanNotFound):
        CarePlanService(session, world.plan_user).get(enrollment.id)


def test_only_for_an_enrolled_member(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    with pytest.raises(NotEnrolled):
        CarePlanService(session, world.lcm_a).save(
            enrollment.id, PLAN, expected_version=None, today=TODAY, now=noon(TODAY)
        )


def test_only_the_enrolled_providers_staff_write(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    with pytest.raises(PermissionDenied):
        CarePlanService(session, world.plan_user).save(
            enrollment.id, PLAN, expected_version=None, today=TODAY, now=noon(TODAY)
        )
    with pytest.raises(EnrollmentNotFound):
        CarePlanService(session, world.lcm_b).save(
            enrollment.id, PLAN, expected_version=None, today=TODAY, now=noon(TODAY)
        )
    with pytest.raises(EnrollmentNotFound):
        CarePlanService(session, world.other_plan_user).get(enrollment.id)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assessment_completed_on": ASSIGNED_ON}, "assessment_completed_on"),  # before start
        ({"assessment_started_on": None}, "assessment_started_on"),  # completed, never started
        (
            {"assessment_started_on": TODAY + DAY, "assessment_completed_on": None},
            "assessment_started_on",
        ),  # future
        ({"last_care_conference_on": TODAY + DAY}, "last_care_conference_on"),
        ({"last_care_conference_on": ASSIGNED_ON - DAY}, "last_care_conference_on"),
        ({"goals": [{"description": " "}]}, "goals[0].description"),
        ({"care_team": [{"name": "Rosa"}]}, "care_team[0].role"),
    ],
)
def test_invalid_content_is_refused(
    session: Session, world: World, changes: dict[str, object], field: str
) -> None:
    enrollment = enrolled(session, world)
    content = CarePlanContent(**{**PLAN.__dict__, **changes})  # type: ignore[arg-type]
    with pytest.raises(InvalidCarePlan) as caught:
        CarePlanService(session, world.lcm_a).save(
            enrollment.id, content, expected_version=None, today=TODAY, now=noon(TODAY)
        )
    assert caught.value.field == field


def test_date_boundaries_that_are_allowed(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    same_day = CarePlanContent(
        assessment_started_on=ASSIGNED_ON,  # the day of assignment
        assessment_completed_on=ASSIGNED_ON,  # completed the day it started
        last_care_conference_on=TODAY,  # today itself
    )
    saved = CarePlanService(session, world.lcm_a).save(
        enrollment.id, same_day, expected_version=None, today=TODAY, now=noon(TODAY)
    )
    assert saved.assessment_completed_on == ASSIGNED_ON
