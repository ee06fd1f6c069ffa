"""Two tenants side by side: two plans, each with members, providers, a referrer, referrals,
determinations and Part 2 consents, so every role's view can be checked against the other's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from calaim.ops.models import (
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Part2Consent,
    Referral,
    Role,
    User,
)

from ..factories import member, organization, user

AS_OF = dt.date(2026, 1, 1)
GRANTED = dt.date(2026, 2, 1)
EXPIRES = dt.date(2026, 6, 30)
REVOKED = dt.date(2026, 4, 15)


@dataclass(frozen=True)
class Tenant:
    """One plan's world."""

    plan: Organization
    plan_user: User
    members: tuple[Member, Member, Member]  # enrolled with ECM, referred to CS, unconnected
    ecm: Organization
    ecm_user: User
    cs: Organization
    cs_user: User
    referrer: User
    referral: Referral


@dataclass(frozen=True)
class World:
    """Two tenants and the state."""

    a: Tenant
    b: Tenant
    state: User


def determination(
    session: Session, person: Member, program_id: str, *, part2: bool = False
) -> MemberDetermination:
    """An eligible determination of `person` for `program_id` as of AS_OF."""
    row = MemberDetermination(
        member_id=person.id,
        program_id=program_id,
        as_of=AS_OF,
        eligible=True,
        offered=True,
        status="eligible",
        rule_version="2026.1",
        policy_hash="sha256:test",
        part2=part2,
    )
    session.add(row)
    return row


def consent(
    session: Session, person: Member, org: Organization, recorder: User, **ends: dt.date
) -> Part2Consent:
    """A Part 2 consent from `person` for `org`, granted on GRANTED."""
    row = Part2Consent(
        member_id=person.id,
        organization_id=org.id,
        granted_on=GRANTED,
        recorded_by_user_id=recorder.id,
        **ends,
    )
    session.add(row)
    return row


def tenant(session: Session, code: str, state_suffix: int) -> Tenant:
    """A plan with three members, an ECM and a CS provider, a referrer and one referral."""
    plan = organization(session, OrganizationKind.PLAN, code)
    members = tuple(member(session, plan, f"{code}{state_suffix}{n:05d}") for n in range(3))
    ecm = organization(session, OrganizationKind.ECM_PROVIDER)
    cs = organization(session, OrganizationKind.CS_PROVIDER)
    referrer = user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER)
    session.add(
        Enrollment(
            member_id=members[0].id,
            plan_organization_id=plan.id,
            provider_organization_id=ecm.id,
            status="enrolled",
            assignment_reason="matched",
            assigned_on=AS_OF,
        )
    )
    referral = Referral(
        member_id=members[1].id,
        program_id="cs.recuperative_care",
        referring_organization_id=referrer.organization_id,
        receiving_organization_id=cs.id,
        source_kind="hospital",
        status="received",
    )
    session.add(referral)
    for person in members:
        determination(session, person, "ecm.homeless_adult")
        determination(session, person, "ecm.smh_sud", part2=True)
    session.flush()
    return Tenant(
        plan=plan,
        plan_user=user(session, plan, Role.PLAN_CARE_COORDINATION),
        members=members,  # type: ignore[arg-type]
        ecm=ecm,
        ecm_user=user(session, ecm, Role.LEAD_CARE_MANAGER),
        cs=cs,
        cs_user=user(session, cs, Role.CS_PROVIDER_STAFF),
        referrer=referrer,
        referral=referral,
    )


@pytest.fixture
def world(session: Session) -> World:
    """Tenants A and B, and a state analyst."""
    a = tenant(session, "PLANA", 1)
    b = tenant(session, "PLANB", 2)
    state = user(session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST)
    return World(a=a, b=b, state=state)
