"""Races against a served app on PostgreSQL: one winner, every loser a plain 409 or 412.

`calaim serve --workers 2` runs in a subprocess on a throwaway PostgreSQL database; threads
send identical or conflicting requests at the same moment. The database, not a check made
before the insert, decides the winner, and the losers get an answer a person can act on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from calaim.ops.db import make_engine, session_factory
from calaim.ops.models import (
    Authorization,
    Enrollment,
    Member,
    MemberDetermination,
    OrganizationKind,
    Referral,
    ReferralSource,
    Role,
    ServiceEpisode,
    StatusChange,
    User,
)

from ..conftest import _throwaway_postgres
from ..enrollments.world import ecm_provider
from ..factories import member, organization, user
from .served import Server, fire, plain_losers, served, statuses, with_password

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

MEALS = "cs.medically_tailored_meals"  # no presumptive days: a request stays pending
RACERS = 6


@dataclass(frozen=True)
class World:
    """A plan's staff, a CS provider with an accepted referral, an ECM provider, a member."""

    coordinator: User
    um: User
    um2: User
    cs_staff: User
    member: Member


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A migrated throwaway PostgreSQL database for this module."""
    yield from _throwaway_postgres()


@pytest.fixture(scope="module")
def engine(database: str) -> Iterator[Engine]:
    """An engine to seed and count rows with."""
    engine = make_engine(database)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def server(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`calaim serve --workers 2` on the database."""
    log = tmp_path_factory.mktemp("served") / "serve.log"
    with served(database, log) as running:
        yield running


@pytest.fixture
def world(engine: Engine) -> World:
    """Fresh parties for one test (a plan of its own, so tests never share a member)."""
    today = dt.datetime.now(dt.UTC).date()
    with session_factory(engine)() as session:
        code = f"R{uuid.uuid4().hex[:10].upper()}"
        plan = organization(session, OrganizationKind.PLAN, code)
        cs = organization(session, OrganizationKind.CS_PROVIDER)
        ecm_provider(session, languages=["es"], capacity=10, plans=[code])
        someone = member(session, plan, f"R{uuid.uuid4().hex[:8]}")
        session.add(
            MemberDetermination(
                member_id=someone.id,
                program_id="ecm",
                as_of=today - dt.timedelta(days=1),  # the plan's local date may be behind UTC
                eligible=True,
                offered=True,
                status="eligible",
                rule_version="test",
                policy_hash="test",
            )
        )
        referrer = organization(session, OrganizationKind.REFERRER)
        session.add(
            Referral(
                member_id=someone.id,
                program_id=MEALS,
                referring_organization_id=referrer.id,
                receiving_organization_id=cs.id,
                source_kind=ReferralSource.HOSPITAL.value,
                status="accepted",
            )
        )
        built = World(
            coordinator=with_password(user(session, plan, Role.PLAN_CARE_COORDINATION)),
            um=with_password(user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT)),
            um2=with_password(user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT)),
            cs_staff=with_password(user(session, cs, Role.CS_PROVIDER_STAFF)),
            member=someone,
        )
        session.commit()
    return built


def _count(engine: Engine, statement: object) -> int:
    with Session(engine) as session:
        return int(session.scalar(statement) or 0)  # type: ignore[call-overload]


def test_identical_requests_create_one_undecided_authorization(
    server: Server, engine: Engine, world: World
) -> None:
    headers = server.token(world.coordinator)
    body = {"member_id": str(world.member.id), "program_id": MEALS}
    responses = fire(
        server,
        [lambda c: c.post("/authorizations", json=body, headers=headers)] * RACERS,
    )
    assert statuses(responses) == [201] + [409] * (RACERS - 1), [r.text for r in responses]
    plain_losers(server, responses, winner=201)
    undecided = select(func.count()).where(
        Authorization.member_id == world.member.id, Authorization.program_id == MEALS
    )
    assert _count(engine, undecided) == 1


def _pending(server: Server, requester: User, world: World) -> dict[str, object]:
    body = {"member_id": str(world.member.id), "program_id": MEALS}
    created = httpx.post(f"{server.url}/authorizations", json=body, headers=server.token(requester))
    assert created.status_code == 201, created.text
    result: dict[str, object] = created.json()
    assert result["status"] == "pending"
    return result


def test_approve_against_deny_decides_once(server: Server, engine: Engine, world: World) -> None:
    pending = _pending(server, world.coordinator, world)
    path = f"/authorizations/{pending['id']}"
    match = {"If-Match": str(pending["version"])}
    approve = {**server.token(world.um), **match}
    deny = {**server.token(world.um2), **match}
    today = dt.datetime.now(dt.UTC).date()
    period = {"start_date": str(today), "end_date": str(today + dt.timedelta(days=90))}
    denial = {"reason_code": "not_eligible", "reason": "Does not meet the criteria."}
    half = RACERS // 2
    responses = fire(
        server,
        [lambda c: c.post(f"{path}/approve", json=period, headers=approve)] * half
        + [lambda c: c.post(f"{path}/deny", json=denial, headers=deny)] * half,
    )
    assert statuses(responses).count(200) == 1, [r.text for r in responses]
    plain_losers(server, responses, winner=200)
    decisions = select(func.count()).where(
        StatusChange.entity_type == "authorization",
        StatusChange.entity_id == uuid.UUID(str(pending["id"])),
        StatusChange.to_status.in_(["approved", "denied"]),
    )
    assert _count(engine, decisions) == 1


def test_simultaneous_assignments_assign_once(server: Server, engine: Engine, world: World) -> None:
    headers = server.token(world.coordinator)
    authorization = httpx.post(
        f"{server.url}/authorizations",
        json={"member_id": str(world.member.id), "program_id": "ecm"},
        headers=headers,
    ).json()
    assert authorization["status"] == "approved", authorization
    body = {"member_id": str(world.member.id), "authorization_id": authorization["id"]}
    responses = fire(
        server, [lambda c: c.post("/assignments", json=body, headers=headers)] * RACERS
    )
    assert statuses(responses) == [201] + [409] * (RACERS - 1), [r.text for r in responses]
    plain_losers(server, responses, winner=201)
    active = select(func.count()).where(
        Enrollment.member_id == world.member.id, Enrollment.status != "discontinued"
    )
    assert _count(engine, active) == 1


def test_simultaneous_episode_opens_open_one(server: Server, engine: Engine, world: World) -> None:
    pending = _pending(server, world.cs_staff, world)
    today = dt.datetime.now(dt.UTC).date()
    approved = httpx.post(
        f"{server.url}/authorizations/{pending['id']}/approve",
        json={"start_date": str(today), "end_date": str(today + dt.timedelta(days=90))},
        headers={**server.token(world.um), "If-Match": str(pending["version"])},
    )
    assert approved.status_code == 200, approved.text
    headers = server.token(world.cs_staff)
    body = {"authorization_id": pending["id"], "started_on": str(today)}
    responses = fire(
        server, [lambda c: c.post("/service-episodes", json=body, headers=headers)] * RACERS
    )
    assert statuses(responses) == [201] + [409] * (RACERS - 1), [r.text for r in responses]
    plain_losers(server, responses, winner=201)
    opened = select(func.count()).where(
        ServiceEpisode.authorization_id == uuid.UUID(str(pending["id"]))
    )
    assert _count(engine, opened) == 1
