"""A small ECM world for assignment, enrollment and care plan tests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.assignments.service import AssignmentService
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.enrollments.service import EnrollmentService
from calaim.ops.models import (
    Acuity,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    OutreachMethod,
    ProviderProfile,
    Role,
    User,
)

from ..factories import ecm_authorization, member, organization, user

ASSIGNED_ON = dt.date(2025, 3, 3)


def noon(day: dt.date) -> dt.datetime:
    """Noon UTC on `day`: the clock time of a step dated `day` (services take both)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@dataclass(frozen=True)
class World:
    """A plan with a member, two ECM providers and their staff, and outsiders."""

    plan: Organization
    member: Member
    plan_user: User
    plan_um: User
    provider_a: Organization
    provider_b: Organization
    lcm_a: User
    lcm_a2: User
    supervisor_a: User
    lcm_b: User
    other_plan_user: User
    referrer: User
    state_analyst: User


def ecm_provider(
    session: Session,
    *,
    languages: list[str],
    capacity: int,
    plans: list[str] | None = None,
    counties: list[str] | None = None,
    programs: list[str] | None = None,
) -> Organization:
    """An ECM provider organization with its profile."""
    org = organization(session, OrganizationKind.ECM_PROVIDER)
    org.counties_served = counties if counties is not None else ["Los Angeles"]
    session.add(
        ProviderProfile(
            organization_id=org.id,
            npi="1234567893",
            phone="213-555-0100",
            languages=languages,
            programs_served=programs if programs is not None else ["ecm.homeless_adult"],
            capacity=capacity,
            contracted_plans=plans if plans is not None else ["PLANA"],
        )
    )
    session.flush()
    return org


def build_world(session: Session, plan_code: str = "PLANA", other_code: str = "PLANB") -> World:
    """The world every ECM test starts from (HTTP tests pass unique plan codes)."""
    plan = organization(session, OrganizationKind.PLAN, plan_code)
    other_plan = organization(session, OrganizationKind.PLAN, other_code)
    someone = member(session, plan, f"E{uuid.uuid4().hex[:8]}")
    session.add(
        MemberDetermination(
            member_id=someone.id,
            program_id="ecm.homeless_adult",
            as_of=dt.date(2025, 1, 1),
            eligible=True,
            status="eligible",
            rule_version="test",
            policy_hash="test",
        )
    )
    # ECM is authorized (approved) from 2025 through 2026: assignment and enrollment need it.
    ecm_authorization(session, someone)
    provider_a = ecm_provider(session, languages=["es", "en"], capacity=2, plans=[plan_code])
    provider_b = ecm_provider(session, languages=["en"], capacity=5, plans=[plan_code])
    referrer_org = organization(session, OrganizationKind.REFERRER)
    return World(
        plan=plan,
        member=someone,
        plan_user=user(session, plan, Role.PLAN_CARE_COORDINATION),
        plan_um=user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT),
        provider_a=provider_a,
        provider_b=provider_b,
        lcm_a=user(session, provider_a, Role.LEAD_CARE_MANAGER),
        lcm_a2=user(session, provider_a, Role.LEAD_CARE_MANAGER),
        supervisor_a=user(session, provider_a, Role.ECM_SUPERVISOR),
        lcm_b=user(session, provider_b, Role.LEAD_CARE_MANAGER),
        other_plan_user=user(session, other_plan, Role.PLAN_CARE_COORDINATION),
        referrer=user(session, referrer_org, Role.REFERRER),
        state_analyst=user(
            session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST
        ),
    )


def assigned(session: Session, world: World, on: dt.date = ASSIGNED_ON) -> Enrollment:
    """The member assigned (to provider A, the Spanish-speaking one) on `on`."""
    return (
        AssignmentService(session, world.plan_user)
        .assign(world.member.id, today=on, now=noon(on))
        .enrollment
    )


def in_outreach(session: Session, world: World, on: dt.date = ASSIGNED_ON) -> Enrollment:
    """Assigned, then one unsuccessful phone attempt on the same day."""
    enrollment = assigned(session, world, on)
    attempt = Attempt(attempted_on=on, method=OutreachMethod.PHONE, successful=False, minutes=5)
    OutreachService(session, world.lcm_a).record(enrollment.id, attempt, today=on, now=noon(on))
    return enrollment


def enrolled(session: Session, world: World, on: dt.date = ASSIGNED_ON) -> Enrollment:
    """In outreach, then enrolled with lead care manager A on the same day."""
    enrollment = in_outreach(session, world, on)
    return EnrollmentService(session, world.lcm_a).enroll(
        enrollment.id,
        expected_version=enrollment.version,
        lead_care_manager_user_id=world.lcm_a.id,
        acuity=Acuity.HIGH,
        enrolled_on=on,
        today=on,
        now=noon(on),
    )
