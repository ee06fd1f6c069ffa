"""ECM needs an authorization: assignment, enrollment and a first care plan are refused without
an approved or presumptive ECM authorization covering the day, or a plan override with a reason
(stored with who and when, audited). The engine's not-eligible finding needs a reviewer's
approval or the override."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.assignments.service import AssignmentService
from calaim.ops.care_plans.service import CarePlanService
from calaim.ops.enrollments.coverage import AuthorizationNotInForce, AuthorizationRequired
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.models import (
    Acuity,
    AuditEvent,
    Authorization,
    Enrollment,
    MemberDetermination,
    OutreachMethod,
)

from ..care_plans.test_service import PLAN
from ..enrollments.world import ASSIGNED_ON, World, build_world, noon
from ..factories import ecm_authorization, member

D = dt.date


@pytest.fixture
def bare(session: Session) -> World:
    """The ECM world, with a second member who has no ECM authorization at all."""
    world = build_world(session)
    return World(**{**world.__dict__, "member": member(session, world.plan, "NOAUTH01")})


def assign(
    session: Session, world: World, on: dt.date = ASSIGNED_ON, **extra: object
) -> Enrollment:
    return (
        AssignmentService(session, world.plan_user)
        .assign(world.member.id, today=on, now=noon(on), **extra)  # type: ignore[arg-type]
        .enrollment
    )


def active(session: Session, world: World) -> list[Enrollment]:
    return list(session.scalars(select(Enrollment).where(Enrollment.member_id == world.member.id)))


def not_eligible_for_ecm(session: Session, world: World, as_of: dt.date) -> None:
    # What the engine says of a 3-year-old with no qualifying condition.
    session.add(
        MemberDetermination(
            member_id=world.member.id, program_id="ecm", as_of=as_of, eligible=False,
            status="not_eligible", rule_version="test", policy_hash="test",
        )
    )  # fmt: skip
    session.flush()


def test_no_authorization_is_refused_and_nothing_is_created(session: Session, bare: World) -> None:
    with pytest.raises(AuthorizationRequired, match="No approved or presumptive ECM") as refused:
        assign(session, bare)
    assert refused.value.field == "authorization_override_reason"
    assert active(session, bare) == []
    with pytest.raises(AuthorizationRequired):
        AssignmentService(session, bare.plan_user).override(
            bare.member.id, bare.provider_b.id, why="closer to home", today=ASSIGNED_ON,
            now=noon(ASSIGNED_ON),
        )  # fmt: skip
    assert active(session, bare) == []


def test_an_override_is_stored_with_who_and_when_and_audited(session: Session, bare: World) -> None:
    enrollment = assign(session, bare, authorization_override_reason="  street medicine team  ")
    assert enrollment.authorization_id is None
    assert enrollment.authorization_override_reason == "street medicine team"
    assert enrollment.authorization_override_by_user_id == bare.plan_user.id
    assert enrollment.authorization_override_at == noon(ASSIGNED_ON)
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "enrollment.authorization_override")
    ).all()
    assert event.details["reason"] == "street medicine team"
    assert event.details["overrides"] == [
        f"no approved or presumptive ECM authorization covers {ASSIGNED_ON}"
    ]
    assert event.member_person_id == bare.member.person_id
    # The override carries through enrollment and the first care plan.
    enrolled = enroll(session, bare, enrollment, ASSIGNED_ON)
    assert enrolled.status == "enrolled"
    CarePlanService(session, bare.lcm_a).save(
        enrollment.id, PLAN, expected_version=None, today=ASSIGNED_ON + dt.timedelta(days=10),
        now=noon(ASSIGNED_ON + dt.timedelta(days=10)),
    )  # fmt: skip


def test_a_blank_override_reason_is_no_override(session: Session, bare: World) -> None:
    with pytest.raises(AuthorizationRequired):
        assign(session, bare, authorization_override_reason="   ")


@pytest.mark.parametrize(
    ("on", "ok"),
    [
        (D(2025, 3, 1), True),
        (D(2025, 3, 31), True),
        (D(2025, 4, 1), False),
        (D(2025, 2, 28), False),
    ],
)
def test_an_approved_authorization_covers_its_dates(
    session: Session, bare: World, on: dt.date, ok: bool
) -> None:
    covering = ecm_authorization(session, bare.member, D(2025, 3, 1), D(2025, 3, 31))
    if ok:
        assert assign(session, bare, on).authorization_id == covering.id
        return
    with pytest.raises(AuthorizationRequired):
        assign(session, bare, on)


@pytest.mark.parametrize(("on", "ok"), [(D(2025, 3, 30), True), (D(2025, 3, 31), False)])
def test_a_presumptive_authorization_covers_its_window(
    session: Session, bare: World, on: dt.date, ok: bool
) -> None:
    ecm_authorization(session, bare.member, D(2025, 3, 1), D(2025, 3, 30), status="presumptive")
    if ok:
        assert assign(session, bare, on).authorization_id is not None
        return
    with pytest.raises(AuthorizationRequired):
        assign(session, bare, on)


@pytest.mark.parametrize("status", ["pending", "denied", "withdrawn"])
def test_undecided_or_refused_authorizations_do_not_count(
    session: Session, bare: World, status: str
) -> None:
    named = ecm_authorization(session, bare.member, D(2025, 1, 1), D(2025, 12, 31))
    named.status = status
    session.flush()
    with pytest.raises(AuthorizationRequired):
        assign(session, bare)
    with pytest.raises(AuthorizationNotInForce, match=f"is {status}") as refused:
        assign(session, bare, authorization_id=named.id)
    assert refused.value.field == "authorization_id"


def test_the_engines_not_eligible_finding_needs_a_reviewer_or_an_override(
    session: Session, bare: World
) -> None:
    automatic = ecm_authorization(session, bare.member, D(2025, 1, 1), D(2025, 12, 31))
    not_eligible_for_ecm(session, bare, D(2025, 2, 1))
    with pytest.raises(AuthorizationRequired, match="not eligible for ECM on 2025-02-01"):
        assign(session, bare)
    automatic.decision_basis = "reviewer"  # a person weighed the case and approved
    session.flush()
    assert assign(session, bare).authorization_id == automatic.id


def test_not_eligible_with_an_override_is_recorded(session: Session, bare: World) -> None:
    ecm_authorization(session, bare.member, D(2025, 1, 1), D(2025, 12, 31))
    not_eligible_for_ecm(session, bare, D(2025, 2, 1))
    enrollment = assign(session, bare, authorization_override_reason="clinical judgement")
    assert enrollment.authorization_override_reason == "clinical judgement"
    assert enrollment.authorization_id is not None


def test_a_finding_after_the_day_does_not_count(session: Session, bare: World) -> None:
    ecm_authorization(session, bare.member, D(2025, 1, 1), D(2025, 12, 31))
    not_eligible_for_ecm(session, bare, ASSIGNED_ON + dt.timedelta(days=1))
    assert assign(session, bare).status == "assigned"


def enroll(session: Session, world: World, enrollment: Enrollment, on: dt.date) -> Enrollment:
    attempt = Attempt(attempted_on=on, method=OutreachMethod.PHONE, successful=True, minutes=5)
    OutreachService(session, world.lcm_a).record(enrollment.id, attempt, today=on, now=noon(on))
    return EnrollmentService(session, world.lcm_a).enroll(
        enrollment.id, expected_version=enrollment.version,
        lead_care_manager_user_id=world.lcm_a.id, acuity=Acuity.HIGH, enrolled_on=on, today=on,
        now=noon(on),
    )  # fmt: skip


def test_enrollment_needs_coverage_on_the_enrolled_date(session: Session, bare: World) -> None:
    first = ecm_authorization(session, bare.member, D(2025, 3, 1), D(2025, 3, 31))
    enrollment = assign(session, bare, D(2025, 3, 3))
    assert enrollment.authorization_id == first.id
    with pytest.raises(AuthorizationRequired, match="covers 2025-04-02"):
        enroll(session, bare, enrollment, D(2025, 4, 2))
    assert session.get(Enrollment, enrollment.id).status != "enrolled"  # type: ignore[union-attr]
    renewed = ecm_authorization(session, bare.member, D(2025, 4, 1), D(2025, 9, 30))
    enroll(session, bare, enrollment, D(2025, 4, 2))
    assert enrollment.authorization_id == renewed.id, "the authorization in force is linked"


def test_a_first_care_plan_needs_coverage_today(session: Session, bare: World) -> None:
    authorization = ecm_authorization(session, bare.member, D(2025, 3, 1), D(2025, 3, 31))
    enrollment = enroll(session, bare, assign(session, bare), ASSIGNED_ON)
    later = D(2025, 4, 5)
    with pytest.raises(AuthorizationRequired):
        CarePlanService(session, bare.lcm_a).save(
            enrollment.id, PLAN, expected_version=None, today=later, now=noon(later)
        )
    authorization.end_date = D(2025, 12, 31)
    session.flush()
    created = CarePlanService(session, bare.lcm_a).save(
        enrollment.id, PLAN, expected_version=None, today=later, now=noon(later)
    )
    assert created.enrollment_id == enrollment.id
    assert session.scalars(select(Authorization)).first() is not None
