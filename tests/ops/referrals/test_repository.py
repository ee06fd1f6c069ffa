"""Referral scoping: who sees which referral, and "not found" for everyone else."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.models import AuditEvent, Referral, ReferralSource, User
from calaim.ops.referrals.repository import ReferralNotFound, ReferralRepository
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent

from .conftest import NOW, Parties, lookup


@pytest.fixture
def referral(session: Session, parties: Parties) -> Referral:
    """The hospital's referral of the plan's member to the CS provider."""
    return (
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


@pytest.mark.parametrize("who", ["plan_user", "hospital", "provider_staff"])
def test_the_plan_and_both_parties_see_the_referral(
    session: Session, parties: Parties, referral: Referral, who: str
) -> None:
    actor: User = getattr(parties, who)
    repository = ReferralRepository(session, actor)
    assert repository.get(referral.id) is referral
    assert repository.list() == [referral]


@pytest.mark.parametrize("who", ["other_plan_user", "unrelated_provider", "state_analyst"])
def test_others_get_not_found_never_forbidden(
    session: Session, parties: Parties, referral: Referral, who: str
) -> None:
    actor: User = getattr(parties, who)
    repository = ReferralRepository(session, actor)
    missing = uuid.uuid4()
    assert repository.list() == []
    with pytest.raises(ReferralNotFound) as hidden:
        repository.get(referral.id)
    with pytest.raises(ReferralNotFound) as absent:
        repository.get(missing)
    # The two messages differ only by the id asked for: nothing says the first one exists.
    assert str(hidden.value) == f"referral {referral.id} not found"
    assert str(absent.value) == f"referral {missing} not found"
    with pytest.raises(ReferralNotFound):
        ReferralService(session, actor).transition(
            referral.id, ReferralEvent.ACCEPT, expected_version=referral.version, now=NOW
        )
    assert referral.status == "received"


def test_a_plan_sees_referrals_of_its_members_only(
    session: Session, parties: Parties, referral: Referral
) -> None:
    ReferralService(session, parties.other_plan_user).create(
        member_id=parties.other_member.id,
        program_id="ecm",
        source_kind=ReferralSource.PLAN,
        now=NOW,
    )
    listed = ReferralRepository(session, parties.plan_user).list()
    assert [r.id for r in listed] == [referral.id]


def test_the_state_cannot_refer(session: Session, parties: Parties) -> None:
    # A role refusal says nothing about any member, so it is Forbidden, not "not found".
    with pytest.raises(PermissionDenied):
        ReferralService(session, parties.state_analyst).create(
            member_id=parties.member.id, program_id="ecm", source_kind=ReferralSource.OTHER, now=NOW
        )


def test_reads_and_failed_lookups_are_audited(
    session: Session, parties: Parties, referral: Referral
) -> None:
    ReferralRepository(session, parties.provider_staff).get(referral.id)
    with pytest.raises(ReferralNotFound):
        ReferralRepository(session, parties.other_plan_user).get(referral.id)
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.occurred_at)))
    read = next(e for e in events if e.action == "referral.read")
    assert read.actor_user_id == parties.provider_staff.id
    assert read.member_person_id == "P0000001"
    assert read.entity_type == "referral"
    probe = next(e for e in events if e.action == "referral.not_found")
    assert probe.actor_user_id == parties.other_plan_user.id
    assert probe.member_person_id is None
