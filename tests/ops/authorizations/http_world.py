"""Committed parties for the authorization and CS episode HTTP tests, and an app whose clock
the test moves (so the overdue queue can be seen to follow the app's clock)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.models import (
    Member,
    MemberDetermination,
    Organization,
    OrganizationKind,
    Referral,
    ReferralSource,
    Role,
    User,
)

from ..factories import member, organization, user
from ..http.conftest import NOW, AuthHeaders

MEALS = "cs.medically_tailored_meals"  # no presumptive days, no default length: a reviewer
RECUPERATIVE = "cs.recuperative_care"  # 14 presumptive days statewide (from 2025-07)


class Clock:
    """The app's clock: starts at the HTTP tests' NOW; tests may move it."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The clock the app reads through `NowDep`."""
    return Clock()


@pytest.fixture
def app(engine: Engine, signer: TokenSigner, clock: Clock) -> FastAPI:
    """The real app on the test database, with the movable clock."""
    return build_app(engine, clock=clock, signer=signer)


class ClockedAuth(AuthHeaders):
    """Bearer headers signed at the app clock's time (so moving the clock keeps them valid)."""

    def __init__(self, signer: TokenSigner, engine: Engine, clock: Clock) -> None:
        super().__init__(signer, engine)
        self.clock = clock

    def __call__(self, person: User, **extra: str) -> dict[str, str]:
        token = self.token(person, self.clock())
        return {"Authorization": f"Bearer {token}", **extra}


@pytest.fixture
def auth(signer: TokenSigner, engine: Engine, clock: Clock) -> ClockedAuth:
    """Builds `Authorization` headers for a user, at the app's current time."""
    return ClockedAuth(signer, engine, clock)


@dataclass(frozen=True)
class World:
    """A plan (no configured terms: statewide defaults) and the parties around its member."""

    plan: Organization
    um: User
    coordinator: User
    other_um: User
    cs_staff: User
    other_cs_staff: User
    referrer: User
    member: Member
    other_member: Member


def _code() -> str:
    return f"A{uuid.uuid4().hex[:10].upper()}"


def _referral(session: Session, world: World, program_id: str) -> None:
    """An accepted referral of the member to the CS provider (it then sees the member)."""
    session.add(
        Referral(
            member_id=world.member.id,
            program_id=program_id,
            referring_organization_id=world.referrer.organization_id,
            receiving_organization_id=world.cs_staff.organization_id,
            source_kind=ReferralSource.HOSPITAL.value,
            status="accepted",
        )
    )


def _determination(session: Session, who: Member, program_id: str) -> None:
    """An eligible engine determination (an ECM request is then approved at once)."""
    session.add(
        MemberDetermination(
            member_id=who.id,
            program_id=program_id,
            as_of=dt.date(2025, 9, 1),
            eligible=True,
            offered=True,
            status="eligible",
            rule_version="test",
            policy_hash="test",
        )
    )


@pytest.fixture
def world(engine: Engine) -> World:
    """Fresh organizations, users, members, referrals (committed, unique to the test)."""
    with session_factory(engine)() as session:
        plan = organization(session, OrganizationKind.PLAN, _code())
        other_plan = organization(session, OrganizationKind.PLAN, _code())
        cs = organization(session, OrganizationKind.CS_PROVIDER)
        other_cs = organization(session, OrganizationKind.CS_PROVIDER)
        built = World(
            plan=plan,
            um=user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT),
            coordinator=user(session, plan, Role.PLAN_CARE_COORDINATION),
            other_um=user(session, other_plan, Role.PLAN_UTILIZATION_MANAGEMENT),
            cs_staff=user(session, cs, Role.CS_PROVIDER_STAFF),
            other_cs_staff=user(session, other_cs, Role.CS_PROVIDER_STAFF),
            referrer=user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER),
            member=member(session, plan, f"P{uuid.uuid4().hex[:8]}"),
            other_member=member(session, other_plan, f"P{uuid.uuid4().hex[:8]}"),
        )
        for program_id in (MEALS, RECUPERATIVE):
            _referral(session, built, program_id)
        _determination(session, built.member, "ecm")
        session.commit()
    return built


def ask(
    client: TestClient, auth: AuthHeaders, world: World, program_id: str = MEALS, **extra: Any
) -> Any:
    """The CS provider requests an authorization of `program_id` for the member."""
    body = {"member_id": str(world.member.id), "program_id": program_id, **extra}
    return client.post("/authorizations", json=body, headers=auth(world.cs_staff))


def approved(client: TestClient, auth: AuthHeaders, world: World, **limits: str) -> dict[str, Any]:
    """A meals authorization approved by the plan from 2025-09-01 to 2026-08-31."""
    pending = ask(client, auth, world).json()
    body = {"start_date": "2025-09-01", "end_date": "2026-08-31", **limits}
    headers = auth(world.um, **{"If-Match": str(pending["version"])})
    response = client.post(f"/authorizations/{pending['id']}/approve", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
