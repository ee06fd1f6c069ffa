"""Who may take each step of a referral's loop, and routing by the member's plan."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.access.referral_rules import NotYourStep
from calaim.ops.errors import Forbidden, InvalidRequest
from calaim.ops.models import Referral, ReferralSource, ReferralTransition, Role
from calaim.ops.referrals.repository import ReferralNotFound
from calaim.ops.referrals.service import ReferralService, RouteRefused
from calaim.ops.referrals.state import ReferralEvent, ReferralStatus

from ..factories import user
from .conftest import NOW, Parties, lookup

E = ReferralEvent
S = ReferralStatus
CS = "cs.recuperative_care"
# The event to try from each status, and the status it reaches.
STEPS = [
    (S.RECEIVED, E.ACCEPT),
    (S.RECEIVED, E.DECLINE),
    (S.ACCEPTED, E.START),
    (S.IN_PROGRESS, E.RECORD_SERVICES),
    (S.SERVICES_RECEIVED, E.CLOSE),
    (S.ACCEPTED, E.CLOSE),
]
BEFORE = {
    S.RECEIVED: [],
    S.ACCEPTED: [E.ACCEPT],
    S.IN_PROGRESS: [E.ACCEPT, E.START],
    S.SERVICES_RECEIVED: [E.ACCEPT, E.START, E.RECORD_SERVICES],
}


def referral_at(session: Session, parties: Parties, status: S, routed: bool = True) -> Referral:
    """A hospital referral to the CS provider, brought to `status` by the provider."""
    referral = (
        ReferralService(session, parties.hospital)
        .create(
            member=lookup(parties.member),
            program_id=CS,
            source_kind=ReferralSource.HOSPITAL,
            receiving_organization_id=parties.provider.id if routed else None,
            now=NOW,
        )
        .referral
    )
    service = ReferralService(session, parties.provider_staff)
    for event in BEFORE[status]:
        service.transition(referral.id, event, expected_version=referral.version, now=NOW)
    return referral


def act(session: Session, parties: Parties, who: str, referral: Referral, event: E) -> None:
    """`who` applies `event` to the referral."""
    ReferralService(session, getattr(parties, who)).transition(
        referral.id, event, expected_version=referral.version, reason="member declined", now=NOW
    )


@pytest.mark.parametrize(("status", "event"), STEPS)
def test_the_receiver_takes_every_step(
    session: Session, parties: Parties, status: S, event: E
) -> None:
    referral = referral_at(session, parties, status)
    act(session, parties, "provider_staff", referral, event)
    assert referral.status != status


@pytest.mark.parametrize(("status", "event"), STEPS)
@pytest.mark.parametrize("who", ["hospital", "clinic_party"])
def test_referrers_only_follow_the_status(
    session: Session, parties: Parties, status: S, event: E, who: str
) -> None:
    referral = referral_at(session, parties, status)
    if who == "clinic_party":
        ReferralService(session, parties.clinic).create(
            member=lookup(parties.member), program_id=CS, source_kind=ReferralSource.CLINIC, now=NOW
        )
        who = "clinic"
    # The role itself lacks `referral.act`: refused before anything else is looked at.
    with pytest.raises(PermissionDenied):
        act(session, parties, who, referral, event)
    assert referral.status == status


@pytest.mark.parametrize(("status", "event"), [step for step in STEPS if step[1] != E.CLOSE])
def test_the_plan_may_not_speak_for_the_receiver(
    session: Session, parties: Parties, status: S, event: E
) -> None:
    referral = referral_at(session, parties, status)
    with pytest.raises(NotYourStep, match="only the receiving provider"):
        act(session, parties, "plan_user", referral, event)
    assert referral.status == status


@pytest.mark.parametrize("status", [S.ACCEPTED, S.IN_PROGRESS, S.SERVICES_RECEIVED])
def test_the_members_plan_may_close(session: Session, parties: Parties, status: S) -> None:
    referral = referral_at(session, parties, status)
    act(session, parties, "plan_user", referral, E.CLOSE)
    assert referral.status == S.CLOSED


def test_a_provider_that_refers_may_not_act_as_receiver(session: Session, parties: Parties) -> None:
    # The ECM provider referred the member (it is a party) but is not the receiver.
    referral = referral_at(session, parties, S.RECEIVED)
    ReferralService(session, parties.ecm_staff).create(
        member=lookup(parties.member), program_id=CS, source_kind=ReferralSource.PROVIDER, now=NOW
    )
    with pytest.raises(NotYourStep):
        act(session, parties, "ecm_staff", referral, E.ACCEPT)
    referral.status = S.SERVICES_RECEIVED.value  # only for the close check below
    session.flush()
    with pytest.raises(NotYourStep, match="plan or the receiving provider"):
        act(session, parties, "ecm_staff", referral, E.CLOSE)


def test_nobody_accepts_an_unrouted_referral(session: Session, parties: Parties) -> None:
    referral = referral_at(session, parties, S.RECEIVED, routed=False)
    with pytest.raises(NotYourStep, match="routes it"):
        act(session, parties, "plan_user", referral, E.ACCEPT)
    # A provider is not connected to it yet, so it does not even see it.
    with pytest.raises(ReferralNotFound):
        act(session, parties, "provider_staff", referral, E.ACCEPT)
    assert referral.status == S.RECEIVED


def test_the_plan_routes_and_re_routes(session: Session, parties: Parties) -> None:
    referral = referral_at(session, parties, S.RECEIVED, routed=False)
    service = ReferralService(session, parties.plan_user)
    service.route(referral.id, parties.provider.id, expected_version=referral.version, now=NOW)
    assert referral.receiving_organization_id == parties.provider.id
    act(session, parties, "provider_staff", referral, E.ACCEPT)
    assert referral.status == S.ACCEPTED
    rows = session.scalars(
        select(ReferralTransition)
        .where(ReferralTransition.referral_id == referral.id)
        .order_by(ReferralTransition.at)
    ).all()
    assert [(r.from_status, r.to_status) for r in rows][:2] == [
        (None, "received"),
        ("received", "received"),
    ]
    assert rows[1].reason is not None
    assert rows[1].reason.startswith("routed to ")


def test_routing_after_acceptance_is_refused(session: Session, parties: Parties) -> None:
    referral = referral_at(session, parties, S.ACCEPTED)
    with pytest.raises(RouteRefused, match="only a received referral"):
        ReferralService(session, parties.plan_user).route(
            referral.id, parties.provider.id, expected_version=referral.version, now=NOW
        )
    assert referral.receiving_organization_id == parties.provider.id


def test_routing_needs_the_right_kind_of_provider(session: Session, parties: Parties) -> None:
    referral = referral_at(session, parties, S.RECEIVED, routed=False)
    with pytest.raises(InvalidRequest) as error:
        ReferralService(session, parties.plan_user).route(
            referral.id, parties.ecm_provider.id, expected_version=referral.version, now=NOW
        )
    assert error.value.field == "receiving_organization_id"
    assert referral.receiving_organization_id is None


@pytest.mark.parametrize("who", ["hospital", "provider_staff", "plan_admin"])
def test_only_plan_care_coordination_routes(session: Session, parties: Parties, who: str) -> None:
    referral = referral_at(session, parties, S.RECEIVED)
    actor = (
        user(session, parties.plan, Role.PLAN_ADMIN)
        if who == "plan_admin"
        else getattr(parties, who)
    )
    with pytest.raises(PermissionDenied):
        ReferralService(session, actor).route(
            referral.id, parties.provider.id, expected_version=referral.version, now=NOW
        )


def test_another_plan_cannot_route_or_even_see_it(session: Session, parties: Parties) -> None:
    referral = referral_at(session, parties, S.RECEIVED, routed=False)
    with pytest.raises(ReferralNotFound):
        ReferralService(session, parties.other_plan_user).route(
            referral.id, parties.provider.id, expected_version=referral.version, now=NOW
        )


def test_refusals_are_forbidden_kinds(session: Session, parties: Parties) -> None:
    # The API maps every refusal of this module to 403, never to 404 or 409.
    assert issubclass(NotYourStep, Forbidden)
    assert issubclass(PermissionDenied, Forbidden)
