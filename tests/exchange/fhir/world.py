"""A small world with fixed ids, so exported Bundles can be compared with golden files."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.models import (
    AssignmentReason,
    CarePlan,
    Enrollment,
    EnrollmentStatus,
    Member,
    Organization,
    OrganizationKind,
    Part2Consent,
    Referral,
    ReferralSource,
    ReferralTransition,
    Role,
    User,
)

NOW = dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC)
RECEIVED = dt.datetime(2025, 9, 2, 9, 30, tzinfo=dt.UTC)


def fixed(n: int) -> uuid.UUID:
    """A readable fixed UUID."""
    return uuid.UUID(f"00000000-0000-4000-8000-{n:012d}")


@dataclass(frozen=True)
class World:
    """Plan, ECM provider, referrer, their users, one member and one accepted ECM referral."""

    plan: Organization
    provider: Organization
    referrer: Organization
    plan_user: User
    provider_user: User
    referrer_user: User
    member: Member
    referral: Referral


def _org(
    session: Session, n: int, kind: OrganizationKind, name: str, code: str | None
) -> Organization:
    org = Organization(id=fixed(n), name=name, kind=kind.value, plan_code=code)
    org.counties_served = ["Los Angeles"]
    session.add(org)
    return org


def _user(session: Session, n: int, org: Organization, role: Role) -> User:
    person = User(
        id=fixed(n),
        organization=org,
        organization_id=org.id,
        email=f"u{n}@example.org",
        name=f"User {n}",
        role=role.value,
    )
    session.add(person)
    return person


def _users(
    session: Session, base: int, plan: Organization, provider: Organization, referrer: Organization
) -> tuple[User, User, User]:
    return (
        _user(session, base + 4, plan, Role.PLAN_CARE_COORDINATION),
        _user(session, base + 5, provider, Role.LEAD_CARE_MANAGER),
        _user(session, base + 6, referrer, Role.REFERRER),
    )


def build(
    session: Session, *, base: int = 0, plan_code: str = "GOLDPLAN", referral: bool = True
) -> World:
    """The world, with ids `fixed(base + 1..)`; flushed, not committed."""
    plan = _org(session, base + 1, OrganizationKind.PLAN, "Golden Health Plan", plan_code)
    provider = _org(session, base + 2, OrganizationKind.ECM_PROVIDER, "Valley ECM", None)
    referrer = _org(session, base + 3, OrganizationKind.REFERRER, "County Hospital", None)
    session.flush()
    member = Member(
        id=fixed(base + 10),
        plan_organization_id=plan.id,
        person_id=f"P{base + 10}",
        cin=f"9{base + 10:07d}A",
        first_name="Ana",
        last_name="Reyes",
        birth_date=dt.date(1970, 5, 17),
        payer=plan_code,
        county="Los Angeles",
        language="es",
        sex="F",
        phone="213-555-0101",
        address_line="1 Main St",
        city="Los Angeles",
        zip_code="90012",
    )
    session.add(member)
    session.flush()
    loop = Referral(
        id=fixed(base + 20),
        member_id=member.id,
        program_id="ecm",
        referring_organization_id=referrer.id,
        receiving_organization_id=provider.id,
        source_kind=ReferralSource.HOSPITAL.value,
        status="accepted",
        reason_codes="frequent ED use",
        received_at=RECEIVED,
        updated_at=RECEIVED,
    )
    if not referral:
        session.flush()
        return World(
            plan, provider, referrer, *_users(session, base, plan, provider, referrer), member, None
        )  # type: ignore[arg-type]
    session.add(loop)
    session.flush()
    for n, (before, after) in enumerate(((None, "received"), ("received", "accepted"))):
        session.add(
            ReferralTransition(
                id=fixed(base + 30 + n),
                referral_id=loop.id,
                from_status=before,
                to_status=after,
                at=RECEIVED + dt.timedelta(days=n),
            )
        )
    session.flush()
    world = World(
        plan, provider, referrer, *_users(session, base, plan, provider, referrer), member, loop
    )
    session.flush()
    return world


def add_care_plan_and_consent(session: Session, world: World, base: int = 0) -> None:
    """An ECM enrollment with a care plan, and a Part 2 consent for the provider."""
    enrollment = Enrollment(
        id=fixed(base + 40),
        member_id=world.member.id,
        plan_organization_id=world.plan.id,
        provider_organization_id=world.provider.id,
        referral_id=world.referral.id,
        status=EnrollmentStatus.ENROLLED.value,
        assignment_reason=AssignmentReason.MATCHED.value,
        assigned_on=dt.date(2025, 9, 5),
        enrolled_on=dt.date(2025, 9, 10),
        updated_at=RECEIVED,
    )
    session.add(enrollment)
    session.flush()
    session.add(
        CarePlan(
            id=fixed(base + 41),
            enrollment_id=enrollment.id,
            latest_revision_on=dt.date(2025, 9, 20),
            goals=[
                {"description": "Stable housing", "target_date": "2026-03-01", "status": "open"}
            ],
            interventions=[{"description": "Housing navigation", "responsible": "LCM"}],
            care_team=[],
            updated_at=RECEIVED,
        )
    )
    session.add(
        Part2Consent(
            id=fixed(base + 42),
            member_id=world.member.id,
            organization_id=world.provider.id,
            granted_on=dt.date(2025, 9, 1),
            recorded_by_user_id=world.provider_user.id,
            recorded_at=RECEIVED,
        )
    )
    session.flush()
