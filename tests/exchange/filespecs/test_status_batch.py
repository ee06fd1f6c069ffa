"""Batched RTF status moves write what the ORM path writes: version, history, one audit each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs.service import ingest_file
from calaim.ops.models import AuditEvent, Enrollment, StatusChange

from .world import RECEIVED_AT, build, rtf_file


def _state(session: Session, enrollment: Enrollment) -> tuple[str, int, dt.date | None]:
    row = session.execute(
        select(Enrollment.status, Enrollment.version, Enrollment.enrolled_on).where(
            Enrollment.id == enrollment.id
        )
    ).one()
    return row.status, row.version, row.enrolled_on


def _changes(session: Session, enrollment: Enrollment) -> list[tuple[str | None, str]]:
    query = select(StatusChange.from_status, StatusChange.to_status).where(
        StatusChange.entity_id == enrollment.id, StatusChange.reason == "rtf:rtf.csv"
    )
    return [(row.from_status, row.to_status) for row in session.execute(query)]


def test_batched_and_orm_rows_interleave_with_one_audit_event_per_member(
    session: Session,
) -> None:
    world = build(session)
    first, second = world.enrollments[0], world.enrollments[1]
    versions = (first.version, second.version)
    enrolled = {
        "ecm_status": "enrolled",
        "enrollment_start": dt.date(2025, 9, 10),
        "assessment_started": dt.date(2025, 9, 12),
    }
    # Row 2 is batched; row 3 goes through the ORM; row 4 changes nothing.
    data = rtf_file(
        world, [(0, {"ecm_status": "outreach"}), (1, enrolled), (0, {"ecm_status": "outreach"})]
    )
    result = ingest_file(session, world.plan_user, "rtf", "rtf.csv", data, now=RECEIVED_AT)
    assert result.summary["to_outreach"] == 1
    assert result.summary["to_enrolled"] == 1
    assert _state(session, first) == ("outreach", versions[0] + 1, None)
    assert _state(session, second)[:2] == ("enrolled", versions[1] + 1)
    assert first.status == "outreach"
    assert first.version == versions[0] + 1
    assert _changes(session, first) == [("assigned", "outreach")]
    assert _changes(session, second) == [("outreach", "enrolled")]
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(first.id))).all()
    assert [(e.action, e.member_person_id) for e in events] == [
        ("enrollment.outreach", world.members[0].person_id)
    ]
    [event] = events
    assert event.actor_user_id == world.plan_user.id
    assert event.organization_id == world.plan.id
    assert event.details == {"from": "assigned", "to": "outreach", "source": "rtf:rtf.csv"}


def test_a_dry_run_of_batched_moves_leaves_nothing_behind(session: Session) -> None:
    world = build(session)
    first = world.enrollments[0]
    before = _state(session, first)
    data = rtf_file(world, [(0, {"ecm_status": "outreach"})])
    result = ingest_file(
        session, world.plan_user, "rtf", "rtf.csv", data, dry_run=True, now=RECEIVED_AT
    )
    assert result.summary == {"to_outreach": 1}
    assert not result.applied
    assert _state(session, first) == before
    assert (first.status, first.version) == before[:2], "the loaded enrollment is not stale"
    assert _changes(session, first) == []
