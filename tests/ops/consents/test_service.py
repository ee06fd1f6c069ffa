"""Recording and revoking Part 2 consents decides who sees substance-use determinations."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.consents.requests import ConsentRequests
from calaim.ops.consents.service import ConsentNotFound, ConsentService, RevokedBefore, SignedForm
from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.errors import Conflict, InvalidRequest, NotFound
from calaim.ops.models import (
    ConsentRequestStatus,
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


def form(
    party: User,
    *,
    granted_on: dt.date = TODAY,
    expires_on: dt.date = TODAY + dt.timedelta(365),
    document: str = "P2-001",
) -> SignedForm:
    """The member's signed form naming `party`'s organization."""
    return SignedForm(
        organization_id=party.organization_id,
        granted_on=granted_on,
        expires_on=expires_on,
        document_reference=document,
        scope="SUD eligibility and treatment, for care coordination",
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
        member_id, form(care_manager), today=TODAY
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
            member_id, form(care_manager, granted_on=TODAY + dt.timedelta(1)), today=TODAY
        )
    assert future.value.field == "granted_on"
    with pytest.raises(InvalidRequest) as backwards:
        service.record_consent(
            member_id, form(care_manager, expires_on=TODAY - dt.timedelta(1)), today=TODAY
        )
    assert backwards.value.field == "expires_on"


def test_outsiders_cannot_record_or_see_consents(session: Session, plan: Organization) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    consent = ConsentService(session, planner).record_consent(
        member_id, form(care_manager), today=TODAY
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


def test_a_provider_cannot_record_consent_for_itself_or_anyone_else(
    session: Session, plan: Organization
) -> None:
    _planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    third = user(
        session, organization(session, OrganizationKind.CS_PROVIDER), Role.CS_PROVIDER_STAFF
    )
    service = ConsentService(session, care_manager)
    for party in (care_manager, third):
        with pytest.raises(PermissionDenied):
            service.record_consent(member_id, form(party), today=TODAY)
    assert programs_seen(session, care_manager, TODAY) == set()


def test_a_revocation_sticks(session: Session, plan: Organization) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    plan_service = ConsentService(session, planner)
    consent = plan_service.record_consent(member_id, form(care_manager), today=TODAY)
    later = TODAY + dt.timedelta(10)
    plan_service.revoke(consent.id, revoked_on=later)
    # The revoked form again, or any form signed before the revocation, is refused.
    with pytest.raises(RevokedBefore, match="cannot be recorded again"):
        plan_service.record_consent(member_id, form(care_manager, granted_on=later), today=later)
    with pytest.raises(RevokedBefore, match="on or after that day"):
        plan_service.record_consent(
            member_id,
            form(care_manager, granted_on=later - dt.timedelta(1), document="P2-002"),
            today=later,
        )
    assert programs_seen(session, care_manager, later) == set()
    # A new form the member signed after revoking is the member's new decision.
    renewed = form(care_manager, granted_on=later + dt.timedelta(5), document="P2-003")
    plan_service.record_consent(member_id, renewed, today=later + dt.timedelta(5))
    assert programs_seen(session, care_manager, later + dt.timedelta(5)) == {"ecm.smh_sud"}


def test_only_the_members_plan_records_and_it_attests_the_form(
    session: Session, plan: Organization
) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    consent = ConsentService(session, planner).record_consent(
        member_id, form(care_manager), today=TODAY
    )
    assert (consent.recorded_by_user_id, consent.document_reference) == (planner.id, "P2-001")
    assert consent.scope
    assert consent.expires_on == TODAY + dt.timedelta(365)
    with pytest.raises(InvalidRequest) as itself:
        ConsentService(session, planner).record_consent(member_id, form(planner), today=TODAY)
    assert itself.value.field == "organization_id"


def test_a_provider_requests_consent_and_the_plan_answers(
    session: Session, plan: Organization
) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    now = dt.datetime(2025, 10, 1, 16, tzinfo=dt.UTC)
    asked = ConsentRequests(session, care_manager).ask(member_id, "care plan", now=now)
    assert asked.organization_id == care_manager.organization_id  # always its own
    assert programs_seen(session, care_manager, TODAY) == set()  # asking grants nothing
    with pytest.raises(Conflict, match="already has an open consent request"):
        ConsentRequests(session, care_manager).ask(member_id, "again", now=now)
    with pytest.raises(PermissionDenied):
        ConsentRequests(session, care_manager).decline(asked.id, "no", now=now)
    open_ones = ConsentRequests(session, planner).search(
        member_id=member_id, status=ConsentRequestStatus.OPEN
    )
    assert [r.id for r in open_ones] == [asked.id]
    answered = SignedForm(**{**form(care_manager).__dict__, "request_id": asked.id})
    ConsentService(session, planner).record_consent(member_id, answered, today=TODAY)
    assert asked.status == "recorded"
    assert programs_seen(session, care_manager, TODAY) == {"ecm.smh_sud"}


def test_others_see_only_consents_naming_them(session: Session, plan: Organization) -> None:
    planner, care_manager = smh_sud_member_with_provider(session, plan)
    member_id = session.query(MemberDetermination).one().member_id
    cs = organization(session, OrganizationKind.CS_PROVIDER)
    cs_staff = user(session, cs, Role.CS_PROVIDER_STAFF)
    service = ConsentService(session, planner)
    mine = service.record_consent(member_id, form(care_manager), today=TODAY)
    service.record_consent(member_id, form(cs_staff, document="P2-009"), today=TODAY)
    assert [c.id for c in ConsentService(session, care_manager).for_member(member_id)] == [mine.id]
    assert len(service.for_member(member_id)) == 2
