"""Unable-to-reach closure: due exactly when the window has passed without a success."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.enrollments.closure import UnreachableClosure
from calaim.ops.enrollments.outreach import Attempt, OutreachService
from calaim.ops.models import OutreachMethod

from .world import ASSIGNED_ON, World, assigned, enrolled, in_outreach, noon

WINDOW = 90  # the statewide default (PLANA has no term of its own)
DUE = ASSIGNED_ON + dt.timedelta(days=WINDOW)
DAY = dt.timedelta(days=1)


def test_due_exactly_at_the_window_not_a_day_before(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    closure = UnreachableClosure(session, world.plan_user)
    assert closure.due(DUE - DAY) == []
    [item] = closure.due(DUE)
    assert (item.enrollment, item.window_days, item.due_on) == (enrollment, WINDOW, DUE)


def test_close_discontinues_as_unable_to_reach(session: Session, world: World) -> None:
    enrollment = assigned(session, world)  # never even attempted
    closed = UnreachableClosure(session, world.plan_user).close(DUE, now=noon(DUE))
    assert closed == [enrollment]
    assert enrollment.status == "discontinued"
    assert enrollment.discontinuation_reason_code == "unable_to_reach"
    assert enrollment.discontinued_on == DUE
    assert "90 days" in (enrollment.discontinuation_reason or "")
    assert UnreachableClosure(session, world.plan_user).close(DUE + DAY, now=noon(DUE + DAY)) == []


def test_a_successful_attempt_stops_the_clock(session: Session, world: World) -> None:
    enrollment = in_outreach(session, world)
    reached = Attempt(
        attempted_on=ASSIGNED_ON + DAY, method=OutreachMethod.IN_PERSON, successful=True, minutes=30
    )
    OutreachService(session, world.lcm_a).record(enrollment.id, reached, today=DUE, now=noon(DUE))
    assert (
        UnreachableClosure(session, world.plan_user).close(
            DUE + 100 * DAY, now=noon(DUE + 100 * DAY)
        )
        == []
    )
    assert enrollment.status == "outreach"


def test_enrolled_members_are_never_unreachable(session: Session, world: World) -> None:
    enrolled(session, world)
    assert UnreachableClosure(session, world.plan_user).due(DUE + 365 * DAY) == []


def test_closure_is_scoped_and_needs_permission(session: Session, world: World) -> None:
    in_outreach(session, world)
    assert UnreachableClosure(session, world.other_plan_user).due(DUE) == []
    assert UnreachableClosure(session, world.lcm_b).due(DUE) == []
    assert len(UnreachableClosure(session, world.lcm_a).due(DUE)) == 1
    with pytest.raises(PermissionDenied):
        UnreachableClosure(session, world.plan_um).close(DUE, now=noon(DUE))
