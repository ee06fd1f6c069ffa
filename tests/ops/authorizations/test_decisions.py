"""Reviewer decisions, withdrawal, reauthorization, illegal transitions, stale versions."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.authorizations.repository import AuthorizationNotFound
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.authorizations.state import (
    TRANSITIONS,
    AuthorizationEvent,
    DenialReasonRequired,
    IllegalAuthorizationTransition,
    next_status,
)
from calaim.ops.authorizations.validation import NotReauthorizable, StaleAuthorization
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import Authorization, AuthorizationStatus, Notice, StatusChange

from .conftest import Parties, at, determination
from .helpers import plan_request, provider_request

S = AuthorizationStatus
E = AuthorizationEvent
NOW = at(2024, 3, 4, 9, 0)


def um(session: Session, parties: Parties) -> AuthorizationService:
    """The plan's utilization-management reviewer."""
    return AuthorizationService(session, parties.um)


def approved(session: Session, parties: Parties) -> Authorization:
    """A reviewer-approved respite authorization from 2024-03-04."""
    pending = plan_request(session, parties, "cs.respite", NOW)
    return um(session, parties).approve(pending.id, expected_version=pending.version, now=NOW)


@pytest.mark.parametrize(
    ("status", "event"), [pair for pair in itertools.product(S, E) if pair not in TRANSITIONS]
)
def test_every_illegal_transition_is_refused(status: S, event: E) -> None:
    with pytest.raises(IllegalAuthorizationTransition, match=status.value):
        next_status(status, event)


def test_approve_defaults_to_the_plans_initial_months(session: Session, parties: Parties) -> None:
    authorization = approved(session, parties)
    assert authorization.status == "approved"
    assert authorization.decision_basis == "reviewer"
    assert authorization.decided_by_user_id == parties.um.id
    # LACARE's CS default: 6 months.
    assert (authorization.start_date, authorization.end_date) == (
        dt.date(2024, 3, 4),
        dt.date(2024, 9, 3),
    )


def test_approve_with_explicit_dates_and_limits(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    authorization = um(session, parties).approve(
        pending.id,
        expected_version=pending.version,
        now=NOW,
        start_date=dt.date(2024, 3, 10),
        end_date=dt.date(2024, 3, 10),  # a single day is allowed
        units_authorized=Decimal("40"),
        amount_authorized=Decimal("1250.50"),
    )
    assert authorization.end_date == dt.date(2024, 3, 10)
    assert authorization.units_authorized == Decimal("40")
    assert authorization.amount_authorized == Decimal("1250.50")


def test_approve_refuses_an_end_before_the_start(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    with pytest.raises(InvalidRequest) as error:
        um(session, parties).approve(
            pending.id,
            expected_version=pending.version,
            now=NOW,
            start_date=dt.date(2024, 3, 10),
            end_date=dt.date(2024, 3, 9),
        )
    assert error.value.field == "end_date"


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("-1")])
def test_approve_refuses_non_positive_limits(
    session: Session, parties: Parties, value: Decimal
) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    with pytest.raises(InvalidRequest) as error:
        um(session, parties).approve(
            pending.id, expected_version=pending.version, now=NOW, units_authorized=value
        )
    assert error.value.field == "units_authorized"


def test_approving_a_presumptive_authorization_keeps_its_start(
    session: Session, parties: Parties
) -> None:
    presumed = provider_request(
        session, parties, parties.lead_care_manager, "ecm", at(2025, 2, 3, 9, 0)
    )
    assert presumed.status == "presumptive"
    authorization = um(session, parties).approve(
        presumed.id, expected_version=presumed.version, now=at(2025, 2, 20, 9, 0)
    )
    assert authorization.start_date == dt.date(2025, 2, 3)
    assert authorization.end_date == dt.date(2026, 2, 2)


