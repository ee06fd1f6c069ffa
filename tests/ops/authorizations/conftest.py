"""Parties to an authorization: a plan with sample terms (LACARE), its member, providers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from calaim.ops.models import (
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Role,
    User,
)

from ..factories import member, organization, user

LA = ZoneInfo("America/Los_Angeles")


def at(*args: int) -> dt.datetime:
    """A Los Angeles wall-clock time, as the aware UTC moment services take."""
    return dt.datetime(*args, tzinfo=LA).astimezone(dt.UTC)


@dataclass(frozen=True)
class Parties:
    """Who is who in an authorization test."""

    plan: Organization
    member: Member
    other_member: Member
    um: User
    other_plan_um: User
    care_coordinator: User
    cs_provider: Organization
    cs_staff: User
    ecm_provider: Organization
    lead_care_manager: User
    other_cs_staff: User
    referrer: User


@pytest.fixture
def parties(session: Session) -> Parties:
    """LACARE (its sample authorization terms apply), a member of it and of another plan."""
    plan = organization(session, OrganizationKind.PLAN, "LACARE")
    other_plan = organization(session, OrganizationKind.PLAN, "HEALTHNET")
    cs_provider = organization(session, OrganizationKind.CS_PROVIDER)
    ecm_provider = organization(session, OrganizationKind.ECM_PROVIDER)
    return Parties(
        plan=plan,
        member=member(session, plan, "P0000001"),
        other_member=member(session, other_plan, "P0000002"),
        um=user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT),
        other_plan_um=user(session, other_plan, Role.PLAN_UTILIZATION_MANAGEMENT),
        care_coordinator=user(session, plan, Role.PLAN_CARE_COORDINATION),
        cs_provider=cs_provider,
        cs_staff=user(session, cs_provider, Role.CS_PROVIDER_STAFF),
        ecm_provider=ecm_provider,
        lead_care_manager=user(session, ecm_provider, Role.LEAD_CARE_MANAGER),
        other_cs_staff=user(
            session, organization(session, OrganizationKind.CS_PROVIDER), Role.CS_PROVIDER_STAFF
        ),
        referrer=user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER),
    )


def determination(
    session: Session,
    who: Member,
    program_id: str,
    as_of: dt.date,
    status: str = "eligible",
    offered: bool | None = True,
) -> MemberDetermination:
    """An imported engine determination."""
    row = MemberDetermination(
        member_id=who.id,
        program_id=program_id,
        as_of=as_of,
        eligible=status in {"eligible", "not_offered"},
        offered=offered,
        status=status,
        rule_version="test",
        policy_hash="test",
    )
    session.add(row)
    session.flush()
    return row
