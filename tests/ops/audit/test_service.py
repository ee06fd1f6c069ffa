"""The audit log is append-only: the repository offers no way to change it, and flushes refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.audit.service import AuditLogIsAppendOnly, record
from calaim.ops.members.repository import MemberRepository
from calaim.ops.models import AuditEvent, OrganizationKind, Role

from ..factories import member, organization, user


def test_record_names_actor_entity_and_member(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "AUDPLAN")
    actor = user(session, plan, Role.PLAN_ADMIN)
    row = member(session, plan, "P0000042")
    event = record(session, actor, "member.read", row, details={"why": "test"})
    session.flush()
    assert (event.actor_user_id, event.organization_id) == (actor.id, plan.id)
    assert (event.entity_type, event.entity_id) == ("member", str(row.id))
    assert event.member_person_id == "P0000042"
    assert event.details == {"why": "test"}


def test_repository_has_no_way_to_change_audit_events() -> None:
    public = {name for name in dir(MemberRepository) if not name.startswith("_")}
    assert not {name for name in public if "audit" in name or "delete" in name}


@pytest.mark.parametrize("change", ["update", "delete"])
def test_audit_events_cannot_be_changed_or_deleted(session: Session, change: str) -> None:
    plan = organization(session, OrganizationKind.PLAN, "AUDPLAN2")
    actor = user(session, plan, Role.PLAN_ADMIN)
    MemberRepository(session, actor).list()
    member(session, plan, "P0000043")
    MemberRepository(session, actor).list()
    event = session.scalars(select(AuditEvent)).first()
    assert event is not None
    if change == "update":
        event.action = "member.nothing_to_see"
    else:
        session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()
