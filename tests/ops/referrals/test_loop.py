"""Closed-loop notices at the loop's turning points, and loops past their windows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import Notice, ProviderProfile, Referral, ReferralSource
from calaim.ops.referrals.policy import LoopStep
from calaim.ops.referrals.service import ReferralService
from calaim.ops.referrals.state import ReferralEvent

from .conftest import Parties, lookup

E = ReferralEvent
CS = "cs.recuperative_care"
GO_LIVE = dt.datetime(2025, 7, 1, 0, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def refer(
    session: Session, parties: Parties, now: dt.datetime, *, routed: bool = False, program: str = CS
) -> Referral:
    """The hospital refers the plan's member at `now` (to the CS provider if `routed`)."""
    return (
        ReferralService(session, parties.hospital)
        .create(
            member=lookup(parties.member),
            program_id=program,
            source_kind=ReferralSource.HOSPITAL,
            receiving_organization_id=parties.provider.id if routed else None,
            now=now,
        )
        .referral
    )


def notices(session: Session) -> list[tuple[str, object]]:
    """(kind, recipient organization or 'member') of every notice, in creation order."""
    rows = session.scalars(select(Notice).order_by(Notice.created_at, Notice.kind)).all()
    return [(n.kind, n.recipient_organization_id or n.recipient) for n in rows]


def test_no_notices_before_the_go_live_date(session: Session, parties: Parties) -> None:
    refer(session, parties, GO_LIVE - dt.timedelta(seconds=1))
    assert notices(session) == []


def test_the_member_is_told_of_the_referral_from_go_live(
    session: Session, parties: Parties
) -> None:
    referral = refer(session, parties, GO_LIVE)
    [notice] = session.scalars(select(Notice)).all()
    assert (notice.kind, notice.recipient, notice.channel) == (
        "referral_received",
        "member",
        "electronic",
    )
    assert (notice.subject_type, notice.subject_id) == ("referral", referral.id)
    assert notice.content["program_id"] == CS


def test_routing_a_community_support_tells_member_and_referrers(
    session: Session, parties: Parties
) -> None:
    session.add(ProviderProfile(organization_id=parties.provider.id, phone="213-555-0111"))
    referral = refer(session, parties, T0)
    ReferralService(session, parties.clinic).create(
        member=lookup(parties.member), program_id=CS, source_kind=ReferralSource.CLINIC, now=T0
    )
    ReferralService(session, parties.plan_user).route(
        referral.id, parties.provider.id, expected_version=referral.version, now=T0 + DAY
    )
    assert notices(session)[1:] == [
        ("assignment_to_member", "member"),
        ("assignment_to_referrer", parties.hospital.organization_id),
        ("assignment_to_referrer", parties.clinic.organization_id),
    ]
    member_notice = session.scalars(
        select(Notice).where(Notice.kind == "assignment_to_member")
    ).one()
    assert member_notice.content["provider_name"] == parties.provider.name
    assert member_notice.content["provider_phone"] == "213-555-0111"


def test_routing_ecm_leaves_assignment_notices_to_the_enrollment(
    session: Session, parties: Parties
) -> None:
    referral = refer(session, parties, T0, program="ecm")
    ReferralService(session, parties.plan_user).route(
        referral.id, parties.ecm_provider.id, expected_version=referral.version, now=T0
    )
    assert notices(session) == [("referral_received", "member")]


def test_the_plan_never_notifies_itself(session: Session, parties: Parties) -> None:
    referral = (
        ReferralService(session, parties.plan_user)
        .create(member_id=parties.member.id, program_id=CS, source_kind=ReferralSource.PLAN, now=T0)
        .referral
    )
    ReferralService(session, parties.plan_user).route(
        referral.id, parties.provider.id, expected_version=referral.version, now=T0
    )
    assert sorted(notices(session), key=str) == [
        ("assignment_to_member", "member"),
        ("referral_received", "member"),
    ]


