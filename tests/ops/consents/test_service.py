"""Recording and revoking Part 2 consents decides who sees substance-use determinations."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.consents.service import ConsentNotFound, ConsentService
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import (
    Enrollment,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Role,
    User,
)

from ..factories import member, organization, user

TODAY = dt.date(2025, 10, 1)


@pytest.fixture
def plan(session: Session) -> Organization:
    """A plan."""
    return organization(session, OrganizationKind.PLAN, "PLANA")


def smh_sud_member_with_provider(session: Session, plan: Organization) -> tuple[User, User]:
    """A plan user and an ECM provider's care manager holding the member's enrollment."""
    person = member(session, plan, "P1")
    provider = organization(session, OrganizationKind.ECM_PROVIDER)
    session.add_all(
        [
            MemberDetermination(
                member_id=person.id,
                program_id="ecm.smh_sud",
                as_of=TODAY,
                eligible=True,
                status="eligible",
                rule_version="v",
                policy_hash="h",
                part2=True,
            ),
            Enrollment(
                member_id=person.id,
                plan_organization_id=plan.id,
                provider_organization_id=provider.id,
                status="assigned",
                assignment_reason="matched",
                assigned_on=TODAY,
            ),
        ]
    )
    session.flush()
    return user(session, plan, Role.PLAN_CARE_COORDINATION), user(
        session, provider, Role.LEAD_CARE_MANAGER
    )


def programs_seen(session: Session, viewer: User, on: dt.date) -> set[str]:
    """Programs of the member's determinations the viewer sees on `on`."""
    member_id = session.query(MemberDetermination).one().member_id
    rows = DeterminationRepository(session, viewer).for_member(member_id, today=on)
    return {row.program_id for row in rows}


def test_a_consent_shows_part2_data_to_that_provider_until_revoked(
    session: Session, plan: Organization
) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    assert programs_seen(session, care_manager, TODAY) == set()
    member_id = session.query(MemberDetermination).one().member_id
    consent = ConsentService(session, planner).record_consent(
        member_id=member_id,
        organization_id=care_manager.organization_id,
        granted_on=TODAY,
        expires_on=None,
        today=TODAY,
    )
    assert programs_seen(session, care_manager, TODAY) == {"ecm.smh_sud"}
    ConsentService(session, care_manager).revoke(consent.id, revoked_on=TODAY + dt.timedelta(1))
    assert programs_seen(session, care_manager, TODAY) == {"ecm.smh_sud"}
    assert programs_seen(session, care_manager, TODAY + dt.timedelta(1)) == set()
    with pytest.raises(Conflict, match="already revoked"):
        ConsentService(session, planner).revoke(consent.id, revoked_on=TODAY)


def test_dates_are_checked(session: Session, plan: Organization) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    service = ConsentService(session, planner)
    with pytest.raises(InvalidRequest) as future:
        service.record_consent(
            member_id=member_id,
            organization_id=care_manager.organization_id,
            granted_on=TODAY + dt.timedelta(1),
            expires_on=None,
            today=TODAY,
        )
    assert future.value.field == "granted_on"
    with pytest.raises(InvalidRequest) as backwards:
        service.record_consent(
            member_id=member_id,
            organization_id=care_manager.organization_id,
            granted_on=TODAY,
            expires_on=TODAY - dt.timedelta(1),
            today=TODAY,
        )
    assert backwards.value.field == "expires_on"


def test_outsiders_cannot_record_or_see_consents(session: Session, plan: Organization) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    consent = ConsentService(session, planner).record_consent(
        member_id=member_id,
        organization_id=care_manager.organization_id,
        granted_on=TODAY,
        expires_on=None,
        today=TODAY,
    )
    other_plan = user(
        session, organization(session, OrganizationKind.PLAN, "PLANB"), Role.PLAN_ADMIN
    )
    with pytest.raises(NotFound):
        ConsentService(session, other_plan).for_member(member_id)
    with pytest.raises(ConsentNotFound):
        ConsentService(session, other_plan).revoke(consent.id, revoked_on=TODAY)
    referrer = user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER)
    with pytest.raises(PermissionDenied):
        ConsentService(session, referrer).revoke(consent.id, revoked_on=TODAY)
    assert [c.id for c in ConsentService(session, planner).for_member(member_id)] == [consent.id]
