"""The ECM funnel: eligible → assigned → outreached → enrolled, by Population of Focus and county.

The cohort is the members whose latest determination on or before the period's end makes them
eligible for a Population of Focus (a member in several counts in each, as DHCS's QIMR does).
Of those, a member is *assigned* with an ECM episode active at some time in the period,
*outreached* when that episode's outreach started (or it enrolled) by the end, *enrolled* when
it enrolled by the end. A provider's funnel leaves out 42 CFR Part 2 populations.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from calaim.engine.loading.policy import Policy
from calaim.ops.access.part2 import PART2_PROGRAMS
from calaim.ops.access.scopes import enrollment_visible, is_provider, member_visible
from calaim.ops.models import Enrollment, Member, MemberDetermination, User
from calaim.reports.common import member_filters
from calaim.reports.filters import Filters, Period, details
from calaim.reports.scope import audit, cell, counted, require_dashboards, suppressed_below

STAGES = ("eligible", "assigned", "outreached", "enrolled")
Key = tuple[str, str]  # (population of focus, county)


@dataclass(frozen=True)
class FunnelRow:
    """One population of focus in one county; None = suppressed (1 to 10 members)."""

    population: str
    population_name: str
    county: str
    eligible: int | None
    assigned: int | None
    outreached: int | None
    enrolled: int | None


@dataclass(frozen=True)
class Funnel:
    """The funnel's rows and its stage totals (distinct members; None when withheld)."""

    period: Period
    filters: Filters
    suppressed_below: int | None
    rows: tuple[FunnelRow, ...]
    totals: dict[str, int | None]


def funnel(
    session: Session, actor: User, policy: Policy, period: Period, filters: Filters
) -> Funnel:
    """The actor's ECM funnel over `period` (see the module docstring); audited."""
    require_dashboards(actor)
    cohort = _cohort(session, actor, period, filters)
    stages = _stages(session, actor, period, {member for member, _ in cohort})
    members: dict[Key, dict[str, set[uuid.UUID]]] = defaultdict(lambda: defaultdict(set))
    for member_id, key in cohort:
        members[key]["eligible"].add(member_id)
        for stage in stages.get(member_id, ()):
            members[key][stage].add(member_id)
    rows = tuple(_row(actor, policy, key, members[key]) for key in sorted(members))
    audit(session, actor, "funnel", details(period, filters))
    return Funnel(period, filters, suppressed_below(actor), rows, _totals(actor, rows, members))


def _cohort(
    session: Session, actor: User, period: Period, filters: Filters
) -> list[tuple[uuid.UUID, Key]]:
    d = MemberDetermination
    later = aliased(MemberDetermination)
    # Eligible rows with no later determination of the same program by the end: the latest
    # one per member and program, found with the (member, program, as_of) index rather than
    # by grouping every stored determination (issue 14's speed target).
    superseded = (
        select(later.id)
        .where(later.member_id == d.member_id, later.program_id == d.program_id,
               later.as_of > d.as_of, later.as_of <= period.end)
        .exists()
    )  # fmt: skip
    statement = (
        select(d.member_id, d.program_id, Member.county)
        .join(Member, Member.id == d.member_id)
        .where(d.eligible.is_(True), d.as_of <= period.end, d.program_id.like("ecm.%"), ~superseded,
               counted(actor, member_visible), member_filters(filters))
    )  # fmt: skip
    if filters.program is not None:
        statement = statement.where(d.program_id == filters.program)
    if is_provider(actor):
        # Part 2: a provider's counts could single out a member's substance-use population.
        statement = statement.where(d.part2.is_(False), d.program_id.not_in(PART2_PROGRAMS))
    return [(m, (program, county)) for m, program, county in session.execute(statement)]


def _stages(
    session: Session, actor: User, period: Period, cohort: set[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    e = Enrollment
    statement = select(e.member_id, e.outreach_started_on, e.enrolled_on).where(
        counted(actor, enrollment_visible),
        e.assigned_on <= period.end,
        or_(e.discontinued_on.is_(None), e.discontinued_on >= period.start),
    )
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    for member_id, outreach, enrolled in session.execute(statement):
        if member_id not in cohort:
            continue
        found[member_id].add("assigned")
        if enrolled is not None and enrolled <= period.end:
            found[member_id] |= {"outreached", "enrolled"}
        elif outreach is not None and outreach <= period.end:
            found[member_id].add("outreached")
    return found


def _row(actor: User, policy: Policy, key: Key, members: dict[str, set[uuid.UUID]]) -> FunnelRow:
    population, county = key
    program = policy.programs.get(population)
    counts = {stage: cell(actor, len(members[stage])) for stage in STAGES}
    return FunnelRow(population, program.name if program else population, county, **counts)


def _totals(
    actor: User, rows: tuple[FunnelRow, ...], members: dict[Key, dict[str, set[uuid.UUID]]]
) -> dict[str, int | None]:
    # A total is shown only when every cell of its stage is: with one cell suppressed, the
    # total minus the others would give it away.
    totals: dict[str, int | None] = {}
    for stage in STAGES:
        hidden = any(getattr(row, stage) is None for row in rows)
        distinct = set().union(*(m[stage] for m in members.values())) if members else set()
        totals[stage] = None if hidden else cell(actor, len(distinct))
    return totals
