"""For every role of two tenants: which members, referrals and determinations are visible."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from calaim.ops.determinations.repository import DeterminationRepository, DeterminationsNotFound
from calaim.ops.members.repository import MemberNotFound, MemberRepository
from calaim.ops.models import User
from calaim.ops.referrals.repository import ReferralNotFound, ReferralRepository

from .conftest import AS_OF, World

ROLES = ["plan_user", "ecm_user", "cs_user", "referrer"]


def actor(world: World, tenant: str, role: str) -> User:
    """The user with `role` in tenant 'a' or 'b' (or the state analyst)."""
    if tenant == "state":
        return world.state
    found: User = getattr(getattr(world, tenant), role)
    return found


def members_seen(session: Session, who: User) -> set[uuid.UUID]:
    return {m.id for m in MemberRepository(session, who).list(limit=100)}


def referrals_seen(session: Session, who: User) -> set[uuid.UUID]:
    return {r.id for r in ReferralRepository(session, who).list(limit=100)}


def test_a_plan_sees_exactly_its_own_members_and_referrals(session: Session, world: World) -> None:
    assert members_seen(session, world.a.plan_user) == {m.id for m in world.a.members}
    assert referrals_seen(session, world.a.plan_user) == {world.a.referral.id}
    for other in world.b.members:
        with pytest.raises(MemberNotFound):
            MemberRepository(session, world.a.plan_user).get(other.id)


def test_a_provider_sees_only_members_connected_to_it(session: Session, world: World) -> None:
    # The ECM provider holds member 0's enrollment; the CS provider received member 1's referral.
    assert members_seen(session, world.a.ecm_user) == {world.a.members[0].id}
    assert members_seen(session, world.a.cs_user) == {world.a.members[1].id}
    assert referrals_seen(session, world.a.ecm_user) == set()
    assert referrals_seen(session, world.a.cs_user) == {world.a.referral.id}
    with pytest.raises(MemberNotFound):
        MemberRepository(session, world.a.ecm_user).get(world.a.members[2].id)


def test_a_referrer_sees_its_referrals_never_member_rows(session: Session, world: World) -> None:
    assert members_seen(session, world.a.referrer) == set()
    assert referrals_seen(session, world.a.referrer) == {world.a.referral.id}
    with pytest.raises(MemberNotFound):
        MemberRepository(session, world.a.referrer).get(world.a.members[1].id)
    with pytest.raises(DeterminationsNotFound):
        DeterminationRepository(session, world.a.referrer).for_member(world.a.members[1].id)


def test_the_state_sees_no_rows_at_all(session: Session, world: World) -> None:
    assert members_seen(session, world.state) == set()
    assert referrals_seen(session, world.state) == set()
    for tenant in (world.a, world.b):
        with pytest.raises(ReferralNotFound):
            ReferralRepository(session, world.state).get(tenant.referral.id)
        with pytest.raises(DeterminationsNotFound):
            DeterminationRepository(session, world.state).for_member(tenant.members[0].id)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_crosses_into_the_other_tenant(session: Session, world: World, role: str) -> None:
    who = actor(world, "a", role)
    assert not members_seen(session, who) & {m.id for m in world.b.members}
    assert world.b.referral.id not in referrals_seen(session, who)
    with pytest.raises(ReferralNotFound):
        ReferralRepository(session, who).get(world.b.referral.id)
    for other in world.b.members:
        with pytest.raises(DeterminationsNotFound):
            DeterminationRepository(session, who).for_member(other.id, AS_OF)


@pytest.mark.parametrize(
    ("role", "visible"),
    [("plan_user", {0, 1, 2}), ("ecm_user", {0}), ("cs_user", {1}), ("referrer", set())],
)
def test_determinations_follow_member_visibility(
    session: Session, world: World, role: str, visible: set[int]
) -> None:
    who = actor(world, "a", role)
    repository = DeterminationRepository(session, who)
    for index, person in enumerate(world.a.members):
        if index in visible:
            assert "ecm.homeless_adult" in {
                row.program_id for row in repository.for_member(person.id, today=AS_OF)
            }
        else:
            with pytest.raises(DeterminationsNotFound):
                repository.for_member(person.id, today=AS_OF)
