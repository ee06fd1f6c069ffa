"""Determinations: latest row per program as of a date, audited reads, suppressed counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.determinations.aggregates import SMALL_CELL_LIMIT
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.models import (
    AuditEvent,
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Role,
    User,
)

from ..factories import member, organization, user

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def add(
    session: Session, person: Member, program: str, as_of: dt.date, status: str = "eligible"
) -> None:
    """One determination row."""
    session.add(
        MemberDetermination(
            member_id=person.id,
            program_id=program,
            as_of=as_of,
            eligible=status == "eligible",
            offered=None,
            status=status,
            rule_version="2026.1",
            policy_hash="sha256:x",
            part2=False,
        )
    )
    session.flush()


@pytest.fixture
def plan(session: Session) -> Organization:
    return organization(session, OrganizationKind.PLAN, "PLANA")


@pytest.fixture
def analyst(session: Session, plan: Organization) -> User:
    return user(session, plan, Role.PLAN_ADMIN)


def test_for_member_returns_the_latest_row_per_program(
    session: Session, plan: Organization, analyst: User
) -> None:
    person = member(session, plan, "P0000001")
    add(session, person, "ecm.homeless_adult", JAN, "not_eligible")
    add(session, person, "ecm.homeless_adult", FEB, "eligible")
    add(session, person, "cs.recuperative_care", MAR, "eligible")
    repository = DeterminationRepository(session, analyst)
    latest = repository.for_member(person.id)
    assert [(r.program_id, r.as_of) for r in latest] == [
        ("cs.recuperative_care", MAR),
        ("ecm.homeless_adult", FEB),
    ]
    # As of a date: the row in force then, and nothing determined later.
    as_of_jan = repository.for_member(person.id, JAN)
    assert [(r.program_id, r.status) for r in as_of_jan] == [("ecm.homeless_adult", "not_eligible")]
    only = repository.for_member(person.id, programs=["cs.recuperative_care"])
    assert [r.program_id for r in only] == ["cs.recuperative_care"]


def test_reads_are_audited_with_the_person(
    session: Session, plan: Organization, analyst: User
) -> None:
    person = member(session, plan, "P0000001")
    add(session, person, "ecm.homeless_adult", JAN)
    DeterminationRepository(session, analyst).for_member(person.id, FEB)
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "determination.read")
    ).all()
    assert event.member_person_id == "P0000001"
    assert event.details["programs"] == ["ecm.homeless_adult"]
    assert event.details["as_of"] == "2026-02-01"


def populate(session: Session, plan: Organization, n: int, program: str, county: str) -> None:
    """`n` members of `plan` in `county`, each eligible for `program` as of JAN."""
    for i in range(n):
        person = member(session, plan, f"{program[-4:]}{county[:2]}{plan.plan_code}{i:04d}")
        person.county = county
        add(session, person, program, JAN)


def test_aggregates_suppress_cells_under_eleven(
    session: Session, plan: Organization, analyst: User
) -> None:
    populate(session, plan, SMALL_CELL_LIMIT, "ecm.homeless_adult", "Los Angeles")
    populate(session, plan, SMALL_CELL_LIMIT - 1, "ecm.homeless_adult", "Fresno")
    populate(session, plan, 1, "ecm.ltc_risk", "Fresno")
    cells = DeterminationRepository(session, analyst).aggregates(as_of=FEB)
    shown = {(c.program_id, c.county): (c.count, c.display) for c in cells}
    assert shown == {
        ("ecm.homeless_adult", "Los Angeles"): (11, "11"),
        ("ecm.homeless_adult", "Fresno"): (None, "<11"),
        ("ecm.ltc_risk", "Fresno"): (None, "<11"),
    }
    fresno = DeterminationRepository(session, analyst).aggregates(county="Fresno")
    assert {c.county for c in fresno} == {"Fresno"}


def test_aggregates_count_each_members_latest_row_once(
    session: Session, plan: Organization, analyst: User
) -> None:
    populate(session, plan, 12, "ecm.homeless_adult", "Los Angeles")
    for person in session.scalars(select(Member)).all():
        add(session, person, "ecm.homeless_adult", FEB, "not_eligible")
    [before] = DeterminationRepository(session, analyst).aggregates(as_of=JAN)
    [after] = DeterminationRepository(session, analyst).aggregates(as_of=MAR)
    assert (before.status, before.count) == ("eligible", 12)
    assert (after.status, after.count) == ("not_eligible", 12)


def test_the_state_counts_every_plan_and_a_plan_only_its_own(
    session: Session, plan: Organization, analyst: User
) -> None:
    other = organization(session, OrganizationKind.PLAN, "PLANB")
    # A county no other test uses: HTTP tests commit rows the state would also count.
    populate(session, plan, 11, "ecm.homeless_adult", "Modoc")
    populate(session, other, 11, "ecm.homeless_adult", "Modoc")
    state = user(session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST)
    [everyone] = DeterminationRepository(session, state).aggregates(county="Modoc")
    [own] = DeterminationRepository(session, analyst).aggregates(county="Modoc")
    assert (everyone.count, own.count) == (22, 11)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "determination.aggregate")
    ).all()
    assert {e.actor_user_id for e in events} == {state.id, analyst.id}
    assert all(e.member_person_id is None for e in events)


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganizationKind.ECM_PROVIDER, Role.LEAD_CARE_MANAGER),
        (OrganizationKind.REFERRER, Role.REFERRER),
    ],
)
def test_providers_and_referrers_get_no_aggregates(
    session: Session, kind: OrganizationKind, role: Role
) -> None:
    outsider = user(session, organization(session, kind), role)
    with pytest.raises(PermissionDenied):
        DeterminationRepository(session, outsider).aggregates()
