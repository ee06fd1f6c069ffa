"""ECM encounters: recorded by the member's ECM provider while enrolled, listed in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.billing.encounters import Encounter, EncounterService, NotEnrolled
from calaim.ops.billing.repository import encounters_page
from calaim.ops.errors import Forbidden, InvalidRequest, NotFound
from calaim.ops.models import AuditEvent
from calaim.ops.models.billing import EncounterMode, StaffKind
from calaim.ops.paging import PageRequest

from ..enrollments.world import noon
from .world import build_world

TODAY = dt.date(2025, 10, 1)


def _visit(day: dt.date, minutes: int = 30) -> Encounter:
    return Encounter(day, EncounterMode.VIDEO, StaffKind.CLINICAL, minutes)


def test_recorded_audited_and_listed_for_the_plan(session: Session) -> None:
    world = build_world(session)
    row = EncounterService(session, world.lcm).record(
        world.enrollment.id, _visit(dt.date(2025, 9, 12)), today=TODAY, now=noon(TODAY)
    )
    assert (row.member_id, row.mode) == (world.member.id, "video")
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "ecm_encounter.create" in actions
    page = encounters_page(session, world.plan_admin, PageRequest())
    assert [item.id for item in page.items] == [row.id]
    with pytest.raises(Forbidden):  # CS staff do not read ECM enrollments
        encounters_page(session, world.cs_staff, PageRequest())
    other = build_world(session, "HEALTHNET")
    assert encounters_page(session, other.lcm, PageRequest()).total == 0


@pytest.mark.parametrize(
    ("day", "minutes", "error"),
    [
        (dt.date(2025, 9, 9), 30, InvalidRequest),  # the day before enrollment
        (dt.date(2025, 10, 2), 30, InvalidRequest),  # tomorrow
        (dt.date(2025, 9, 12), 0, InvalidRequest),
    ],
)
def test_dates_and_minutes_are_checked(
    session: Session, day: dt.date, minutes: int, error: type[Exception]
) -> None:
    world = build_world(session)
    with pytest.raises(error):
        EncounterService(session, world.lcm).record(
            world.enrollment.id, _visit(day, minutes), today=TODAY, now=noon(TODAY)
        )


def test_not_enrolled_or_after_discontinuation_is_refused(session: Session) -> None:
    world = build_world(session)
    world.enrollment.discontinued_on = dt.date(2025, 9, 20)
    session.flush()
    service = EncounterService(session, world.lcm)
    with pytest.raises(NotEnrolled, match="ended on 2025-09-20"):
        service.record(
            world.enrollment.id, _visit(dt.date(2025, 9, 21)), today=TODAY, now=noon(TODAY)
        )
    world.enrollment.enrolled_on = None
    session.flush()
    with pytest.raises(NotEnrolled, match="not enrolled"):
        service.record(
            world.enrollment.id, _visit(dt.date(2025, 9, 12)), today=TODAY, now=noon(TODAY)
        )


def test_only_the_members_ecm_provider_records(session: Session) -> None:
    world = build_world(session)
    with pytest.raises(Forbidden):  # CS staff lack outreach.record
        EncounterService(session, world.cs_staff).record(
            world.enrollment.id, _visit(dt.date(2025, 9, 12)), today=TODAY, now=noon(TODAY)
        )
    other = build_world(session, "HEALTHNET")
    with pytest.raises(NotFound):  # another provider's enrollment: not found, as if missing
        EncounterService(session, other.lcm).record(
            world.enrollment.id, _visit(dt.date(2025, 9, 12)), today=TODAY, now=noon(TODAY)
        )
