"""Authorization timeliness: a decision exactly at its deadline is on time, a minute later late."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from calaim.ops.models import OrganizationKind, Role
from calaim.ops.policy import shipped_policy
from calaim.reports.filters import Filters, Period
from calaim.reports.timeliness import classify, timeliness
from ops.factories import user

from .world import actor, authorization, member, plan

POLICY = shipped_policy()
PERIOD = Period(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
REQUESTED = dt.datetime(2025, 9, 10, 17, 0, tzinfo=dt.UTC)
DUE = dt.datetime(2025, 9, 17, 17, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def test_classify_at_the_due_instant_and_one_minute_after() -> None:
    assert classify("approved", DUE, DUE, NOW) == "on_time"
    assert classify("denied", DUE, DUE + MINUTE, NOW) == "late"
    assert classify("pending", DUE, None, DUE) == "open"
    assert classify("presumptive", DUE, None, DUE + MINUTE) == "overdue"
    assert classify("withdrawn", DUE, DUE, NOW) == "withdrawn"


def test_report_counts_status_and_timeliness_from_the_database(session: Session) -> None:
    owner = plan(session)
    who = member(session, owner)
    ask = {"requested": REQUESTED, "due": DUE}
    authorization(session, who, "cs.recuperative_care", decided=DUE, status="approved", **ask)
    authorization(session, who, "cs.recuperative_care", decided=DUE + MINUTE, status="denied",
                  **ask)  # fmt: skip
    authorization(session, who, "cs.recuperative_care", status="pending", **ask)
    # Another member: one member has at most one undecided request per program.
    authorization(session, member(session, owner), "cs.recuperative_care", status="pending",
                  requested=REQUESTED, due=NOW + dt.timedelta(days=2))  # fmt: skip
    # Requested before the period: not in the rows, but overdue now.
    month = dt.timedelta(days=30)
    authorization(session, who, "ecm", requested=REQUESTED - month, due=DUE - month)
    um = user(session, owner, Role.PLAN_UTILIZATION_MANAGEMENT)
    report = timeliness(session, um, POLICY, PERIOD, Filters(), NOW)
    assert [(r.program, r.county) for r in report.rows] == [("cs.recuperative_care", "Los Angeles")]
    counts = report.rows[0].counts
    assert (counts["approved"], counts["denied"], counts["pending"]) == (1, 1, 2)
    assert (counts["on_time"], counts["late"], counts["overdue"], counts["open"]) == (1, 1, 1, 1)
    assert report.totals["late"] == 1
    assert report.overdue_now == 2


def test_another_plan_sees_none_and_the_state_sees_suppressed(session: Session) -> None:
    owner = plan(session)
    who = member(session, owner)
    authorization(session, who, "ecm", requested=REQUESTED, due=DUE, status="pending")
    other = user(session, plan(session), Role.PLAN_UTILIZATION_MANAGEMENT)
    assert timeliness(session, other, POLICY, PERIOD, Filters(), NOW).rows == ()
    analyst = actor(session, OrganizationKind.STATE, Role.STATE_ANALYST)
    report = timeliness(session, analyst, POLICY, PERIOD, Filters(plan=owner.plan_code), NOW)
    assert report.rows[0].counts["pending"] is None
    assert report.rows[0].counts["approved"] == 0
    assert report.totals["pending"] is None, "a total of 1 is itself a small cell"


def test_the_states_total_is_shown_when_no_cell_can_be_worked_out_from_it(
    session: Session,
) -> None:
    owner = plan(session)
    for county, count in (("Kern", 12), ("Fresno", 3)):
        for _ in range(count):
            authorization(session, member(session, owner, county), "ecm", requested=REQUESTED,
                          due=DUE, status="pending")  # fmt: skip
    analyst = actor(session, OrganizationKind.STATE, Role.STATE_ANALYST)
    report = timeliness(session, analyst, POLICY, PERIOD, Filters(plan=owner.plan_code), NOW)
    # Fresno's 3 is withheld, and Kern's 12 with it: 15 less 12 would give the 3 away.
    assert [row.counts["pending"] for row in report.rows] == [None, None]
    assert report.totals["pending"] == 15
