"""The coverage navigator: the county grid for anyone signed in, and one member's view.

A member's view reads stored determinations through `DeterminationRepository` (scoped, 42 CFR
Part 2 filtered, audited) and says in plain English why each result stands; for what the member
may receive it lists whom to refer to. Nothing is recomputed here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.access.part2 import Shown
from calaim.ops.access.scopes import visible_members
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Member, User
from calaim.ops.providers.populations import member_groups
from calaim.reports.coverage import CoverageGrid, counties_with_plans, coverage_grid
from calaim.reports.directory import Provider, referral_options
from calaim.reports.reasons import reason
from calaim.reports.scope import audit


@dataclass(frozen=True)
class CoverageReport:
    """Grids of one county, or of every county a configured plan serves."""

    as_of: dt.date
    grids: tuple[CoverageGrid, ...]


@dataclass(frozen=True)
class Eligibility:
    """One stored determination, with why it stands."""

    program_id: str
    program: str
    status: str
    eligible: bool | None  # None when restricted (42 CFR Part 2)
    as_of: dt.date
    rule_version: str
    reason: str
    plan_criteria: tuple[str, ...]
    referable: bool  # eligible and offered: worth a referral


@dataclass(frozen=True)
class ReferralOption:
    """A provider the member could be referred to for a program."""

    program_id: str
    organization_id: uuid.UUID
    name: str
    phone: str | None
    open_capacity: int
    languages: tuple[str, ...]
    beds_available: int | None = None
    waitlist: int | None = None


@dataclass(frozen=True)
class MemberCoverage:
    """What one member is eligible for and whom to refer them to."""

    member_id: uuid.UUID
    name: str
    county: str
    plan: str
    plan_configured: bool
    as_of: dt.date
    eligibility: tuple[Eligibility, ...]
    refer_to: tuple[ReferralOption, ...]


def coverage(
    session: Session, actor: User, policy: Policy, county: str | None, as_of: dt.date
) -> CoverageReport:
    """The grid for `county` (or every county with plans) on `as_of`; audited."""
    counties = [county] if county else counties_with_plans(policy, as_of)
    audit(session, actor, "coverage", {"county": county, "as_of": as_of.isoformat()})
    return CoverageReport(as_of, tuple(coverage_grid(policy, c, as_of) for c in counties))


def member_coverage(
    session: Session,
    actor: User,
    policy: Policy,
    member_id: uuid.UUID,
    *,
    as_of: dt.date,
    today: dt.date,
) -> MemberCoverage:
    """The member's determinations on `as_of` (Part 2 consent checked on `today`), and whom
    to refer them to; a member the actor may not see is not found."""
    rows = DeterminationRepository(session, actor).for_member(member_id, as_of, today=today)
    member = session.get(Member, member_id)
    assert member is not None  # the repository found it visible
    grid = coverage_grid(policy, member.county, as_of)
    criteria = {
        cell.program_id: cell.criteria
        for row in grid.rows
        for cell in row.cells
        if cell.plan == member.payer.upper()
    }
    found = tuple(_eligibility(policy, row, member, criteria) for row in rows)
    audit(session, actor, "member_coverage", {"member": str(member_id), "as_of": str(as_of)})
    return MemberCoverage(
        member_id=member.id,
        name=f"{member.first_name} {member.last_name}",
        county=member.county,
        plan=member.payer,
        plan_configured=member.payer.upper() in policy.plans,
        as_of=as_of,
        eligibility=found,
        refer_to=_options(session, policy, member, found, as_of),
    )


def lookup_member(session: Session, actor: User, key: str) -> uuid.UUID:
    """The id of the member the actor may see with this CIN or person id (or member id)."""
    key = key.strip()[:64]
    condition = or_(Member.cin == key, Member.person_id == key)
    with contextlib.suppress(ValueError):
        condition = or_(condition, Member.id == uuid.UUID(key))
    found = session.scalars(visible_members(actor).where(condition).limit(2)).all()
    if len(found) != 1:
        raise InvalidRequest(
            "no member you may see has that CIN or person id"
            if not found
            else "more than one member has that person id; use the CIN",
            field="member",
        )
    return found[0].id


def _eligibility(
    policy: Policy, row: Shown, member: Member, criteria: dict[str, tuple[str, ...]]
) -> Eligibility:
    program = policy.programs.get(row.program_id)
    name = program.name if program else row.program_id
    offered = row.offered is not False and row.status != "not_offered"
    return Eligibility(
        program_id=row.program_id,
        program=name,
        status=row.status,
        eligible=row.eligible,
        as_of=row.as_of,
        rule_version=row.rule_version,
        reason=str(reason(name, row.status, row.eligible, offered, member, row.as_of)),
        plan_criteria=criteria.get(row.program_id, ()),
        referable=bool(row.eligible) and offered and row.status == "eligible",
    )


def _options(
    session: Session,
    policy: Policy,
    member: Member,
    found: tuple[Eligibility, ...],
    as_of: dt.date,
) -> tuple[ReferralOption, ...]:
    options: list[ReferralOption] = []
    eligible = frozenset(item.program_id for item in found if item.eligible)
    groups = member_groups(member.birth_date, eligible, as_of)
    for item in found:
        kind = policy.programs[item.program_id].kind if item.program_id in policy.programs else ""
        # ECM is referred as a whole; providers list the Populations of Focus they serve.
        if not item.referable or kind == "ecm":
            continue
        found_here = referral_options(session, member.county, member.payer, [item.program_id])
        # Providers that say they serve the member's group first (by name within each).
        for p in sorted(found_here, key=lambda p: 0 if p.populations & groups else 1):
            options.append(_option(item.program_id, p))
    return tuple(options)


def _option(program_id: str, provider: Provider) -> ReferralOption:
    return ReferralOption(
        program_id=program_id,
        organization_id=provider.organization_id,
        name=provider.name,
        phone=provider.phone,
        open_capacity=provider.open_capacity,
        languages=provider.languages,
        beds_available=provider.beds_available,
        waitlist=provider.waitlist,
    )