def test_only_utilization_management_decides(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    for actor in (parties.care_coordinator, parties.lead_care_manager):
        with pytest.raises(PermissionDenied):
            AuthorizationService(session, actor).approve(
                pending.id, expected_version=pending.version, now=NOW
            )


def test_another_plan_cannot_see_or_decide(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    with pytest.raises(AuthorizationNotFound):
        AuthorizationService(session, parties.other_plan_um).approve(
            pending.id, expected_version=pending.version, now=NOW
        )


def test_deny_with_code_and_text_notifies_the_member(session: Session, parties: Parties) -> None:
    pending = provider_request(session, parties, parties.cs_staff, "cs.respite", NOW)
    authorization = um(session, parties).deny(
        pending.id,
        expected_version=pending.version,
        now=NOW,
        reason_code="incomplete_info",
        reason="No caregiver information was sent.",
    )
    assert authorization.status == "denied"
    assert authorization.denial_reason_code == "incomplete_info"
    notices = session.scalars(select(Notice).where(Notice.subject_id == authorization.id)).all()
    assert sorted((n.kind, n.recipient, n.channel) for n in notices) == [
        ("authorization_denied", "member", "mail"),
        ("authorization_denied", "organization", "electronic"),
    ]
    assert notices[0].content["denial_reason"] == "No caregiver information was sent."


@pytest.mark.parametrize(
    ("code", "text", "field"),
    [("not_a_code", "why", "reason_code"), ("other", "  ", "reason"), ("other", "", "reason")],
)
def test_deny_needs_a_known_code_and_a_text(
    session: Session, parties: Parties, code: str, text: str, field: str
) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    with pytest.raises(DenialReasonRequired) as error:
        um(session, parties).deny(
            pending.id, expected_version=pending.version, now=NOW, reason_code=code, reason=text
        )
    assert error.value.field == field


def test_denying_a_presumptive_authorization_ends_its_window_at_the_decision(
    session: Session, parties: Parties
) -> None:
    presumed = provider_request(
        session, parties, parties.cs_staff, "cs.recuperative_care", at(2025, 7, 1, 9, 0)
    )
    assert presumed.presumptive_until == dt.date(2025, 7, 15)
    denied = um(session, parties).deny(
        presumed.id,
        expected_version=presumed.version,
        now=at(2025, 7, 8, 9, 0),
        reason_code="not_eligible",
        reason="Not homeless or unstably housed.",
    )
    assert denied.presumptive_until == dt.date(2025, 7, 8)


def test_withdraw_by_the_requester(session: Session, parties: Parties) -> None:
    pending = provider_request(session, parties, parties.cs_staff, "cs.respite", NOW)
    withdrawn = AuthorizationService(session, parties.cs_staff).withdraw(
        pending.id, expected_version=pending.version, now=NOW, reason="member moved"
    )
    assert withdrawn.status == "withdrawn"
    # A withdrawn request frees the member for a new one.
    again = provider_request(session, parties, parties.cs_staff, "cs.respite", NOW)
    assert again.status == "pending"


def test_decided_authorizations_are_final(session: Session, parties: Parties) -> None:
    authorization = approved(session, parties)
    service = um(session, parties)
    with pytest.raises(IllegalAuthorizationTransition, match="reauthorization"):
        service.deny(
            authorization.id,
            expected_version=authorization.version,
            now=NOW,
            reason_code="other",
            reason="changed mind",
        )
    with pytest.raises(IllegalAuthorizationTransition):
        service.withdraw(authorization.id, expected_version=authorization.version, now=NOW)
    with pytest.raises(IllegalAuthorizationTransition):
        service.approve(authorization.id, expected_version=authorization.version, now=NOW)


def test_stale_version_is_refused(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    with pytest.raises(StaleAuthorization, match="read it again"):
        um(session, parties).approve(pending.id, expected_version=pending.version + 1, now=NOW)


def test_every_step_is_recorded(session: Session, parties: Parties) -> None:
    authorization = approved(session, parties)
    steps = session.scalars(
        select(StatusChange).where(StatusChange.entity_id == authorization.id)
    ).all()
    assert {(s.from_status, s.to_status, s.actor_user_id) for s in steps} == {
        (None, "pending", parties.care_coordinator.id),
        ("pending", "approved", parties.um.id),
    }


def test_reauthorization_starts_the_day_after_and_lasts_the_reauth_months(
    session: Session, parties: Parties
) -> None:
    determination(session, parties.member, "ecm", dt.date(2024, 1, 1), offered=None)
    first = plan_request(session, parties, "ecm", at(2024, 1, 31, 9, 0))
    assert first.end_date == dt.date(2025, 1, 30)
    # The engine still finds the member eligible (a fresh run): approved at once.
    determination(session, parties.member, "ecm", dt.date(2025, 1, 1), offered=None)
    again = AuthorizationService(session, parties.care_coordinator).reauthorize(
        first.id, now=at(2025, 1, 6, 9, 0)
    )
    assert again.previous_authorization_id == first.id
    assert again.status == "approved"
    # LACARE: reauthorization_months 6.
    assert (again.start_date, again.end_date) == (dt.date(2025, 1, 31), dt.date(2025, 7, 30))


def test_reauthorization_decided_by_a_reviewer(session: Session, parties: Parties) -> None:
    first = approved(session, parties)
    again = AuthorizationService(session, parties.care_coordinator).reauthorize(
        first.id, now=at(2024, 8, 20, 9, 0)
    )
    assert again.status == "pending"  # no presumption for a reauthorization
    assert again.start_date == dt.date(2024, 9, 4)
    decided = um(session, parties).approve(
        again.id, expected_version=again.version, now=at(2024, 8, 21, 9, 0)
    )
    assert decided.start_date == dt.date(2024, 9, 4)
    assert decided.end_date == dt.date(2025, 3, 3)  # CS default has no reauth months: 6


def test_only_approved_authorizations_are_reauthorized(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", NOW)
    with pytest.raises(NotReauthorizable):
        AuthorizationService(session, parties.care_coordinator).reauthorize(pending.id, now=NOW)
