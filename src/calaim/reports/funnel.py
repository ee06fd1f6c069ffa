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

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.models import User
from calaim.ops.read_models.funnel import Key, ecm_cohort, ecm_episodes
from calaim.reports.common import member_filters
from calaim.reports.filters import Filters, Period, details
from calaim.reports.scope import audit, is_state, require_dashboards, suppressed_below
from calaim.reports.suppression import withheld

STAGES = ("eligible", "assigned", "outreached", "enrolled")
Members = dict[Key, dict[str, set[uuid.UUID]]]


@dataclass(frozen=True)
class FunnelRow:
    """One population of focus in one county; None = suppressed (see `_suppressed`)."""

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
    found = cohort(session, actor, period, filters)
    reached = stages(session, actor, period, {member for member, _ in found})
    members: Members = defaultdict(lambda: defaultdict(set))
    for member_id, key in found:
        members[key]["eligible"].add(member_id)
        for stage in reached.get(member_id, ()):
            members[key][stage].add(member_id)
    keys = sorted(members)
    columns, totals = _suppressed(actor, [members[key] for key in keys])
    rows = tuple(
        _row(policy, key, {stage: columns[stage][i] for stage in STAGES})
        for i, key in enumerate(keys)
    )
    audit(session, actor, "funnel", details(period, filters))
    return Funnel(period, filters, suppressed_below(actor), rows, totals)


def cohort(
    session: Session, actor: User, period: Period, filters: Filters
) -> list[tuple[uuid.UUID, Key]]:
    """(member, (population, county)) for every ECM population a member is eligible for."""
    return ecm_cohort(
        session,
        actor,
        period.end,
        everyone=is_state(actor),
        members=member_filters(filters),
        program=filters.program,
    )


def stages(
    session: Session, actor: User, period: Period, found: set[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    """The stages each member of `found` reached in the period (assigned, outreached, ...)."""
    episodes = ecm_episodes(session, actor, period.start, period.end, everyone=is_state(actor))
    reached: dict[uuid.UUID, set[str]] = defaultdict(set)
    for member_id, outreach, enrolled in episodes:
        if member_id not in found:
            continue
        reached[member_id].add("assigned")
        if enrolled is not None and enrolled <= period.end:
            reached[member_id] |= {"outreached", "enrolled"}
        elif outreach is not None and outreach <= period.end:
            reached[member_id].add("outreached")
    return reached


def _suppressed(
    actor: User, rows: list[dict[str, set[uuid.UUID]]]
) -> tuple[dict[str, list[int | None]], dict[str, int | None]]:
    """Each stage's cells and total as the actor may see them.

    The state sees the project's small-cell rule (`reports/suppression.py`): a count of 1 to
    10 is withheld; when a stage has exactly one such cell, its smallest other cell is withheld
    too (complementary suppression), so the total can't give the small one away by
    subtraction; the total itself is shown unless it is 1 to 10. Others see every count.
    """
    columns: dict[str, list[int | None]] = {}
    totals: dict[str, int | None] = {}
    for stage in STAGES:
        counts = [len(row[stage]) for row in rows]
        total = len(set().union(*(row[stage] for row in rows)))  # distinct members
        if suppressed_below(actor) is None:
            columns[stage], totals[stage] = list(counts), total
            continue
        columns[stage], totals[stage] = withheld(counts, total)
    return columns, totals


def _row(policy: Policy, key: Key, counts: dict[str, int | None]) -> FunnelRow:
    population, county = key
    program = policy.programs.get(population)
    return FunnelRow(population, program.name if program else population, county, **counts)
