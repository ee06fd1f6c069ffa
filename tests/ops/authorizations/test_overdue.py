"""The plan's overdue work queue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.authorizations.service import AuthorizationService

from .conftest import Parties, at
from .helpers import plan_request, provider_request


def test_overdue_lists_undecided_requests_past_due(session: Session, parties: Parties) -> None:
    late = plan_request(session, parties, "cs.respite", at(2024, 3, 4, 9, 0))  # due Mar 11 17:00
    on_time = plan_request(session, parties, "cs.housing_deposits", at(2024, 3, 6, 9, 0))
    service = AuthorizationService(session, parties.um)
    due = late.decision_due_at
    # Exactly at the due moment it is not yet overdue; one microsecond later it is.
    assert service.overdue(due) == []
    assert service.overdue(due + dt.timedelta(microseconds=1)) == [late]
    assert service.overdue(on_time.decision_due_at + dt.timedelta(seconds=1)) == [late, on_time]


def test_presumptive_requests_are_still_due(session: Session, parties: Parties) -> None:
    presumed = provider_request(
        session, parties, parties.lead_care_manager, "ecm", at(2025, 2, 3, 9, 0)
    )
    service = AuthorizationService(session, parties.um)
    assert service.overdue(at(2025, 3, 1, 0, 0)) == [presumed]


def test_decided_requests_leave_the_queue(session: Session, parties: Parties) -> None:
    pending = plan_request(session, parties, "cs.respite", at(2024, 3, 4, 9, 0))
    service = AuthorizationService(session, parties.um)
    service.approve(pending.id, expected_version=pending.version, now=at(2024, 3, 20, 9, 0))
    assert service.overdue(at(2024, 4, 1, 0, 0)) == []


def test_the_queue_is_the_plans_own(session: Session, parties: Parties) -> None:
    plan_request(session, parties, "cs.respite", at(2024, 3, 4, 9, 0))
    other = AuthorizationService(session, parties.other_plan_um)
    assert other.overdue(at(2024, 4, 1, 0, 0)) == []


def test_providers_have_no_queue(session: Session, parties: Parties) -> None:
    with pytest.raises(PermissionDenied):
        AuthorizationService(session, parties.cs_staff).overdue(at(2024, 4, 1, 0, 0))
