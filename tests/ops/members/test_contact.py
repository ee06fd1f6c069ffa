"""`MemberRepository.update_contact`: an address moves whole, scoped and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.members.repository import MemberNotFound, MemberRepository
from calaim.ops.models import AuditEvent, OrganizationKind, Role

from ..factories import member, organization, user


def test_update_contact_sets_street_city_zip_and_audits_the_source(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "PLANC")
    person = member(session, plan, "P0000003")
    person.address_line, person.city, person.zip_code = "1 OLD ST", "FRESNO", "93701"
    actor = user(session, plan, Role.PLAN_ADMIN)
    changed = MemberRepository(session, actor).update_contact(
        person.id,
        source="roster:jan.csv",
        address_line="2 NEW AVE",
        city="VENTURA",
        zip_code="93001",
    )
    assert (changed.address_line, changed.city, changed.zip_code) == (
        "2 NEW AVE",
        "VENTURA",
        "93001",
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.update")).one()
    assert event.member_person_id == "P0000003"
    assert event.details == {
        "before": {"address_line": "1 OLD ST", "city": "FRESNO", "zip_code": "93701"},
        "after": {"address_line": "2 NEW AVE", "city": "VENTURA", "zip_code": "93001"},
        "source": "roster:jan.csv",
    }


def test_update_contact_refuses_other_fields_and_other_tenants(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "PLAND")
    other = organization(session, OrganizationKind.PLAN, "PLANE")
    foreign = member(session, other, "P0000004")
    repository = MemberRepository(session, user(session, plan, Role.PLAN_ADMIN))
    with pytest.raises(MemberNotFound):
        repository.update_contact(foreign.id, source="roster:x.csv", phone="2135550100")
    assert foreign.phone != "2135550100"
    with pytest.raises(ValueError, match="last_name"):
        repository.update_contact(foreign.id, source="roster:x.csv", last_name="X")