@pytest.mark.parametrize(
    ("events", "kind"),
    [([E.DECLINE], "referral_declined"), ([E.ACCEPT, E.CLOSE], "referral_closed")],
)
def test_referrers_hear_when_the_loop_ends(
    session: Session, parties: Parties, events: list[E], kind: str
) -> None:
    referral = refer(session, parties, T0, routed=True)
    service = ReferralService(session, parties.provider_staff)
    for event in events:
        service.transition(
            referral.id, event, expected_version=referral.version, reason="no capacity", now=T0
        )
    # Acceptance is heard too (issue 13: the discharge planner learns the provider took it).
    accepted = (
        {("referral_accepted", parties.hospital.organization_id)} if E.ACCEPT in events else set()
    )
    assert set(notices(session)) == {
        ("referral_received", "member"),
        (kind, parties.hospital.organization_id),
        *accepted,
    }
    last = session.scalars(select(Notice).where(Notice.kind == kind)).one()
    assert last.content["reason"] == "no capacity"


# --- overdue loops: windows from closed_loop.yaml (route 5, decide 5, start 30, close 30 days)


def late(session: Session, parties: Parties, who: str, now: dt.datetime) -> list[LoopStep]:
    """The late steps `who` sees at `now`."""
    return [loop.step for loop in ReferralService(session, getattr(parties, who)).overdue(now)]


@pytest.mark.parametrize(
    ("routed", "events", "step", "days"),
    [
        (False, [], LoopStep.ROUTE, 5),
        (True, [], LoopStep.ACCEPT_OR_DECLINE, 5),
        (True, [E.ACCEPT], LoopStep.START, 30),
        (True, [E.ACCEPT, E.START, E.RECORD_SERVICES], LoopStep.CLOSE, 30),
    ],
)
def test_a_loop_is_late_only_after_its_window(
    session: Session, parties: Parties, routed: bool, events: list[E], step: LoopStep, days: int
) -> None:
    referral = refer(session, parties, T0 - DAY, routed=routed)
    service = ReferralService(session, parties.provider_staff)
    for event in events:
        service.transition(referral.id, event, expected_version=referral.version, now=T0)
    started = T0 if events else T0 - DAY
    due = started + dt.timedelta(days=days)
    assert late(session, parties, "plan_user", due) == []
    [loop] = ReferralService(session, parties.plan_user).overdue(due + dt.timedelta(seconds=1))
    assert (loop.step, loop.due, loop.late_by) == (step, due, dt.timedelta(seconds=1))


def test_in_progress_loops_have_no_window(session: Session, parties: Parties) -> None:
    referral = refer(session, parties, T0, routed=True)
    service = ReferralService(session, parties.provider_staff)
    for event in (E.ACCEPT, E.START):
        service.transition(referral.id, event, expected_version=referral.version, now=T0)
    assert late(session, parties, "plan_user", T0 + 400 * DAY) == []


def test_routing_restarts_the_clock(session: Session, parties: Parties) -> None:
    referral = refer(session, parties, T0)
    ReferralService(session, parties.plan_user).route(
        referral.id, parties.provider.id, expected_version=referral.version, now=T0 + 4 * DAY
    )
    assert late(session, parties, "plan_user", T0 + 6 * DAY) == []
    assert late(session, parties, "plan_user", T0 + 10 * DAY) == [LoopStep.ACCEPT_OR_DECLINE]


def test_overdue_loops_are_scoped_to_the_actor(session: Session, parties: Parties) -> None:
    refer(session, parties, T0, routed=True)
    later = T0 + 30 * DAY
    assert late(session, parties, "provider_staff", later) == [LoopStep.ACCEPT_OR_DECLINE]
    assert late(session, parties, "hospital", later) == [LoopStep.ACCEPT_OR_DECLINE]
    for outsider in ("other_plan_user", "unrelated_provider", "state_analyst"):
        assert late(session, parties, outsider, later) == []
