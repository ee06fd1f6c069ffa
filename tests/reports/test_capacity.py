"""Community Supports capacity against demand by county."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.models import OrganizationKind, Role
from calaim.reports.capacity import capacity
from calaim.reports.filters import Filters
from ops.factories import organization, user

from .world import AS_OF, actor, episode, member, plan, provider, referral

K = OrganizationKind
RC = "cs.recuperative_care"


def test_capacity_against_open_referrals_and_active_episodes(session: Session) -> None:
    owner = plan(session)
    code = owner.plan_code or ""
    cs = provider(session, K.CS_PROVIDER, [RC], [code], capacity=25)
    provider(session, K.CS_PROVIDER, ["cs.respite"], ["OTHERPLAN"], capacity=7)
    hospital = organization(session, K.REFERRER)
    people = [member(session, owner) for _ in range(4)]
    referral(session, people[0], RC, hospital)
    referral(session, people[1], RC, hospital, status="closed")  # closed: no demand
    episode(session, people[2], RC, cs, started=dt.date(2025, 9, 1))
    episode(session, people[3], RC, cs, started=dt.date(2025, 8, 1), ended=dt.date(2025, 9, 1))
    coordinator = user(session, owner, Role.PLAN_CARE_COORDINATION)
    report = capacity(session, coordinator, AS_OF, Filters(), code)
    (row,) = report.rows
    assert (row.county, row.providers, row.capacity) == ("Los Angeles", 1, 25)
    assert (row.open_referrals, row.active_episodes, row.demand) == (1, 1, 2)
    # On the day the closed episode ended it still counts: ended_on is its last day.
    on_end = capacity(session, coordinator, dt.date(2025, 9, 1), Filters(), code).rows[0]
    assert on_end.active_episodes == 2


def test_the_state_sees_capacity_but_suppressed_demand(session: Session) -> None:
    owner = plan(session)
    provider(session, K.CS_PROVIDER, [RC], [owner.plan_code or ""], capacity=30)
    hospital = organization(session, K.REFERRER)
    referral(session, member(session, owner, county="Kern"), RC, hospital)
    analyst = actor(session, K.STATE, Role.STATE_ANALYST)
    report = capacity(session, analyst, AS_OF, Filters(county="Kern"), None)
    (row,) = report.rows
    assert row.county == "Kern"
    assert (row.open_referrals, row.demand) == (None, None)
    assert row.active_episodes == 0
