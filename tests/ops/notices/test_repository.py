"""Notices are visible to the organization they are addressed to and to the member's plan."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import (
    AuditEvent,
    Member,
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeRecipient,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from calaim.ops.notices.repository import NoticeFilter, NoticeNotFound, NoticeRepository
from calaim.ops.paging import PageRequest

from ..factories import member, organization, user


def notice(session: Session, about: Member, to: Organization | None, kind: NoticeKind) -> Notice:
    """A notice about `about`, to the member (`to` None) or to an organization."""
    row = Notice(
        member_id=about.id,
        kind=kind.value,
        recipient=(NoticeRecipient.ORGANIZATION if to else NoticeRecipient.MEMBER).value,
        recipient_organization_id=to.id if to else None,
        channel=NoticeChannel.ELECTRONIC.value,
        subject_type="referral",
        subject_id=uuid.uuid4(),
        created_at=dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC),
        content={"provider": "Harbor"},
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class World:
    """Notices to and about two tenants, and the people looking at them."""

    to_member: Notice
    to_referrer: Notice
    other_tenant: Notice
    plan_user: User
    referrer_user: User
    provider_user: User
    analyst: User


@pytest.fixture
def world(session: Session) -> World:
    """Two plans with a member each; a referrer told of one assignment; a provider."""
    plan = organization(session, OrganizationKind.PLAN, "PLANA")
    other_plan = organization(session, OrganizationKind.PLAN, "PLANB")
    referrer = organization(session, OrganizationKind.REFERRER)
    mine, theirs = member(session, plan, "P1"), member(session, other_plan, "P2")
    return World(
        to_member=notice(session, mine, None, NoticeKind.ASSIGNMENT_TO_MEMBER),
        to_referrer=notice(session, mine, referrer, NoticeKind.ASSIGNMENT_TO_REFERRER),
        other_tenant=notice(session, theirs, None, NoticeKind.REFERRAL_RECEIVED),
        plan_user=user(session, plan, Role.PLAN_CARE_COORDINATION),
        referrer_user=user(session, referrer, Role.REFERRER),
        provider_user=user(
            session, organization(session, OrganizationKind.CS_PROVIDER), Role.CS_PROVIDER_STAFF
        ),
        analyst=user(session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST),
    )


def visible(session: Session, actor: User) -> set[uuid.UUID]:
    """Ids of every notice the actor can list."""
    result = NoticeRepository(session, actor).search(NoticeFilter(), PageRequest(limit=200))
    return {row.id for row in result.items}


def test_a_plan_sees_every_notice_about_its_members_only(session: Session, world: World) -> None:
    seen = visible(session, world.plan_user)
    assert {world.to_member.id, world.to_referrer.id} <= seen
    assert world.other_tenant.id not in seen


def test_a_referrer_sees_only_notices_addressed_to_it(session: Session, world: World) -> None:
    assert visible(session, world.referrer_user) == {world.to_referrer.id}


def test_an_unconnected_provider_and_the_state_see_none(session: Session, world: World) -> None:
    assert visible(session, world.provider_user) == set()
    with pytest.raises(PermissionError):
        visible(session, world.analyst)


def test_another_tenants_notice_is_not_found_and_the_probe_is_audited(
    session: Session, world: World
) -> None:
    target = world.other_tenant.id
    with pytest.raises(NoticeNotFound):
        NoticeRepository(session, world.plan_user).get(target)
    probes = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "notice.not_found", AuditEvent.entity_id == str(target)
        )
    ).all()
    assert len(probes) == 1


def test_filters_and_reads_are_audited(session: Session, world: World) -> None:
    repository = NoticeRepository(session, world.plan_user)
    page = repository.search(
        NoticeFilter(kind=NoticeKind.ASSIGNMENT_TO_REFERRER), PageRequest(limit=10)
    )
    assert [row.id for row in page.items] == [world.to_referrer.id]
    assert page.total == 1
    read = repository.get(world.to_member.id)
    assert read.content == {"provider": "Harbor"}
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(world.to_member.id))
    ).all()
    assert actions == ["notice.read"]


def test_list_and_read_audit_rows_name_the_member(session: Session, world: World) -> None:
    repository = NoticeRepository(session, world.plan_user)
    repository.search(NoticeFilter(), PageRequest(limit=10))
    repository.get(world.to_member.id)
    about = session.get(Member, world.to_member.member_id)
    assert about is not None
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(["notice.list", "notice.read"]))
    ).all()
    assert {event.action for event in events} == {"notice.list", "notice.read"}
    assert all(event.member_person_id for event in events)
    mine = [e.action for e in events if e.entity_id == str(world.to_member.id)]
    assert sorted(mine) == ["notice.list", "notice.read"]
    assert {e.member_person_id for e in events if e.entity_id == str(world.to_member.id)} == {
        about.person_id
    }
