"""Enroll, discontinue, lead care manager, acuity: rules, dates, versions, scope, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.enrollments.reasons import UnknownReasonCode
from calaim.ops.enrollments.repository import EnrollmentNotFound, EnrollmentRepository
from calaim.ops.enrollments.service import (
    EnrollmentService,
    InvalidDate,
    InvalidLeadCareManager,
    NotTheProvider,
    StaleEnrollment,
)
from calaim.ops.enrollments.state import IllegalEnrollmentTransition
from calaim.ops.models import Acuity, AuditEvent, Enrollment, Notice, StatusChange

from .world import ASSIGNED_ON, World, assigned, enrolled, in_outreach, noon

DAY = dt.timedelta(days=1)


def enroll(session: Session, world: World, enrollment: Enrollment, **changes: object) -> Enrollment:
    """Enroll with lead care manager A (overridable)."""
    arguments: dict[str, object] = {
        "expected_version": enrollment.version,
        "lead_care_manager_user_id": world.lcm_a.id,
        "acuity": Acuity.MEDIUM,
        "enrolled_on": ASSIGNED_ON + DAY,
        "today": ASSIGNED_ON + DAY,
        "now": noon(ASSIGNED_ON + DAY),
    }
    arguments.update(changes)
    return EnrollmentService(session, world.lcm_a).enroll(enrollment.id, **arguments)  # type: ignore[arg-type]


def test_enroll_sets_lcm_acuity_and_history(session: Session, world: World) -> None:
    enrollment = enroll(session, world, in_outreach(session, world))
    assert enrollment.status == "enrolled"
    assert enrollment.lead_care_manager_user_id == world.lcm_a.id
    assert enrollment.acuity == "medium"
    assert enrollment.enrolled_on == ASSIGNED_ON + DAY
    last = session.scalars(
        select(StatusChange).where(
            StatusChange.entity_id == enrollment.id, StatusChange.to_status == "enrolled"
        )
    ).one()
    assert (last.from_status, last.actor_user_id) == ("outreach", world.lcm_a.id)


def test_enroll_refused_before_outreach(session: Session, world: World) -> None:
    with pytest.raises(IllegalEnrollmentTransition):
        enroll(session, world, assigned(session, world))


@pytest.mark.parametrize("who", ["lcm_b", "supervisor_a", "plan_user"])
def test_the_lead_care_manager_must_be_an_lcm_of_the_provider(
    session: Session, world: World, who: str
) -> None:
    enrollment = in_outreach(session, world)
    with pytest.raises(InvalidLeadCareManager) as caught:
        enroll(session, world, enrollment, lead_care_manager_user_id=getattr(world, who).id)
    assert caught.value.field == "lead_care_manager_user_id"


def test_enrolled_on_boundaries(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)  # outreach started on ASSIGNED_ON
    with pytest.raises(InvalidDate):
        enroll(session, world, enrollment, enrolled_on=ASSIGNED_ON - DAY)
    with pytest.raises(InvalidDate, match="future"):
        enroll(session, world, enrollment, enrolled_on=ASSIGNED_ON + 2 * DAY)
    assert enroll(session, world, enrollment, enrolled_on=ASSIGNED_ON).enrolled_on == ASSIGNED_ON


def test_only_the_provider_enrolls(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    with pytest.raises(NotTheProvider):
        EnrollmentService(session, world.plan_user).enroll(
            enrollment.id,
            expected_version=enrollment.version,
            lead_care_manager_user_id=world.lcm_a.id,
            acuity=Acuity.LOW,
            enrolled_on=ASSIGNED_ON,
            today=ASSIGNED_ON,
            now=noon(ASSIGNED_ON),
        )


def test_a_stale_version_is_refused(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    with pytest.raises(StaleEnrollment, match="read it again"):
        enroll(session, world, enrollment, expected_version=enrollment.version - 1)


def test_a_concurrent_write_is_caught_at_flush(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    version = enrollment.version
    session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id).values(version=version + 1)
    )
    with pytest.raises(StaleEnrollment):
        enroll(session, world, enrollment, expected_version=version)


@pytest.mark.parametrize("maker", [assigned, in_outreach, enrolled])
def test_discontinue_from_every_active_status(
    session: Session, world: World, maker: object
) -> None:
    enrollment = maker(session, world)  # type: ignore[operator]
    ended = EnrollmentService(session, world.plan_user).discontinue(
        enrollment.id,
        expected_version=enrollment.version,
        reason_code="moved_out_of_area",
        discontinued_on=ASSIGNED_ON,
        today=ASSIGNED_ON,
        now=noon(ASSIGNED_ON),
    )
    assert ended.status == "discontinued"
    assert ended.discontinuation_reason_code == "moved_out_of_area"
    assert ended.discontinuation_reason == "Moved out of the plan's service area"
    notice = session.scalars(
        select(Notice).where(Notice.kind == "ecm_discontinued", Notice.subject_id == enrollment.id)
    ).one()
    assert notice.content["reason_code"] == "moved_out_of_area"
    with pytest.raises(IllegalEnrollmentTransition):
        EnrollmentService(session, world.plan_user).discontinue(
            enrollment.id,
            expected_version=ended.version,
            reason_code="died",
            discontinued_on=ASSIGNED_ON,
            today=ASSIGNED_ON,
            now=noon(ASSIGNED_ON),
        )


def test_discontinue_checks_code_and_dates(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    service = EnrollmentService(session, world.lcm_a)
    common = {
        "expected_version": enrollment.version,
        "today": ASSIGNED_ON + DAY,
        "now": noon(ASSIGNED_ON + DAY),
    }
    with pytest.raises(UnknownReasonCode):
        service.discontinue(enrollment.id, reason_code="x", discontinued_on=ASSIGNED_ON, **common)  # type: ignore[arg-type]
    with pytest.raises(InvalidDate):
        service.discontinue(
            enrollment.id,
            reason_code="died",
            discontinued_on=ASSIGNED_ON - DAY,
            **common,  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidDate):
        service.discontinue(
            enrollment.id,
            reason_code="died",
            discontinued_on=ASSIGNED_ON + 2 * DAY,
            **common,  # type: ignore[arg-type]
        )
    ended = service.discontinue(
        enrollment.id,
        reason_code="goals_met",
        discontinued_on=ASSIGNED_ON,
        reason="graduated",
        **common,  # type: ignore[arg-type]
    )
    assert ended.discontinuation_reason == "graduated"


def test_change_lead_care_manager_and_acuity(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    service = EnrollmentService(session, world.supervisor_a)
    service.change_lead_care_manager(
        enrollment.id,
        expected_version=enrollment.version,
        user_id=world.lcm_a2.id,
        now=noon(ASSIGNED_ON),
    )
    assert enrollment.lead_care_manager_user_id == world.lcm_a2.id
    with pytest.raises(InvalidLeadCareManager):
        service.change_lead_care_manager(
            enrollment.id,
            expected_version=enrollment.version,
            user_id=world.lcm_b.id,
            now=noon(ASSIGNED_ON),
        )
    service.set_acuity(
        enrollment.id, expected_version=enrollment.version, acuity=Acuity.LOW, now=noon(ASSIGNED_ON)
    )
    assert enrollment.acuity == "low"
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(enrollment.id))
    ).all()
    assert "enrollment.lead_care_manager" in actions
    assert "enrollment.acuity" in actions


def test_lcm_and_acuity_need_an_enrolled_member(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    service = EnrollmentService(session, world.lcm_a)
    with pytest.raises(InvalidLeadCareManager, match="enroll the member first"):
        service.set_acuity(
            enrollment.id,
            expected_version=enrollment.version,
            acuity=Acuity.LOW,
            now=noon(ASSIGNED_ON),
        )
    with pytest.raises(InvalidLeadCareManager, match="enroll the member first"):
        service.change_lead_care_manager(
            enrollment.id,
            expected_version=enrollment.version,
            user_id=world.lcm_a.id,
            now=noon(ASSIGNED_ON),
        )


def test_scope_plan_and_provider_see_it_others_do_not(session: Session, world: World) -> None:
    enrollment = assigned(session, world)
    assert EnrollmentService(session, world.plan_user).get(enrollment.id) is enrollment
    assert EnrollmentService(session, world.lcm_a).get(enrollment.id) is enrollment
    for outsider in (world.lcm_b, world.other_plan_user):
        with pytest.raises(EnrollmentNotFound):
            EnrollmentService(session, outsider).get(enrollment.id)
    for no_rows in (world.referrer, world.state_analyst):
        with pytest.raises(PermissionDenied):
            EnrollmentService(session, no_rows).get(enrollment.id)
    assert EnrollmentRepository(session, world.lcm_b).page() == []
    failures = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "enrollment.not_found",
            AuditEvent.entity_id == str(enrollment.id),
        )
    ).all()
    assert len(failures) == 2
