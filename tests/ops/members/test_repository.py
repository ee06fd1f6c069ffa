"""Tenant scoping and auditing of member reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.members.repository import MemberNotFound, MemberRepository, MemberWriteRefused
from calaim.ops.models import AuditEvent, Member, Organization, OrganizationKind, Role, User

from ..factories import member, organization, user


@pytest.fixture
def plans(session: Session) -> tuple[Organization, Organization]:
    """Two plans, each with one member."""
    plan_a = organization(session, OrganizationKind.PLAN, "PLANA")
    plan_b = organization(session, OrganizationKind.PLAN, "PLANB")
    member(session, plan_a, "P0000001")
    member(session, plan_b, "P0000002")
    return plan_a, plan_b


@pytest.fixture
def plan_user(session: Session, plans: tuple[Organization, Organization]) -> User:
    """A care coordinator of the first plan."""
    return user(session, plans[0], Role.PLAN_CARE_COORDINATION)


def audit_events(session: Session, action: str | None = None) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.occurred_at)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return list(session.scalars(statement))


def test_a_plan_lists_only_its_own_members(session: Session, plan_user: User) -> None:
    listed = MemberRepository(session, plan_user).list()
    assert [m.person_id for m in listed] == ["P0000001"]


def test_another_plans_member_is_not_found_not_forbidden(
    session: Session, plans: tuple[Organization, Organization], plan_user: User
) -> None:
    foreign = session.scalars(
        select(Member).where(Member.plan_organization_id == plans[1].id)
    ).one()
    missing = uuid.uuid4()
    repository = MemberRepository(session, plan_user)
    with pytest.raises(MemberNotFound) as foreign_error:
        repository.get(foreign.id)
    with pytest.raises(MemberNotFound) as missing_error:
        repository.get(missing)
    # The two messages differ only by the id asked for: nothing says the first one exists.
    assert str(foreign_error.value) == f"member {foreign.id} not found"
    assert str(missing_error.value) == f"member {missing} not found"
    with pytest.raises(MemberNotFound):
        repository.update(foreign.id, language="en")
    assert foreign.language == "es"


@pytest.mark.parametrize("kind", [k for k in OrganizationKind if k != OrganizationKind.PLAN])
def test_other_kinds_see_no_members_yet(
    session: Session, plans: tuple[Organization, Organization], kind: OrganizationKind
) -> None:
    outsider = user(session, organization(session, kind), Role.REFERRER)
    assert MemberRepository(session, outsider).list() == []
    with pytest.raises(MemberWriteRefused):
        MemberRepository(session, outsider).create(
            person_id="P9",
            first_name="A",
            last_name="B",
            birth_date=dt.date(1990, 1, 1),
            county="Kern",
        )


def test_every_read_and_write_is_audited(session: Session, plan_user: User) -> None:
    repository = MemberRepository(session, plan_user)
    created = repository.create(
        person_id="P0000003",
        first_name="Luis",
        last_name="Ortega",
        birth_date=dt.date(1985, 2, 3),
        county="Los Angeles",
        language="es",
    )
    repository.get(created.id)
    repository.update(created.id, language="en")
    listed = repository.list()
    with pytest.raises(MemberNotFound):
        repository.get(uuid.uuid4())

    actions = [event.action for event in audit_events(session)]
    assert actions.count("member.create") == 1
    assert actions.count("member.read") == 1
    assert actions.count("member.update") == 1
    assert actions.count("member.list") == len(listed) == 2
    assert actions.count("member.not_found") == 1
    for event in audit_events(session):
        assert event.actor_user_id == plan_user.id
        assert event.organization_id == plan_user.organization_id
        assert event.entity_type == "member"
        assert event.occurred_at is not None
    update = audit_events(session, "member.update")[0]
    assert update.member_person_id == "P0000003"
    assert update.details == {"before": {"language": "es"}, "after": {"language": "en"}}


def test_created_members_belong_to_the_actors_plan(session: Session, plan_user: User) -> None:
    created = MemberRepository(session, plan_user).create(
        person_id="P0000004",
        first_name="Mei",
        last_name="Chen",
        birth_date=dt.date(2001, 7, 9),
        county="Alameda",
    )
    assert created.plan_organization_id == plan_user.organization_id
    assert created.payer == "PLANA"


def test_update_refuses_ownership_fields(session: Session, plan_user: User) -> None:
    repository = MemberRepository(session, plan_user)
    own = repository.list()[0]
    with pytest.raises(ValueError, match="plan_organization_id"):
        repository.update(own.id, plan_organization_id=uuid.uuid4())
    count = session.scalar(select(func.count()).select_from(AuditEvent))
    assert count == 1  # only the list read; the refused update wrote nothing
