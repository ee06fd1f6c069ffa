"""The plan's program view: the ECM funnel with rates and monthly trends, CS, ECM capacity.

- Funnel (eligible → assigned → outreached → enrolled, by Population of Focus and county) is
  the dashboards' funnel (`reports/funnel.py`), counted by it; each month of the period is
  counted by the same cohort and stage functions over that month (clipped to the period).
- Rates: each stage's share of the eligible members (the enrolled share is the penetration
  rate); a month's change is the difference from the month before.
- Community Supports (`reports/program_cs.py`) and ECM provider capacity: each ECM provider
  contracted with the plan, its declared capacity and the plan's members active with it on the
  period's last day.

A plan's users only; the plan's own members, unsuppressed on its screens (the files that may
leave the plan are suppressed by `reports/program_export.py`). Audited with its fingerprint.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.models import User
from calaim.ops.read_models.program import (
    ProviderLoad,
    ecm_provider_load,
    first_determination,
    input_keys,
)
from calaim.reports.clr import require_plan
from calaim.reports.filters import Filters, Period, details
from calaim.reports.funnel import STAGES, Funnel, funnel
from calaim.reports.funnel import cohort as ecm_cohort
from calaim.reports.funnel import stages as ecm_stages
from calaim.reports.program_cs import ServiceRow, cs_rows
from calaim.reports.provenance import Provenance, provenance
from calaim.reports.scope import audit

RATE_STAGES = STAGES[1:]  # assigned, outreached, enrolled: each as a share of eligible


@dataclass(frozen=True)
class MonthRow:
    """One month: distinct members per stage, per Population of Focus, and the change."""

    month: str  # YYYY-MM
    period: Period
    counts: dict[str, int]
    by_population: dict[str, dict[str, int]]
    change: dict[str, int | None]  # None for the first month


@dataclass(frozen=True)
class ProgramView:
    """Everything the program view shows for one plan and period."""

    plan: str
    provenance: Provenance
    filters: Filters
    funnel: Funnel
    months: tuple[MonthRow, ...]
    services: tuple[ServiceRow, ...]
    providers: tuple[ProviderLoad, ...]
    population_names: dict[str, str]
    # The first stored determination: months before it have no eligibility data (not zero).
    determinations_from: dt.date | None


def rate(part: int | None, whole: int | None) -> float | None:
    """`part` as a percentage of `whole`, one decimal (None when either is unknown or 0)."""
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


def months_of(period: Period) -> list[Period]:
    """The calendar months overlapping `period`, each clipped to it."""
    found, start = [], period.start
    while start <= period.end:
        after = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        found.append(Period(start, min(after - dt.timedelta(days=1), period.end)))
        start = after
    return found


def program_view(
    session: Session,
    actor: User,
    policy: Policy,
    period: Period,
    filters: Filters,
    now: dt.datetime,
) -> ProgramView:
    """The actor's plan's program view over `period` (see the module docstring); audited."""
    require_plan(actor)
    filters = Filters(county=filters.county, program=filters.program)  # one plan: its own
    flow = funnel(session, actor, policy, period, filters)
    months = _months(session, actor, period, filters)
    services = cs_rows(session, actor, policy, period, now)
    providers = tuple(ecm_provider_load(session, actor, period.end))
    as_of = min(now.date(), period.end)
    facts = provenance(policy, period, as_of, input_keys(session, actor, period.start, period.end))
    names = {pid: p.name for pid, p in policy.programs.items() if p.kind in ("ecm_pof", "cs")}
    view = ProgramView(
        actor.organization.plan_code or actor.organization.name,
        facts, filters, flow, months, services, providers, names,
        first_determination(session, actor),
    )  # fmt: skip
    audit(session, actor, "program_view",
          {**details(period, filters), "fingerprint": facts.input_fingerprint})  # fmt: skip
    return view


def _months(
    session: Session, actor: User, period: Period, filters: Filters
) -> tuple[MonthRow, ...]:
    found: list[MonthRow] = []
    for month in months_of(period):
        cohort = ecm_cohort(session, actor, month, filters)
        stages = ecm_stages(session, actor, month, {member for member, _ in cohort})
        per: dict[str, dict[str, set[uuid.UUID]]] = defaultdict(lambda: defaultdict(set))
        for member_id, (population, _county) in cohort:
            for stage in ("eligible", *stages.get(member_id, ())):
                per[population][stage].add(member_id)
                per[""][stage].add(member_id)  # "" = every population, distinct members
        counts = {stage: len(per[""][stage]) for stage in STAGES}
        change = {s: (counts[s] - found[-1].counts[s]) if found else None for s in STAGES}
        by_population = {
            population: {stage: len(members[stage]) for stage in STAGES}
            for population, members in sorted(per.items())
            if population
        }
        found.append(MonthRow(f"{month.start:%Y-%m}", month, counts, by_population, change))
    return tuple(found)
