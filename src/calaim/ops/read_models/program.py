"""What the plan's program view reads beyond the funnel: outreach lists, CS claims, ECM load.

Every query is scoped through `calaim.ops.access.scopes` (a plan: its own members, the claims
billed to it, the enrollments it made); callers audit what they show.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import (
    authorization_visible,
    claim_visible,
    enrollment_visible,
    member_visible,
)
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    ProviderProfile,
    User,
)
from calaim.ops.models.billing import Claim, ClaimLine

CHUNK = 500
RowKey = tuple[str, str, int]  # (table, id, version), as reports/provenance fingerprints them


@dataclass(frozen=True)
class CsLine:
    """One Community Supports claim line billed to the plan."""

    member_id: uuid.UUID
    program_id: str
    unit: str
    units: Decimal
    charge: Decimal
    paid: Decimal | None


@dataclass(frozen=True)
class ProviderLoad:
    """An ECM provider contracted with the plan: declared capacity, the plan's active members."""

    organization_id: uuid.UUID
    name: str
    capacity: int
    active: int
    counties: tuple[str, ...]


def _chunks(ids: Iterable[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    listed = sorted(ids)
    for start in range(0, len(listed), CHUNK):
        yield listed[start : start + CHUNK]


def members_by_id(
    session: Session, actor: User, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Member]:
    """The visible members among `ids` (the caller audits the ones it lists)."""
    found: dict[uuid.UUID, Member] = {}
    for chunk in _chunks(ids):
        statement = select(Member).where(member_visible(actor), Member.id.in_(chunk))
        found |= {member.id: member for member in session.scalars(statement)}
    return found


def latest_episodes(
    session: Session, actor: User, ids: Iterable[uuid.UUID], end: dt.date
) -> dict[uuid.UUID, Enrollment]:
    """Each member's most recent ECM episode assigned on or before `end` (visible ones)."""
    found: dict[uuid.UUID, Enrollment] = {}
    for chunk in _chunks(ids):
        statement = select(Enrollment).where(
            enrollment_visible(actor),
            Enrollment.member_id.in_(chunk),
            Enrollment.assigned_on <= end,
        )
        for row in session.scalars(statement).unique():
            kept = found.get(row.member_id)
            if kept is None or row.assigned_on >= kept.assigned_on:
                found[row.member_id] = row
    return found


def organization_names(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Organization names by id (directory data, not member data)."""
    found: dict[uuid.UUID, str] = {}
    for chunk in _chunks(set(ids)):
        statement = select(Organization.id, Organization.name).where(Organization.id.in_(chunk))
        found |= {key: name for key, name in session.execute(statement)}
    return found


def eligible_since(session: Session, actor: User, end: dt.date) -> dict[uuid.UUID, dt.date]:
    """The first date on or before `end` a stored determination found each member ECM-eligible."""
    d = MemberDetermination
    statement = (
        select(d.member_id, func.min(d.as_of))
        .join(Member, Member.id == d.member_id)
        .where(member_visible(actor), d.eligible.is_(True), d.program_id.like("ecm.%"))
        .where(d.as_of <= end)
        .group_by(d.member_id)
    )
    return {member_id: first for member_id, first in session.execute(statement)}


def first_determination(session: Session, actor: User) -> dt.date | None:
    """The earliest as-of date of a stored ECM determination of the actor's members."""
    d = MemberDetermination
    statement = (
        select(func.min(d.as_of))
        .join(Member, Member.id == d.member_id)
        .where(member_visible(actor), d.program_id.like("ecm.%"))
    )
    return session.scalar(statement)


def cs_claim_lines(session: Session, actor: User, start: dt.date, end: dt.date) -> list[CsLine]:
    """Community Supports claim lines billed to the actor's plan with service dates in range."""
    c, line = Claim, ClaimLine
    statement = (
        select(c.member_id, line.program_id, line.unit, line.units, line.charge, line.paid_amount)
        .join(c, c.id == line.claim_id)
        .where(claim_visible(actor), line.program_id.like("cs.%"))
        .where(line.service_date.between(start, end))
    )
    return [CsLine(*row) for row in session.execute(statement)]


def cs_paid_through(
    session: Session, actor: User, end: dt.date, programs: Iterable[str]
) -> dict[tuple[uuid.UUID, str], Decimal]:
    """Paid so far (every service date on or before `end`) per member and Community Support."""
    wanted = sorted(set(programs))
    if not wanted:
        return {}
    c, line = Claim, ClaimLine
    statement = (
        select(c.member_id, line.program_id, func.sum(line.paid_amount))
        .join(c, c.id == line.claim_id)
        .where(claim_visible(actor), line.program_id.in_(wanted), line.service_date <= end)
        .group_by(c.member_id, line.program_id)
    )
    return {(m, p): Decimal(total or 0) for m, p, total in session.execute(statement)}


def ecm_provider_load(session: Session, actor: User, day: dt.date) -> list[ProviderLoad]:
    """ECM providers listing the actor's plan among their contracts, with its active members."""
    code = actor.organization.plan_code
    e = Enrollment
    active = dict(
        session.execute(
            select(e.provider_organization_id, func.count(func.distinct(e.member_id)))
            .where(enrollment_visible(actor), e.assigned_on <= day)
            .where(or_(e.discontinued_on.is_(None), e.discontinued_on > day))
            .group_by(e.provider_organization_id)
        ).all()
    )
    statement = (
        select(Organization, ProviderProfile)
        .join(ProviderProfile, ProviderProfile.organization_id == Organization.id)
        .where(Organization.kind == OrganizationKind.ECM_PROVIDER.value)
        .order_by(Organization.name)
    )
    return [
        ProviderLoad(org.id, org.name, profile.capacity or 0, int(active.get(org.id, 0)),
                     tuple(str(c) for c in org.counties_served or []))
        for org, profile in session.execute(statement)
        if code in (profile.contracted_plans or []) or org.id in active
    ]  # fmt: skip


def input_keys(session: Session, actor: User, start: dt.date, end: dt.date) -> list[RowKey]:
    """(table, id, version) of every stored record the program view counts, for its fingerprint."""
    keys: list[RowKey] = []
    d = MemberDetermination
    determinations = (
        select(d.id, d.eligible, d.status)
        .join(Member, Member.id == d.member_id)
        .where(member_visible(actor), d.program_id.like("ecm.%"), d.as_of <= end)
    )
    for key, eligible, status in session.execute(determinations):
        keys.append(("determination", str(key), zlib.crc32(f"{eligible}|{status}".encode())))
    e = Enrollment
    enrollments = select(e.id, e.version).where(enrollment_visible(actor), e.assigned_on <= end)
    keys += [("enrollment", str(k), v) for k, v in session.execute(enrollments)]
    a = Authorization
    requested = select(a.id, a.version).where(
        authorization_visible(actor), a.program_id.like("cs.%")
    )
    keys += [("authorization", str(k), v) for k, v in session.execute(requested)]
    lines = (
        select(ClaimLine.id, ClaimLine.status, ClaimLine.paid_amount)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(claim_visible(actor), ClaimLine.service_date.between(start, end))
    )
    for key, status, paid in session.execute(lines):
        keys.append(("claim_line", str(key), zlib.crc32(f"{status}|{paid}".encode())))
    return keys
