"""Community Supports capacity against demand, by county, on one date.

Capacity: the members the CS providers serving a county can hold at once (their profiles'
`capacity`; a provider serving several counties counts in each, since its capacity is shared
and no split is recorded). Demand: open referrals received by the date plus episodes active on
it, of members living in the county. A plan sees providers contracted with it and its members'
demand; a provider its own; the state everything, demand cells of 1 to 10 suppressed
(capacity is directory data, never suppressed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.scopes import is_plan, is_provider
from calaim.ops.models import OrganizationKind, User
from calaim.ops.read_models.counting import Narrowing
from calaim.ops.read_models.cs_demand import cs_demand_by_county
from calaim.reports.directory import Provider, providers
from calaim.reports.filters import Filters, Period, details
from calaim.reports.scope import audit, cell, require_dashboards, suppressed_below


@dataclass(frozen=True)
class CapacityRow:
    """One county: providers, capacity, and demand (None = suppressed)."""

    county: str
    providers: int
    capacity: int
    open_referrals: int | None
    active_episodes: int | None
    demand: int | None


@dataclass(frozen=True)
class Capacity:
    """Capacity against demand on `as_of`, county by county."""

    as_of: dt.date
    filters: Filters
    suppressed_below: int | None
    rows: tuple[CapacityRow, ...]


def capacity(
    session: Session, actor: User, as_of: dt.date, filters: Filters, own_plan: str | None
) -> Capacity:
    """CS capacity vs demand on `as_of`; `own_plan` is a plan actor's plan code."""
    require_dashboards(actor)
    supply = _supply(session, actor, filters, own_plan)
    narrowing = Narrowing(filters.program, filters.county, filters.plan)
    before = Period(as_of, as_of).end_instant()
    referrals, episodes = cs_demand_by_county(session, actor, as_of, before, narrowing)
    counties = sorted({c for p in supply for c in p.counties} | set(referrals) | set(episodes))
    if filters.county is not None:
        counties = [c for c in counties if c == filters.county]
    rows = tuple(_row(actor, c, supply, referrals[c], episodes[c]) for c in counties)
    audit(session, actor, "cs_capacity", details(Period(as_of, as_of), filters))
    return Capacity(as_of, filters, suppressed_below(actor), rows)


def _supply(
    session: Session, actor: User, filters: Filters, own_plan: str | None
) -> list[Provider]:
    found = [p for p in providers(session) if p.kind == OrganizationKind.CS_PROVIDER.value]
    if is_provider(actor):
        found = [p for p in found if p.organization_id == actor.organization_id]
    for code in (own_plan if is_plan(actor) else None, filters.plan):
        if code is not None:
            found = [p for p in found if code in p.contracted_plans]
    if filters.program is not None:
        found = [p for p in found if filters.program in p.programs]
    return found


def _row(
    actor: User, county: str, supply: list[Provider], referrals: int, episodes: int
) -> CapacityRow:
    serving = [p for p in supply if county in p.counties]
    return CapacityRow(
        county=county,
        providers=len(serving),
        capacity=sum(p.capacity for p in serving),
        open_referrals=cell(actor, referrals),
        active_episodes=cell(actor, episodes),
        demand=_demand_cell(actor, referrals, episodes),
    )


def _demand_cell(actor: User, referrals: int, episodes: int) -> int | None:
    # Withheld when either part is suppressed: demand minus the other part would reveal it.
    if cell(actor, referrals) is None or cell(actor, episodes) is None:
        return None
    return cell(actor, referrals + episodes)
