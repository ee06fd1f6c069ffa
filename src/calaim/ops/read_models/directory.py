"""The provider directory: organizations, profiles, and how many members each holds now.

Directory data, not member data: like assignment (`calaim.ops.assignments.repository`) it is
read by everyone unscoped, and only counts of members held are read, never whose they are.
`calaim.reports.directory` (whom to refer to) and the HSDS export shape what this returns.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.enrollments.state import ACTIVE_STATUSES
from calaim.ops.models import (
    Enrollment,
    EpisodeStatus,
    Organization,
    OrganizationKind,
    ProviderProfile,
    ServiceEpisode,
)

PROVIDER_KINDS = (OrganizationKind.ECM_PROVIDER.value, OrganizationKind.CS_PROVIDER.value)


@dataclass(frozen=True)
class Provider:
    """A provider as the directory shows it, with the members it holds now."""

    organization_id: uuid.UUID
    name: str
    kind: str
    phone: str | None
    counties: frozenset[str]
    programs: frozenset[str]
    contracted_plans: frozenset[str]
    languages: tuple[str, ...]
    capacity: int
    held: int  # ECM members assigned/in outreach/enrolled, plus open CS episodes
    # What the provider itself last reported (web: "Our capacity"); None when never given.
    beds_available: int | None = None
    waitlist: int | None = None
    capacity_updated_at: dt.datetime | None = None
    # Groups of people its profile says it serves (`ops/providers/populations.py`).
    populations: frozenset[str] = frozenset()

    @property
    def open_capacity(self) -> int:
        """Members it can still take (never negative)."""
        return max(self.capacity - self.held, 0)


def providers(session: Session) -> list[Provider]:
    """Every ECM and CS provider with a profile, by name."""
    rows = session.execute(
        select(Organization, ProviderProfile)
        .join(ProviderProfile, ProviderProfile.organization_id == Organization.id)
        .where(Organization.kind.in_(PROVIDER_KINDS))
        .order_by(Organization.name, Organization.id)
    ).all()
    held = _held(session)
    return [_provider(org, profile, held.get(org.id, 0)) for org, profile in rows]


def _held(session: Session) -> dict[uuid.UUID, int]:
    ecm = session.execute(
        select(Enrollment.provider_organization_id, func.count())
        .where(Enrollment.status.in_(sorted(s.value for s in ACTIVE_STATUSES)))
        .group_by(Enrollment.provider_organization_id)
    ).all()
    cs = session.execute(
        select(ServiceEpisode.provider_organization_id, func.count())
        .where(ServiceEpisode.status == EpisodeStatus.OPEN.value)
        .group_by(ServiceEpisode.provider_organization_id)
    ).all()
    held: dict[uuid.UUID, int] = {}
    for organization_id, count in [*ecm, *cs]:
        held[organization_id] = held.get(organization_id, 0) + int(count)
    return held


def _provider(org: Organization, profile: ProviderProfile, held: int) -> Provider:
    return Provider(
        organization_id=org.id,
        name=org.name,
        kind=org.kind,
        phone=profile.phone,
        counties=frozenset(str(c) for c in org.counties_served or []),
        programs=frozenset(str(p) for p in profile.programs_served or []),
        contracted_plans=frozenset(str(c).upper() for c in profile.contracted_plans or []),
        languages=tuple(str(code) for code in profile.languages or []),
        capacity=profile.capacity,
        held=held,
        beds_available=profile.beds_available,
        waitlist=profile.waitlist,
        capacity_updated_at=profile.capacity_updated_at,
        populations=frozenset(str(p) for p in profile.populations_served or []),
    )
