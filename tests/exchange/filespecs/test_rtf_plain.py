"""The plain-value path of an RTF (status-only rows) writes what the ORM path writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.filespecs import apply_rtf, apply_rtf_steps, rtf_plain
from calaim.exchange.filespecs.errors import FileRejected
from calaim.exchange.filespecs.rtf_plain import PlainEnrollment
from calaim.exchange.filespecs.service import ingest_file
from calaim.ops.errors import Conflict
from calaim.ops.models import AuditEvent, Enrollment, StatusChange

from .world import RECEIVED_AT, World, build, rtf_file

ENROLLED_ON = (dt.date(2025, 9, 10), dt.date(2025, 9, 11))


def _written(session: Session, world: World) -> dict[str, Any]:
    ids = [enrollment.id for enrollment in world.enrollments]
    enrollments = session.execute(
        select(
            Enrollment.id,
            Enrollment.status,
            Enrollment.version,
            Enrollment.enrolled_on,
            Enrollment.authorization_id,
        )
        .where(Enrollment.id.in_(ids))
        .order_by(Enrollment.id)
    ).all()
    history = session.execute(
        select(
            StatusChange.entity_type,
            StatusChange.entity_id,
            StatusChange.from_status,
            StatusChange.to_status,
            StatusChange.actor_user_id,
            StatusChange.reason,
        ).where(StatusChange.entity_id.in_(ids))
    ).all()
    audits = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id.in_([str(i) for i in ids]))
    ).all()
    events = [
        (
            e.action,
            e.entity_type,
            e.entity_id,
            e.member_person_id,
            e.actor_user_id,
            e.organization_id,
            sorted(e.details.items()),
        )
        for e in audits
    ]
    return {
        "enrollments": [tuple(row) for row in enrollments],
        "history": sorted(tuple(str(v) for v in row) for row in history),
        "audits": sorted(events, key=str),
    }


def _ingest_and_collect(session: Session, world: World, data: bytes) -> tuple[Any, Any]:
    savepoint = session.begin_nested()
    result = ingest_file(session, world.plan_user, "rtf", "rtf.csv", data, now=RECEIVED_AT)
    written = _written(session, world)
    savepoint.rollback()
    return result.summary, written


@pytest.mark.parametrize("chunk", [2000, 1], ids=["chunked", "scan"])
def test_plain_path_writes_the_same_rows_as_the_orm_path(
    session: Session, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # chunk=1: members and enrollments are read by one scan of the plan's (most of them named).
    monkeypatch.setattr(rtf_plain, "CHUNK", chunk)
    world = build(session)
    data = rtf_file(
        world,
        [
            (0, {"ecm_status": "outreach"}),
            (1, {"ecm_status": "enrolled", "enrollment_start": dt.date(2025, 9, 10)}),
            (2, {"ecm_status": "enrolled"}),  # no change
            (4, {"ecm_status": "enrolled", "enrollment_start": dt.date(2025, 9, 11)}),
        ],
    )
    plain = _ingest_and_collect(session, world, data)
    # Every row through the ORM unit of work: no plain records, no batch.
    monkeypatch.setattr(apply_rtf, "status_only", lambda row: False)
    monkeypatch.setattr(apply_rtf_steps, "status_only", lambda row: False)
    orm = _ingest_and_collect(session, world, data)
    assert plain[0] == orm[0] == {"to_outreach": 1, "to_enrolled": 2}
    assert plain[1] == orm[1]
    # Enrolling links the ECM authorization covering the enrolled day, on both paths.
    enrolled = [row for row in plain[1]["enrollments"] if row[3] in ENROLLED_ON]
    assert len(enrolled) == 2
    assert all(row[4] is not None for row in enrolled)
    assert len(plain[1]["history"]) == 3
    assert len(plain[1]["audits"]) == 3


def test_a_member_moved_twice_in_one_file_is_updated_in_order(session: Session) -> None:
    world = build(session)
    first, fourth = world.enrollments[0], world.enrollments[4]
    versions = (first.version, fourth.version)
    assert versions[1] == versions[0] + 1, "member 4 starts at member 0's second version"
    enrolled = {"ecm_status": "enrolled", "enrollment_start": dt.date(2025, 9, 12)}
    # Member 0 moves twice (version v, then v + 1); member 4's move, at v + 1 with the same
    # date, comes first: the versioned writes must still follow each member's own order.
    data = rtf_file(world, [(4, enrolled), (0, {"ecm_status": "outreach"}), (0, enrolled)])
    result = ingest_file(session, world.plan_user, "rtf", "rtf.csv", data, now=RECEIVED_AT)
    assert result.summary == {"to_outreach": 1, "to_enrolled": 2}
    assert (first.status, first.version) == ("enrolled", versions[0] + 2)
    assert first.enrolled_on == dt.date(2025, 9, 12)
    assert (fourth.status, fourth.version) == ("enrolled", versions[1] + 1)
    changes = session.execute(
        select(StatusChange.from_status, StatusChange.to_status)
        .where(StatusChange.entity_id == first.id)
        .order_by(StatusChange.at)
    ).all()
    assert [tuple(c) for c in changes] == [("assigned", "outreach"), ("outreach", "enrolled")]


def test_a_plain_rule_refusal_names_the_row_and_column(session: Session) -> None:
    world = build(session)
    data = rtf_file(world, [(0, {"ecm_status": "outreach"}), (1, {"ecm_status": "enrolled"})])
    with pytest.raises(FileRejected) as raised:
        ingest_file(session, world.plan_user, "rtf", "rtf.csv", data, now=RECEIVED_AT)
    problems = raised.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, "ECM Enrollment Start Date")]
    assert world.enrollments[0].status == "assigned"


def test_an_enrollment_changed_meanwhile_is_a_conflict_and_nothing_is_kept(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(session)
    first = world.enrollments[0]
    version = first.version
    real = apply_rtf.plain_enrollments

    def stale(*args: Any) -> dict[Any, PlainEnrollment]:
        found = real(*args)
        for enrollment in found.values():
            if enrollment.id == first.id:
                enrollment.version -= 1  # as if read before someone else's change
        return found

    monkeypatch.setattr(apply_rtf, "plain_enrollments", stale)
    data = rtf_file(world, [(0, {"ecm_status": "outreach"}), (1, {"ecm_status": "outreach"})])
    with pytest.raises(Conflict):
        ingest_file(session, world.plan_user, "rtf", "rtf.csv", data, now=RECEIVED_AT)
    assert (first.status, first.version) == ("assigned", version)
    history = select(StatusChange).where(StatusChange.reason == "rtf:rtf.csv")
    assert session.scalars(history).all() == []
