"""Referral intake, lifecycle transitions, duplicates and optimistic concurrency."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from calaim.ops.models import AuditEvent, Referral, ReferralSource, ReferralTransition
from calaim.ops.referrals.service import ReferralService, StaleReferral, UnknownProgram
from calaim.ops.referrals.state import (
    TERMINAL_STATUSES,
    TRANSITIONS,
    IllegalTransition,
    ReferralEvent,
    ReferralStatus,
)

from .conftest import NOW, Parties, lookup

S = ReferralStatus
E = ReferralEvent

# The shortest way from a new referral to each status.
PATHS: dict[ReferralStatus, list[ReferralEvent]] = {
    S.RECEIVED: [],
    S.ACCEPTED: [E.ACCEPT],
    S.DECLINED: [E.DECLINE],
    S.IN_PROGRESS: [E.ACCEPT, E.START],
    S.SERVICES_RECEIVED: [E.ACCEPT, E.START, E.RECORD_SERVICES],
    S.CLOSED: [E.ACCEPT, E.START, E.RECORD_SERVICES, E.CLOSE],
}
ILLEGAL = [pair for pair in itertools.product(S, E) if pair not in TRANSITIONS]


def new_referral(
    session: Session, parties: Parties, program_id: str = "cs.recuperative_care"
) -> Referral:
    """A referral from the hospital to the right provider for the plan's member."""
    receiver = parties.ecm_provider if program_id == "ecm" else parties.provider
    intake = ReferralService(session, parties.hospital).create(
        member=lookup(parties.member),
        program_id=program_id,
        source_kind=ReferralSource.HOSPITAL,
        receiving_organization_id=receiver.id,
        reason_codes="discharge",
        now=NOW,
    )
    assert intake.created
    return intake.referral


def walk(session: Session, parties: Parties, target: ReferralStatus) -> Referral:
    """A referral brought to `target` by the receiving provider."""
    referral = new_referral(session, parties)
    service = ReferralService(session, parties.provider_staff)
    for event in PATHS[target]:
        service.transition(
            referral.id, event, expected_version=referral.version, reason="why", now=NOW
        )
    return referral


def actions(session: Session, referral: Referral) -> list[str]:
    """The audit actions recorded on `referral`, oldest first (notices are tested apart)."""
    statement = select(AuditEvent.action).where(
        AuditEvent.entity_id == str(referral.id), AuditEvent.action != "referral.notice"
    )
    return list(session.scalars(statement.order_by(AuditEvent.occurred_at)))


def history(session: Session, referral: Referral) -> list[ReferralTransition]:
    """The referral's transition rows, oldest first."""
    statement = select(ReferralTransition).where(ReferralTransition.referral_id == referral.id)
    return list(session.scalars(statement.order_by(ReferralTransition.at)))


def test_intake_records_a_received_referral(session: Session, parties: Parties) -> None:
    referral = new_referral(session, parties)
    assert referral.status == S.RECEIVED
    assert referral.referring_organization_id == parties.hospital.organization_id
    assert referral.version == 1
    [row] = history(session, referral)
    assert (row.from_status, row.to_status) == (None, S.RECEIVED)
    assert row.actor_user_id == parties.hospital.id
    assert actions(session, referral) == ["referral.create"]


@pytest.mark.parametrize(("current", "event"), list(TRANSITIONS))
def test_every_legal_transition_is_recorded_and_audited(
    session: Session, parties: Parties, current: S, event: E
) -> None:
    referral = walk(session, parties, current)
    before = referral.version
    ReferralService(session, parties.provider_staff).transition(
        referral.id, event, expected_version=before, reason="member declined", now=NOW
    )
    assert referral.status == TRANSITIONS[(current, event)]
    assert referral.version == before + 1
    last = history(session, referral)[-1]
    assert (last.from_status, last.to_status) == (current, referral.status)
    assert last.actor_user_id == parties.provider_staff.id
    assert last.reason == "member declined"
    assert actions(session, referral)[-1] == f"referral.{event.value}"
    if event == E.DECLINE:
        assert referral.decline_reason == "member declined"
    if event == E.CLOSE:
        assert referral.closure_reason == "member declined"


@pytest.mark.parametrize(("current", "event"), ILLEGAL)
def test_every_illegal_transition_is_refused(
    session: Session, parties: Parties, current: S, event: E
) -> None:
    referral = walk(session, parties, current)
    rows, version = len(history(session, referral)), referral.version
    with pytest.raises(IllegalTransition):
        ReferralService(session, parties.provider_staff).transition(
            referral.id, event, expected_version=version, reason="why", now=NOW
        )
    assert referral.status == current
    assert referral.version == version
    assert len(history(session, referral)) == rows


@pytest.mark.parametrize("terminal", sorted(TERMINAL_STATUSES))
def test_terminal_states_refuse_everything(session: Session, parties: Parties, terminal: S) -> None:
    referral = walk(session, parties, terminal)
    service = ReferralService(session, parties.plan_user)
    for event in E:
        with pytest.raises(IllegalTransition, match="final"):
            service.transition(
                referral.id, event, expected_version=referral.version, reason="x", now=NOW
            )


def test_an_open_referral_is_returned_instead_of_a_duplicate(
    session: Session, parties: Parties
) -> None:
    first = new_referral(session, parties)
    again = ReferralService(session, parties.plan_user).create(
        member_id=parties.member.id,
        program_id=first.program_id,
        source_kind=ReferralSource.PLAN,
        now=NOW,
    )
    assert not again.created
    assert again.referral.id == first.id
    assert session.scalars(select(Referral)).all() == [first]
    assert actions(session, first) == ["referral.create", "referral.duplicate"]


def test_another_program_or_a_closed_loop_is_not_a_duplicate(
    session: Session, parties: Parties
) -> None:
    declined = walk(session, parties, S.DECLINED)
    recuperative = new_referral(session, parties, "ecm")
    fresh = new_referral(session, parties)
    assert len({declined.id, recuperative.id, fresh.id}) == 3


def test_a_stale_version_is_refused(session: Session, parties: Parties) -> None:
    referral = new_referral(session, parties)
    service = ReferralService(session, parties.provider_staff)
    service.transition(referral.id, E.ACCEPT, expected_version=1, now=NOW)
    with pytest.raises(StaleReferral, match="read it again"):
        service.transition(referral.id, E.START, expected_version=1, now=NOW)
    assert referral.status == S.ACCEPTED


def test_a_concurrent_write_is_refused(session: Session, parties: Parties) -> None:
    referral = new_referral(session, parties)
    # Another writer bumps the row behind this session's back (the loaded object keeps 1).
    session.execute(
        update(Referral)
        .where(Referral.id == referral.id)
        .values(version=Referral.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleReferral):
        ReferralService(session, parties.provider_staff).transition(
            referral.id, E.ACCEPT, expected_version=1, now=NOW
        )


@pytest.mark.parametrize("program_id", ["ecm.homeless_adult", "cs.unknown", ""])
def test_only_ecm_and_community_supports_are_referable(
    session: Session, parties: Parties, program_id: str
) -> None:
    with pytest.raises(UnknownProgram, match="program_id"):
        ReferralService(session, parties.hospital).create(
            member=lookup(parties.member),
            program_id=program_id,
            source_kind=ReferralSource.HOSPITAL,
            now=NOW,
        )
    assert session.scalars(select(Referral)).all() == []
