"""A provider with a profile and the two sample plans whose requirements differ."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from calaim.ops.models import Organization, OrganizationKind, ProviderProfile, Role, User

from ..factories import organization, user

NOW = dt.datetime(2025, 10, 1, 17, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@dataclass(frozen=True)
class Parties:
    """The applicant's supervisor and each plan's administrator."""

    provider: Organization
    supervisor: User
    lacare: User
    healthnet: User
    referrer: User


@pytest.fixture
def parties(session: Session) -> Parties:
    """An ECM provider (profile, no credentials yet) and L.A. Care and Health Net."""
    provider = organization(session, OrganizationKind.ECM_PROVIDER)
    session.add(
        ProviderProfile(
            organization_id=provider.id,
            languages=["en"],
            capacity=5,
            programs_served=["ecm.homeless_adult"],
            contracted_plans=[],
        )
    )
    lacare = organization(session, OrganizationKind.PLAN, "LACARE")
    healthnet = organization(session, OrganizationKind.PLAN, "HEALTHNET")
    hospital = organization(session, OrganizationKind.REFERRER)
    session.flush()
    return Parties(
        provider,
        user(session, provider, Role.ECM_SUPERVISOR),
        user(session, lacare, Role.PLAN_ADMIN),
        user(session, healthnet, Role.PLAN_ADMIN),
        user(session, hospital, Role.REFERRER),
    )
