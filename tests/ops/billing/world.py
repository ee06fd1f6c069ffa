"""A small billing world: a plan with contract terms, ECM and CS providers, members enrolled
in ECM and receiving a Community Support, inserted directly (the workflows have their tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    Organization,
    OrganizationKind,
    OutreachAttempt,
    ProviderProfile,
    Role,
    ServiceDelivery,
    ServiceEpisode,
    User,
)
from calaim.ops.models.billing import BillingProfile, EcmEncounter

from .. import factories

NOW = dt.datetime(2025, 11, 5, 17, 0, tzinfo=dt.UTC)


@dataclass
class World:
    """The organizations, users and records of one billing test."""

    plan: Organization
    ecm: Organization
    cs: Organization
    supervisor: User
    lcm: User
    cs_staff: User
    plan_admin: User
    member: Member
    enrollment: Enrollment
    episode: ServiceEpisode


def _provider(session: Session, kind: OrganizationKind, npi: str) -> Organization:
    org = factories.organization(session, kind)
    session.add(
        ProviderProfile(
            organization_id=org.id,
            npi=npi,
            tin="953456789",
            languages=["en"],
            programs_served=[],
            capacity=10,
            contracted_plans=["LACARE"],
        )
    )
    session.add(
        BillingProfile(
            organization_id=org.id,
            address_line="100 Main St",
            city="Los Angeles",
            state="CA",
            zip_code="900121234",
            phone="2135550100",
        )
    )
    return org


def _authorization(
    session: Session, world_plan: Organization, member: Member, provider: Organization, program: str
) -> Authorization:
    auth = Authorization(
        member_id=member.id,
        program_id=program,
        plan_organization_id=world_plan.id,
        provider_organization_id=provider.id,
        urgency="routine",
        status="approved",
        requested_at=NOW,
        decision_due_at=NOW,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2026, 12, 31),
        version=1,
    )
    session.add(auth)
    session.flush()
    return auth


def build_world(session: Session, plan_code: str = "LACARE") -> World:
    """A plan, its providers, one member enrolled in ECM and in recuperative care."""
    plan = factories.organization(session, OrganizationKind.PLAN, plan_code)
    ecm = _provider(session, OrganizationKind.ECM_PROVIDER, "1234567893")
    cs = _provider(session, OrganizationKind.CS_PROVIDER, "1245319599")
    member = factories.member(session, plan, "P0000001")
    member.address_line, member.city, member.zip_code = "1 Elm St", "Los Angeles", "90012"
    ecm_auth = _authorization(session, plan, member, ecm, "ecm")
    cs_auth = _authorization(session, plan, member, cs, "cs.recuperative_care")
    users = [
        factories.user(session, org, role)
        for org, role in (
            (ecm, Role.ECM_SUPERVISOR),
            (ecm, Role.LEAD_CARE_MANAGER),
            (cs, Role.CS_PROVIDER_STAFF),
            (plan, Role.PLAN_ADMIN),
        )
    ]
    enrollment = Enrollment(
        member_id=member.id,
        plan_organization_id=plan.id,
        provider_organization_id=ecm.id,
        authorization_id=ecm_auth.id,
        status="enrolled",
        assignment_reason="matched",
        assigned_on=dt.date(2025, 8, 1),
        outreach_started_on=dt.date(2025, 8, 4),
        enrolled_on=dt.date(2025, 9, 10),
        version=1,
    )
    episode = ServiceEpisode(
        member_id=member.id,
        program_id="cs.recuperative_care",
        authorization_id=cs_auth.id,
        provider_organization_id=cs.id,
        status="open",
        started_on=dt.date(2025, 9, 1),
        version=1,
    )
    session.add_all([enrollment, episode])
    session.flush()
    return World(plan, ecm, cs, *users, member, enrollment, episode)


def deliver(session: Session, world: World, day: dt.date, units: str = "1") -> ServiceDelivery:
    """A recuperative care day delivered."""
    row = ServiceDelivery(
        episode_id=world.episode.id,
        member_id=world.member.id,
        program_id="cs.recuperative_care",
        service_date=day,
        unit="day",
        units=Decimal(units),
        recorded_by_user_id=world.cs_staff.id,
    )
    session.add(row)
    session.flush()
    return row


def outreach(session: Session, world: World, day: dt.date, method: str) -> OutreachAttempt:
    """An outreach attempt on the world's enrollment."""
    row = OutreachAttempt(
        enrollment_id=world.enrollment.id,
        attempted_on=day,
        method=method,
        successful=False,
        minutes=10,
        recorded_by_user_id=world.lcm.id,
        recorded_at=NOW,
    )
    session.add(row)
    session.flush()
    return row


def encounter(
    session: Session,
    world: World,
    day: dt.date,
    mode: str = "in_person",
    staff: str = "non_clinical",
) -> EcmEncounter:
    """An ECM encounter on the world's enrollment."""
    row = EcmEncounter(
        enrollment_id=world.enrollment.id,
        member_id=world.member.id,
        provider_organization_id=world.ecm.id,
        service_date=day,
        mode=mode,
        staff_kind=staff,
        minutes=30,
        recorded_by_user_id=world.lcm.id,
        recorded_at=NOW,
    )
    session.add(row)
    session.flush()
    return row
