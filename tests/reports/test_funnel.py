"""The ECM funnel: stages, scoping, and the state's small-cell suppression at exactly 11."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.models import AuditEvent, Member, Organization, OrganizationKind, Role
from calaim.ops.policy import shipped_policy
from calaim.reports.filters import Filters, Period
from calaim.reports.funnel import Funnel, FunnelRow, funnel
from ops.factories import user

from .world import AS_OF, actor, determination, enrollment, member, plan, provider

POLICY = shipped_policy()
PERIOD = Period(dt.date(2025, 7, 1), AS_OF)
HOMELESS = "ecm.homeless_adult"
K, R = OrganizationKind, Role


def row(report: Funnel, population: str, county: str = "Los Angeles") -> FunnelRow:
    """The report's row for a population and county."""
    return next(r for r in report.rows if (r.population, r.county) == (population, county))


def eligible_members(
    session: Session, count: int, county: str = "Los Angeles", owner: Organization | None = None
) -> list[Member]:
    """`count` members of a plan (default: a new one), eligible for the homeless population."""
    owner = owner or plan(session)
    found = []
    for _ in range(count):
        who = member(session, owner, county)
        determination(session, who, HOMELESS)
        found.append(who)
    return found


def test_stages_follow_each_members_episode(session: Session) -> None:
    owner = plan(session)
    people = eligible_members(session, 4, owner=owner)
    ecm = provider(session, K.ECM_PROVIDER, [HOMELESS], [], 50)
    enrollment(session, people[0], ecm, assigned=dt.date(2025, 8, 1))
    enrollment(session, people[1], ecm, assigned=dt.date(2025, 8, 1), outreach=dt.date(2025, 8, 2))
    enrollment(session, people[2], ecm, assigned=dt.date(2025, 8, 1),
               outreach=dt.date(2025, 8, 2), enrolled=dt.date(2025, 8, 20))  # fmt: skip
    # Enrolled only after the period: assigned and outreached in it, not enrolled.
    enrollment(session, people[3], ecm, assigned=dt.date(2025, 9, 1),
               outreach=dt.date(2025, 9, 2), enrolled=dt.date(2025, 10, 5))  # fmt: skip
    coordinator = user(session, owner, R.PLAN_CARE_COORDINATION)
    report = funnel(session, coordinator, POLICY, PERIOD, Filters())
    got = row(report, HOMELESS)
    assert (got.eligible, got.assigned, got.outreached, got.enrolled) == (4, 4, 3, 1)
    assert report.totals == {"eligible": 4, "assigned": 4, "outreached": 3, "enrolled": 1}
    assert report.suppressed_below is None


def test_state_sees_eleven_but_not_ten(session: Session) -> None:
    eligible_members(session, 11, county="Kern")
    eligible_members(session, 10, county="Fresno")
    eligible_members(session, 3, county="Inyo")
    analyst = actor(session, K.STATE, R.STATE_ANALYST)
    report = funnel(session, analyst, POLICY, PERIOD, Filters())
    assert row(report, HOMELESS, "Kern").eligible == 11
    assert row(report, HOMELESS, "Fresno").eligible is None
    assert row(report, HOMELESS, "Inyo").eligible is None
    assert row(report, HOMELESS, "Fresno").assigned == 0  # zero identifies no one
    # Two cells withheld: the total less Kern's 11 gives only their sum (13), neither one.
    assert report.totals["eligible"] == 24
    assert report.suppressed_below == 11


def test_a_lone_small_cell_withholds_its_smallest_neighbour_not_the_total(
    session: Session,
) -> None:
    eligible_members(session, 12, county="Kern")
    eligible_members(session, 11, county="Tulare")
    eligible_members(session, 10, county="Fresno")
    analyst = actor(session, K.STATE, R.STATE_ANALYST)
    report = funnel(session, analyst, POLICY, PERIOD, Filters())
    # 33 - 12 - 11 would be Fresno's 10: Tulare's 11 (the smallest other) is withheld too.
    assert [row(report, HOMELESS, c).eligible for c in ("Kern", "Tulare", "Fresno")] == [
        12,
        None,
        None,
    ]
    assert report.totals["eligible"] == 33


def test_a_total_that_would_reveal_a_cell_stays_withheld(session: Session) -> None:
    owner = plan(session)
    people = eligible_members(session, 12, county="Kern", owner=owner)
    ecm = provider(session, K.ECM_PROVIDER, [HOMELESS], [], 50)
    for person in people[:3]:
        enrollment(session, person, ecm, assigned=dt.date(2025, 8, 1))
    analyst = actor(session, K.STATE, R.STATE_ANALYST)
    report = funnel(session, analyst, POLICY, PERIOD, Filters())
    # The only cell is Kern's 3 assigned: a total of 3 would be that cell, so it is withheld.
    assert row(report, HOMELESS, "Kern").assigned is None
    assert report.totals["assigned"] is None
    assert report.totals["eligible"] == 12
    assert report.totals["enrolled"] == 0


def test_a_plan_counts_only_its_members_and_sees_small_cells(session: Session) -> None:
    owner = plan(session)
    eligible_members(session, 3, county="Kern", owner=owner)
    eligible_members(session, 5, county="Kern")  # another plan's
    coordinator = user(session, owner, R.PLAN_CARE_COORDINATION)
    report = funnel(session, coordinator, POLICY, PERIOD, Filters(county="Kern"))
    assert [(r.county, r.eligible) for r in report.rows] == [("Kern", 3)]


def test_filters_narrow_and_the_read_is_audited(session: Session) -> None:
    eligible_members(session, 12, county="Kern")
    analyst = actor(session, K.STATE, R.STATE_ANALYST)
    report = funnel(session, analyst, POLICY, PERIOD, Filters(county="Fresno"))
    assert report.rows == ()
    events = session.scalars(select(AuditEvent).where(AuditEvent.actor_user_id == analyst.id)).all()
    assert [e.action for e in events] == ["report.funnel"]
    assert events[0].details["county"] == "Fresno"


def test_referrers_get_no_dashboards(session: Session) -> None:
    referrer = actor(session, K.REFERRER, R.REFERRER)
    with pytest.raises(PermissionDenied):
        funnel(session, referrer, POLICY, PERIOD, Filters())


def test_a_provider_never_counts_part2_populations(session: Session) -> None:
    owner = plan(session)
    who = member(session, owner)
    determination(session, who, "ecm.smh_sud")
    determination(session, who, HOMELESS)
    ecm = provider(session, K.ECM_PROVIDER, [HOMELESS], [], 50)
    enrollment(session, who, ecm, assigned=dt.date(2025, 8, 1))
    staff = user(session, ecm, R.LEAD_CARE_MANAGER)
    report = funnel(session, staff, POLICY, PERIOD, Filters())
    assert [r.population for r in report.rows] == [HOMELESS]
