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
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import is_plan, is_provider, referral_visible, service_episode_visible
from calaim.ops.models import Member, OrganizationKind, Referral, ServiceEpisode, User
from calaim.ops.referrals.state import OPEN_STATUSES
from calaim.reports.common import member_filters
from calaim.reports.directory import Provider, providers
from calaim.reports.filters import Filters, Period, details
from calaim.reports.scope import audit, cell, counted, require_dashboards, suppressed_below

OPEN_VALUES = sorted(status.value for status in OPEN_STATUSES)


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
    referrals, episodes = _demand(session, actor, as_of, filters)
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


def _demand(
    session: Session, actor: User, as_of: dt.date, filters: Filters
) -> tuple[Counter[str], Counter[str]]:
    program = [filters.program] if filters.program else None
    r, e = Referral, ServiceEpisode
    referrals = select(Member.county).select_from(r).join(Member, Member.id == r.member_id)
    referrals = referrals.where(
        counted(actor, referral_visible),
        r.status.in_(OPEN_VALUES),
        r.program_id.in_(program) if program else r.program_id.like("cs.%"),
        r.received_at < Period(as_of, as_of).end_instant(),
        member_filters(filters),
    )
    episodes = select(Member.county).select_from(e).join(Member, Member.id == e.member_id)
    episodes = episodes.where(
        counted(actor, service_episode_visible),
        e.started_on <= as_of,
        or_(e.ended_on.is_(None), e.ended_on >= as_of),
        e.program_id.in_(program) if program else e.program_id.like("cs.%"),
        member_filters(filters),
    )
    return Counter(session.scalars(referrals)), Counter(session.scalars(episodes))


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
