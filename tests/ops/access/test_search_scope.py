"""Search is scoped exactly like the API's lists: each role of tenant A finds only its own."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.models import AuditEvent, Authorization, Member, User
from calaim.ops.search.query import parse, reference
from calaim.ops.search.repository import SearchRepository, name_splits
from calaim.ops.search.service import SearchService

from .conftest import World
from .test_matrix import actor

ROLES = ["plan_user", "ecm_user", "cs_user", "referrer"]


def _name_everyone(session: Session, world: World) -> None:
    """Every member of both tenants is a Rosa Delgado: only scope tells them apart."""
    for tenant in (world.a, world.b):
        for person in tenant.members:
            person.first_name, person.last_name = "Rosa", "Delgado"
    session.flush()


def _found(session: Session, who: User, text: str) -> set[object]:
    results = SearchService(session, who).search(text)
    return {m.id for m in results.members} | {r.id for r in results.referrals}


@pytest.mark.parametrize(
    ("role", "visible"),
    [("plan_user", {0, 1, 2}), ("ecm_user", {0}), ("cs_user", {1}), ("referrer", set())],
)
def test_a_misspelled_name_finds_the_members_in_scope_only(
    session: Session, world: World, role: str, visible: set[int]
) -> None:
    _name_everyone(session, world)
    who = actor(world, "a", role)
    found = SearchService(session, who).search("Rosa Delgaddo")
    assert {m.id for m in found.members} == {world.a.members[i].id for i in visible}


def test_a_referrer_finds_its_referral_by_the_members_name_cin_or_birth_date(
    session: Session, world: World
) -> None:
    _name_everyone(session, world)
    referred: Member = world.a.members[1]
    expected = {world.a.referral.id}
    for text in ("rosa delgado", referred.cin or "", referred.birth_date.isoformat()):
        assert _found(session, world.a.referrer, text) == expected, text
    # The other tenant's referral of a member with the very same name stays out of reach.
    assert world.b.referral.id not in _found(session, world.a.referrer, "rosa delgado")


@pytest.mark.parametrize("role", ROLES)
def test_numbers_and_identifiers_of_the_other_tenant_find_nothing(
    session: Session, world: World, role: str
) -> None:
    _name_everyone(session, world)
    who = actor(world, "a", role)
    b_member = world.b.members[1]
    for text in (
        reference("R", world.b.referral.id),
        b_member.cin or "",
        "Rosa Delgado",
        b_member.birth_date.strftime("%m/%d/%Y"),
    ):
        found = _found(session, who, text)
        assert not found & ({m.id for m in world.b.members} | {world.b.referral.id}), text


def test_the_state_finds_nothing(session: Session, world: World) -> None:
    _name_everyone(session, world)
    assert SearchService(session, world.state).search("rosa delgado").count == 0


def test_a_number_finds_the_referral_for_its_parties(session: Session, world: World) -> None:
    number = reference("R", world.a.referral.id)
    for who in (world.a.plan_user, world.a.cs_user, world.a.referrer):
        assert {r.id for r in SearchService(session, who).search(number).referrals} == {
            world.a.referral.id
        }


def test_a_phone_finds_the_member(session: Session, world: World) -> None:
    person = world.a.members[2]
    person.phone = "213-555-0142"
    session.flush()
    found = SearchService(session, world.a.plan_user).search("(213) 555-0142").members
    assert [m.id for m in found] == [person.id]


def test_an_authorization_is_found_by_its_number(session: Session, world: World) -> None:
    auth = Authorization(
        member_id=world.a.members[0].id,
        program_id="ecm",
        plan_organization_id=world.a.plan.id,
        urgency="routine",
        status="pending",
        decision_due_at=world.a.referral.received_at,
    )
    session.add(auth)
    session.flush()
    number = reference("A", auth.id)
    assert SearchService(session, world.a.plan_user).search(number).authorizations == [auth]
    assert SearchService(session, world.b.plan_user).search(number).authorizations == []


def test_every_search_is_audited_without_the_text(session: Session, world: World) -> None:
    _name_everyone(session, world)
    SearchService(session, world.a.plan_user).search("Rosa Delgado")
    events = list(
        session.scalars(select(AuditEvent).where(AuditEvent.actor_user_id == world.a.plan_user.id))
    )
    searches = [e for e in events if e.action == "search"]
    assert searches
    assert searches[-1].details == {"kind": "name", "found": 3}
    assert "Delgado" not in str(searches[-1].details)
    assert len([e for e in events if e.action == "member.search"]) == 3


def _names(session: Session, world: World, names: list[tuple[str, str]]) -> None:
    for tenant in (world.a, world.b):
        for person, (first, last) in zip(tenant.members, names, strict=True):
            person.first_name, person.last_name = first, last
    session.flush()


def test_a_last_name_alone_finds_its_people_alphabetically_in_scope(
    session: Session, world: World
) -> None:
    _names(session, world, [("Rosa", "Garcia-Cruz"), ("Ana", "Garcia"), ("Luis", "Lopez")])
    found = SearchService(session, world.a.plan_user).search("garcia").members
    assert [(m.first_name, m.last_name) for m in found] == [
        ("Ana", "Garcia"),
        ("Rosa", "Garcia-Cruz"),
    ]
    assert {m.plan_organization_id for m in found} == {world.a.plan.id}


def test_a_page_of_exact_matches_skips_the_fuzzy_pass(session: Session, world: World) -> None:
    # Two perfect matches fill a page of two: the near "Delgada" could not rank above them.
    _names(session, world, [("Rosa", "Delgado"), ("Ana", "Delgado"), ("Luis", "Delgada")])
    query = parse("delgado")
    assert query is not None
    full = SearchRepository(session, world.a.plan_user, enough=2).members(query)
    assert {m.last_name for m in full} == {"Delgado"}
    # A page of three is not filled by two: the fuzzy pass adds the near one, after them.
    more = SearchRepository(session, world.a.plan_user, enough=3).members(query)
    assert [m.last_name for m in more] == ["Delgado", "Delgado", "Delgada"]


def test_the_exact_pass_reads_the_first_and_last_name_either_way_round() -> None:
    assert name_splits("garcia") == [(None, "garcia"), ("garcia", None)]
    assert name_splits("maria de la") == [
        ("maria", "de la"),
        ("de la", "maria"),
        ("maria de", "la"),
        ("la", "maria de"),
    ]
