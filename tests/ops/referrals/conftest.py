"""Parties to a referral: two plans with a member each, referrers, providers, outsiders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from calaim.ops.models import Member, Organization, OrganizationKind, Role, User
from calaim.ops.referrals.intake import MemberLookup

from ..factories import member, organization, user

# The clock of referral steps that do not test timing (services take `now` explicitly).
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Parties:
    """Who is who in a referral test."""

    plan: Organization
    other_plan: Organization
    member: Member
    other_member: Member
    hospital: User
    provider: Organization
    provider_staff: User
    plan_user: User
    other_plan_user: User
    unrelated_provider: User
    state_analyst: User
    ecm_provider: Organization
    ecm_staff: User
    clinic: User


def lookup(person: Member) -> MemberLookup:
    """How a referrer names `person`: the CIN and birth date on the Medi-Cal card."""
    return MemberLookup(birth_date=person.birth_date, cin=person.cin)


@pytest.fixture
def parties(session: Session) -> Parties:
    """A plan, its member, a referring hospital, a receiving CS provider and outsiders."""
    plan = organization(session, OrganizationKind.PLAN, "PLANA")
    other_plan = organization(session, OrganizationKind.PLAN, "PLANB")
    provider = organization(session, OrganizationKind.CS_PROVIDER)
    ecm_provider = organization(session, OrganizationKind.ECM_PROVIDER)
    return Parties(
        plan=plan,
        other_plan=other_plan,
        member=member(session, plan, "P0000001"),
        other_member=member(session, other_plan, "P0000002"),
        hospital=user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER),
        provider=provider,
        provider_staff=user(session, provider, Role.CS_PROVIDER_STAFF),
        plan_user=user(session, plan, Role.PLAN_CARE_COORDINATION),
        other_plan_user=user(session, other_plan, Role.PLAN_CARE_COORDINATION),
        unrelated_provider=user(
            session, organization(session, OrganizationKind.ECM_PROVIDER), Role.LEAD_CARE_MANAGER
        ),
        state_analyst=user(
            session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST
        ),
        ecm_provider=ecm_provider,
        ecm_staff=user(session, ecm_provider, Role.LEAD_CARE_MANAGER),
        clinic=user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER),
    )
