"""A referral's dated history: read by its parties (audited), not found for anyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import AuditEvent, Referral, ReferralSource
from calaim.ops.referrals.repository import ReferralNotFound, ReferralRepository
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent

from .conftest import NOW, Parties, lookup


def _accepted(session: Session, parties: Parties) -> Referral:
    referral = (
        ReferralService(session, parties.hospital)
        .create(
            member=lookup(parties.member),
            program_id="cs.recuperative_care",
            source_kind=ReferralSource.HOSPITAL,
            receiving_organization_id=parties.provider.id,
            now=NOW,
        )
        .referral
    )
    return ReferralService(session, parties.provider_staff).transition(
        referral.id,
        ReferralEvent.ACCEPT,
        expected_version=referral.version,
        # An hour later: the history is ordered by the steps' times.
        now=NOW + dt.timedelta(hours=1),
    )


def test_history_lists_the_steps_in_order_and_is_audited(
    session: Session, parties: Parties
) -> None:
    referral = _accepted(session, parties)
    steps = ReferralRepository(session, parties.hospital).history(referral.id)
    assert [(step.from_status, step.to_status) for step in steps] == [
        (None, "received"),
        ("received", "accepted"),
    ]
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "referral.history" in actions


def test_history_of_another_tenants_referral_is_not_found(
    session: Session, parties: Parties
) -> None:
    referral = _accepted(session, parties)
    with pytest.raises(ReferralNotFound):
        ReferralRepository(session, parties.other_plan_user).history(referral.id)
