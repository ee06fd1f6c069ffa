"""Outreach attempts: by the assigned provider only, dated within assignment and today."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.enrollments.outreach import Attempt, InvalidMinutes, OutreachService
from calaim.ops.enrollments.repository import EnrollmentNotFound
from calaim.ops.enrollments.service import EnrollmentService, InvalidDate
from calaim.ops.enrollments.state import IllegalEnrollmentTransition
from calaim.ops.models import AuditEvent, OutreachMethod, StatusChange

from .world import ASSIGNED_ON, World, assigned, enrolled, noon

DAY = dt.timedelta(days=1)


def attempt(on: dt.date, *, minutes: int = 10, successful: bool = False) -> Attempt:
    """A text-message attempt."""
    return Attempt(
        attempted_on=on, method=OutreachMethod.TEXT, successful=successful, minutes=minutes
    )


def test_the_first_attempt_starts_outreach(session: Session, world: World) -> None:
    enrollment = assigned(session, world)
    today = ASSIGNED_ON + 5 * DAY
    service = OutreachService(session, world.lcm_a)
    row = service.record(
        enrollment.id, attempt(ASSIGNED_ON + 2 * DAY), today=today, now=noon(today)
    )
    assert row.recorded_by_user_id == world.lcm_a.id
    assert (enrollment.status, enrollment.outreach_started_on) == (
        "outreach",
        ASSIGNED_ON + 2 * DAY,
    )
    # A late report of an earlier attempt moves the start back; status stays in outreach.
    service.record(
        enrollment.id, attempt(ASSIGNED_ON + DAY, successful=True), today=today, now=noon(today)
    )
    assert enrollment.outreach_started_on == ASSIGNED_ON + DAY
    changes = session.scalars(select(StatusChange).where(StatusChange.entity_id == enrollment.id))
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, "assigned"),
        ("assigned", "outreach"),
    ]
    assert [a.attempted_on for a in service.attempts(enrollment.id)] == [
        ASSIGNED_ON + DAY,
        ASSIGNED_ON + 2 * DAY,
    ]
    audited = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.action == "enrollment.outreach_attempt",
            AuditEvent.entity_id == str(enrollment.id),
        )
    )
    assert len(audited.all()) == 2


def test_attempt_date_boundaries(session: Session, world: World) -> None:
    enrollment = assigned(session, world)
    service = OutreachService(session, world.lcm_a)
    today = ASSIGNED_ON + 3 * DAY
    with pytest.raises(InvalidDate) as caught:
        service.record(enrollment.id, attempt(ASSIGNED_ON - DAY), today=today, now=noon(today))
    assert caught.value.field == "attempted_on"
    with pytest.raises(InvalidDate, match="in the future"):
        service.record(enrollment.id, attempt(today + DAY), today=today, now=noon(today))
    service.record(
        enrollment.id, attempt(ASSIGNED_ON), today=today, now=noon(today)
    )  # the day of assignment
    service.record(enrollment.id, attempt(today), today=today, now=noon(today))  # today itself


def test_minutes_boundary(session: Session, world: World) -> None:
    enrollment = assigned(session, world)
    service = OutreachService(session, world.lcm_a)
    with pytest.raises(InvalidMinutes):
        service.record(
            enrollment.id,
            attempt(ASSIGNED_ON, minutes=-1),
            today=ASSIGNED_ON,
            now=noon(ASSIGNED_ON),
        )
    assert service.record(
        enrollment.id, attempt(ASSIGNED_ON, minutes=0), today=ASSIGNED_ON, now=noon(ASSIGNED_ON)
    )


def test_only_the_assigned_provider_records(session: Session, world: World) -> None:
    enrollment = assigned(session, world)
    with pytest.raises(EnrollmentNotFound):  # provider B cannot even see it
        OutreachService(session, world.lcm_b).record(
            enrollment.id, attempt(ASSIGNED_ON), today=ASSIGNED_ON, now=noon(ASSIGNED_ON)
        )
    with pytest.raises(PermissionDenied):  # plan users do not record outreach
        OutreachService(session, world.plan_user).record(
            enrollment.id, attempt(ASSIGNED_ON), today=ASSIGNED_ON, now=noon(ASSIGNED_ON)
        )
    OutreachService(session, world.supervisor_a).record(
        enrollment.id, attempt(ASSIGNED_ON), today=ASSIGNED_ON, now=noon(ASSIGNED_ON)
    )


def test_no_attempts_on_enrolled_or_discontinued(session: Session, world: World) -> None:
    enrollment = enrolled(session, world)
    service = OutreachService(session, world.lcm_a)
    with pytest.raises(IllegalEnrollmentTransition, match="ECM services"):
        service.record(
            enrollment.id, attempt(ASSIGNED_ON), today=ASSIGNED_ON, now=noon(ASSIGNED_ON)
        )
    EnrollmentService(session, world.lcm_a).discontinue(
        enrollment.id,
        expected_version=enrollment.version,
        reason_code="goals_met",
        discontinued_on=ASSIGNED_ON,
        today=ASSIGNED_ON,
        now=noon(ASSIGNED_ON),
    )
    with pytest.raises(IllegalEnrollmentTransition, match="final"):
        service.record(
            enrollment.id, attempt(ASSIGNED_ON), today=ASSIGNED_ON, now=noon(ASSIGNED_ON)
        )
