"""Requests: decision clocks, automatic approval, presumptive authorization, duplicates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.authorizations.repository import MemberNotFound
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.authorizations.validation import DuplicateAuthorization
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import AuditEvent, Notice, StatusChange, Urgency

from .conftest import LA, Parties, at, determination
from .helpers import plan_request, provider_request, referral_to


def test_routine_request_is_due_in_five_business_days(session: Session, parties: Parties) -> None:
    # Friday before MLK Day 2024 (Mon Jan 15): due Mon Jan 22 at 17:00 Los Angeles time.
    authorization = plan_request(session, parties, "cs.housing_deposits", at(2024, 1, 12, 10, 0))
    assert authorization.status == "pending"
    assert authorization.decision_due_at.astimezone(LA) == dt.datetime(2024, 1, 22, 17, tzinfo=LA)


def test_expedited_request_is_due_in_72_clock_hours(session: Session, parties: Parties) -> None:
    now = at(2024, 11, 27, 18, 0)  # Wednesday evening before Thanksgiving
    authorization = provider_request(
        session, parties, parties.cs_staff, "cs.housing_deposits", now, Urgency.EXPEDITED
    )
    assert authorization.decision_due_at == now + dt.timedelta(hours=72)


def test_eligible_ecm_determination_approves_at_once(session: Session, parties: Parties) -> None:
    determination(session, parties.member, "ecm", dt.date(2024, 3, 1), offered=None)
    authorization = plan_request(session, parties, "ecm", at(2024, 3, 4, 9, 0))
    assert authorization.status == "approved"
    assert authorization.decision_basis == "engine_eligible"
    assert authorization.decided_by_user_id is None
    # LACARE's ECM initial_months is 12.
    assert (authorization.start_date, authorization.end_date) == (
        dt.date(2024, 3, 4),
        dt.date(2025, 3, 3),
    )
    steps = session.scalars(
        select(StatusChange)
        .where(StatusChange.entity_id == authorization.id)
        .order_by(StatusChange.to_status.desc())
    ).all()
    assert [(s.from_status, s.to_status) for s in steps] == [
        (None, "pending"),
        ("pending", "approved"),
    ]
    notices = session.scalars(select(Notice).where(Notice.subject_id == authorization.id)).all()
    assert [(n.kind, n.recipient) for n in notices] == [("authorization_approved", "member")]


@pytest.mark.parametrize(
    ("status", "offered"),
    [("eligible", False), ("eligible", None), ("not_offered", False), ("excluded", True)],
)
def test_cs_needs_an_eligible_and_offered_determination(
    session: Session, parties: Parties, status: str, offered: bool | None
) -> None:
    determination(session, parties.member, "cs.respite", dt.date(2024, 3, 1), status, offered)
    authorization = plan_request(session, parties, "cs.respite", at(2024, 3, 4, 9, 0))
    assert authorization.status == "pending"


def test_eligible_and_offered_cs_is_approved_for_the_plans_months(
    session: Session, parties: Parties
) -> None:
    determination(session, parties.member, "cs.recuperative_care", dt.date(2024, 3, 4))
    authorization = plan_request(session, parties, "cs.recuperative_care", at(2024, 3, 4, 9, 0))
    assert authorization.status == "approved"
    assert authorization.end_date == dt.date(2024, 6, 3)  # 3 months (LACARE recuperative care)


def test_a_determination_dated_after_the_request_is_not_used(
    session: Session, parties: Parties
) -> None:
    determination(session, parties.member, "ecm", dt.date(2024, 3, 5), offered=None)
    authorization = plan_request(session, parties, "ecm", at(2024, 3, 4, 9, 0))
    assert authorization.status == "pending"


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (dt.date(2024, 2, 3), "approved"),  # 30 days before the request: at the limit
        (dt.date(2024, 2, 2), "pending"),  # 31 days: too old, a reviewer decides
    ],
)
def test_automatic_approval_needs_a_recent_determination(
    session: Session, parties: Parties, as_of: dt.date, status: str
) -> None:
    # LACARE takes the statewide 30 days (authorization.determinations.max_age_days).
    determination(session, parties.member, "ecm", as_of, offered=None)
    authorization = plan_request(session, parties, "ecm", at(2024, 3, 4, 9, 0))
    assert authorization.status == status
    skipped = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "authorization.auto_approval_skipped",
            AuditEvent.entity_id == str(authorization.id),
        )
    ).all()
    if status == "approved":
        assert skipped == []
    else:
        assert [e.details for e in skipped] == [
            {"determination_as_of": "2024-02-02", "age_days": 31, "max_age_days": 30}
        ]
        assert authorization.decision_basis is None


def test_the_plans_own_determination_age_wins() -> None:
    from calaim.ops.authorizations.terms import determination_max_age_days

    # KAISER's sample terms set 45 days for ECM from 2025-07-01; before that the statewide 30.
    assert determination_max_age_days("KAISER", "ecm", dt.date(2025, 7, 1)) == 45
    assert determination_max_age_days("KAISER", "ecm", dt.date(2025, 6, 30)) == 30
    assert determination_max_age_days("KAISER", "cs.respite", dt.date(2025, 7, 1)) == 45
    assert determination_max_age_days("LACARE", "cs.respite", dt.date(2025, 7, 1)) == 30
    assert determination_max_age_days(None, "ecm", dt.date(2025, 7, 1)) == 30


def test_latest_determination_wins(session: Session, parties: Parties) -> None:
    determination(session, parties.member, "ecm", dt.date(2024, 1, 1), offered=None)
    determination(session, parties.member, "ecm", dt.date(2024, 2, 1), "not_eligible", None)
    authorization = plan_request(session, parties, "ecm", at(2024, 3, 4, 9, 0))
    assert authorization.status == "pending"


def test_ecm_presumptive_from_2025(session: Session, parties: Parties) -> None:
    authorization = provider_request(
        session, parties, parties.lead_care_manager, "ecm", at(2025, 1, 2, 9, 0)
    )
    assert authorization.status == "presumptive"
    assert authorization.start_date == dt.date(2025, 1, 2)
    assert authorization.presumptive_until == dt.date(2025, 2, 1)  # + 30 days


def test_no_ecm_presumptive_the_day_before_the_terms_allow_it(
    session: Session, parties: Parties
) -> None:
    # 2024-12-31 16:00 in Los Angeles is already 2025-01-01 in UTC: the local date decides.
    authorization = provider_request(
        session, parties, parties.lead_care_manager, "ecm", at(2024, 12, 31, 16, 0)
    )
    assert authorization.status == "pending"
    assert authorization.presumptive_until is None


@pytest.mark.parametrize(
    ("now", "status"),
    [(at(2025, 6, 30, 12, 0), "pending"), (at(2025, 7, 1, 12, 0), "presumptive")],
)
def test_recuperative_care_presumptive_from_its_terms_date(
    session: Session, parties: Parties, now: dt.datetime, status: str
) -> None:
    authorization = provider_request(
        session, parties, parties.cs_staff, "cs.recuperative_care", now
    )
    assert authorization.status == status


def test_cs_without_presumptive_terms_stays_pending(session: Session, parties: Parties) -> None:
    authorization = provider_request(
        session, parties, parties.cs_staff, "cs.housing_deposits", at(2025, 7, 1, 12, 0)
    )
    assert authorization.status == "pending"


def test_presumption_needs_a_provider_to_start_service(session: Session, parties: Parties) -> None:
    authorization = plan_request(session, parties, "ecm", at(2025, 3, 3, 9, 0))
    assert authorization.status == "pending"


def test_provider_is_the_requesting_provider_never_the_callers_choice(
    session: Session, parties: Parties
) -> None:
    referral = referral_to(session, parties, parties.cs_staff, "cs.respite")
    authorization = AuthorizationService(session, parties.cs_staff).request(
        member_id=parties.member.id,
        program_id="cs.respite",
        now=at(2024, 3, 4, 9, 0),
        referral_id=referral.id,
        provider_organization_id=parties.ecm_provider.id,
    )
    assert authorization.provider_organization_id == parties.cs_provider.id


def test_second_undecided_request_is_refused(session: Session, parties: Parties) -> None:
    first = plan_request(session, parties, "cs.respite", at(2024, 3, 4, 9, 0))
    with pytest.raises(DuplicateAuthorization, match=str(first.id)):
        plan_request(session, parties, "cs.respite", at(2024, 3, 5, 9, 0))


def test_unknown_program_is_refused(session: Session, parties: Parties) -> None:
    with pytest.raises(InvalidRequest) as error:
        plan_request(session, parties, "ecm.homeless_adult", at(2024, 3, 4, 9, 0))
    assert error.value.field == "program_id"


def test_referral_must_match_member_and_program(session: Session, parties: Parties) -> None:
    referral = referral_to(session, parties, parties.cs_staff, "cs.respite")
    with pytest.raises(InvalidRequest) as error:
        AuthorizationService(session, parties.cs_staff).request(
            member_id=parties.member.id,
            program_id="cs.housing_deposits",
            now=at(2024, 3, 4, 9, 0),
            referral_id=referral.id,
        )
    assert error.value.field == "referral_id"


def test_unconnected_provider_and_other_plan_cannot_request(
    session: Session, parties: Parties
) -> None:
    for actor in (parties.other_cs_staff, parties.other_plan_um):
        with pytest.raises(MemberNotFound):
            AuthorizationService(session, actor).request(
                member_id=parties.member.id, program_id="ecm", now=at(2024, 3, 4, 9, 0)
            )


def test_referrer_may_not_request(session: Session, parties: Parties) -> None:
    with pytest.raises(PermissionDenied):
        AuthorizationService(session, parties.referrer).request(
            member_id=parties.member.id, program_id="ecm", now=at(2024, 3, 4, 9, 0)
        )


def test_request_is_audited_with_the_members_person_id(session: Session, parties: Parties) -> None:
    authorization = plan_request(session, parties, "cs.respite", at(2024, 3, 4, 9, 0))
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "authorization.request",
            AuditEvent.entity_id == str(authorization.id),
        )
    ).one()
    assert event.member_person_id == "P0000001"
    assert event.details["decision_due_at"] == authorization.decision_due_at.isoformat()
