"""Reconciliation end to end on the store: matches, duplicates, contact changes, new people,
disenrollment, scoping, and person ids that stay the same from one month to the next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.linkage.sample import write_csv
from calaim.exchange.linkage.service import RosterUpload, reconcile
from calaim.ops.models import LinkedPerson, MemberContactChange, RosterKind, RosterReport
from exchange.linkage.world import AS_OF, World, as_row, build

NEW_PEOPLE = [
    {"first_name": "Zelda", "last_name": "Quintero", "birth_date": "1991-03-04", "sex": "F"},
    {"first_name": "Yusuf", "last_name": "Okafor", "birth_date": "1966-07-08", "sex": "M"},
]


def _run(
    session: Session,
    actor: Any,
    tmp: Path,
    rows: list[dict[str, Any]],
    as_of: dt.date,
    name: str = "jan.csv",
    dry_run: bool = False,
    full_roster: bool = True,
) -> RosterReport:
    path = tmp / name
    write_csv(rows, path)
    upload = RosterUpload(
        path, name, RosterKind.MEMBER_FILE, as_of, dry_run, full_roster=full_roster
    )
    return reconcile(session, actor, upload)


def _people(report: RosterReport) -> dict[str, str]:
    """member person_id -> linked person id, from the report's matched rows."""
    return {
        r["member_person_id"]: r["person_id"] for r in report.rows if r["category"] == "matched"
    }


def _month_one(world: World) -> list[dict[str, Any]]:
    rows = [as_row(m) for m in world.members[:-1]]  # the last member is left out
    rows[0]["first_name"] = rows[0]["first_name"] + "x"  # typo
    rows[1]["first_name"], rows[1]["last_name"] = rows[1]["last_name"], rows[1]["first_name"]
    rows[2]["address_line"], rows[2]["zip_code"] = "77 NEW HOME WAY", "93001"  # moved
    rows[3]["cin"] = None
    rows.append(dict(rows[4], phone="3105550199"))  # a duplicate with another phone
    rows.append(as_row(world.members[0]) | {"cin": None} | dict(NEW_PEOPLE[0]))
    return [*rows, dict(NEW_PEOPLE[1])]


def test_month_one_report_and_changes(session: Session, tmp_path: Path) -> None:
    world = build(session)
    report = _run(session, world.plan_user, tmp_path, _month_one(world), AS_OF)
    people = _people(report)
    summary = report.summary
    assert len(people) == len(world.members) - 1  # everyone sent was found
    assert summary["not_found"] == 2
    assert summary["duplicate"] == 2
    assert summary["address_changed"] == 1
    assert [r["member_person_id"] for r in report.rows if r["category"] == "disenrolled"] == [
        world.members[-1].person_id
    ]
    moved = world.members[2]
    # The address moves whole: street and ZIP from the file (the file's city is the same).
    assert (moved.address_line, moved.city, moved.zip_code) == (
        "77 NEW HOME WAY",
        "LOS ANGELES",
        "93001",
    )
    change = session.scalars(select(MemberContactChange)).one()
    assert (change.member_id, change.field, change.source) == (
        moved.id,
        "address",
        "roster:jan.csv",
    )
    assert change.effective_on == AS_OF
    assert change.new_value == "77 NEW HOME WAY, LOS ANGELES 93001"
    matched = next(r for r in report.rows if r["category"] == "matched")
    assert matched["probability"] >= 0.9
    assert set(matched["evidence"]) >= {"name", "cin"}


def test_person_ids_stay_the_same_next_month(session: Session, tmp_path: Path) -> None:
    world = build(session)
    first = _run(session, world.plan_user, tmp_path, _month_one(world), AS_OF)
    rows = [as_row(m) for m in world.members]
    rows[0]["last_name"] = rows[0]["last_name"][:-1]  # another typo, elsewhere
    rows[3] |= {"cin": None, "address_line": "1 ELSEWHERE", "zip_code": "96000"}
    rows[5]["first_name"], rows[5]["last_name"] = rows[5]["last_name"], rows[5]["first_name"]
    rows += [dict(NEW_PEOPLE[0], first_name="Zeldaa"), dict(NEW_PEOPLE[1])]
    second = _run(
        session, world.plan_user, tmp_path, rows, AS_OF + dt.timedelta(days=31), "feb.csv"
    )
    assert _people(second) == _people(first) | {
        world.members[-1].person_id: _people(second)[world.members[-1].person_id]
    }
    new_ids = {r["name"]: r["person_id"] for r in first.rows if r["category"] == "not_found"}
    again = {r["name"]: r["person_id"] for r in second.rows if r["category"] == "not_found"}
    assert set(again.values()) == set(new_ids.values())  # the new people kept their ids too
    total = session.scalar(select(func.count()).select_from(LinkedPerson))
    assert total == len(world.members) + 2


def test_dry_run_changes_nothing_but_keeps_the_report(session: Session, tmp_path: Path) -> None:
    world = build(session)
    report = _run(session, world.plan_user, tmp_path, _month_one(world), AS_OF, dry_run=True)
    assert report.dry_run
    assert report.summary["address_changed"] == 1
    assert session.scalar(select(func.count()).select_from(MemberContactChange)) == 0
    assert session.scalar(select(func.count()).select_from(LinkedPerson)) == 0


def test_other_tenants_members_never_match(session: Session, tmp_path: Path) -> None:
    world = build(session, count=10)
    others = session.scalars(
        select(type(world.members[0])).where(
            type(world.members[0]).plan_organization_id == world.other_plan.id
        )
    ).all()
    report = _run(session, world.plan_user, tmp_path, [as_row(m) for m in others], AS_OF)
    assert report.summary["matched"] == 0
    assert report.summary["not_found"] == len(others)
    foreign = {m.person_id for m in others}
    assert not any(r["member_person_id"] in foreign for r in report.rows)


def _counts(session: Session) -> tuple[int | None, ...]:
    from calaim.ops.models import PersonRecord

    return tuple(
        session.scalar(select(func.count()).select_from(table))
        for table in (LinkedPerson, PersonRecord, MemberContactChange)
    )


def test_the_identical_roster_twice_adds_nothing(session: Session, tmp_path: Path) -> None:
    world = build(session)
    rows = _month_one(world)
    first = _run(session, world.plan_user, tmp_path, rows, AS_OF, full_roster=True)
    after_first = _counts(session)
    second = _run(session, world.plan_user, tmp_path, rows, AS_OF, full_roster=True)
    assert _counts(session) == after_first
    assert _people(second) == _people(first)
    assert second.summary["address_changed"] == 0, "the address already changed last time"
