"""An API app on the migrated test database, and a fresh set of tenants per test.

HTTP requests commit for real, so tests do not share a rolled-back transaction: each test
gets organizations of its own (random plan codes), which isolates it from every other test.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.app import build_app
from calaim.ops.auth import sessions
from calaim.ops.auth.throttle import SignInLimits, ThrottleRule
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.models import Member, Organization, OrganizationKind, Role, User

from ..factories import member, organization, user

NOW = dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC)
SECRET = "test-secret-not-for-production-0123456789"
# Sign-in limits that never throttle, for tests about something else that fail sign-ins often.
NEVER = ThrottleRule(10**6, dt.timedelta(0), dt.timedelta(0), 10**6, dt.timedelta(0))
UNTHROTTLED = SignInLimits(account=NEVER, client=NEVER, api_key=NEVER)


@pytest.fixture
def signer() -> TokenSigner:
    """The token signer the test app uses."""
    return TokenSigner(SECRET)


@pytest.fixture
def app(engine: Engine, signer: TokenSigner) -> FastAPI:
    """The real app on the test database, with a fixed clock."""
    return build_app(engine, clock=lambda: NOW, signer=signer)


def client_address() -> tuple[str, int]:
    """A network address of its own for one test's client.

    Failed sign-ins are throttled per client address and the database outlives a test, so
    each test's client comes from a different address (as separate people would).
    """
    return (f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}", 50000)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the app; server errors come back as responses, not exceptions."""
    with TestClient(app, raise_server_exceptions=False, client=client_address()) as test_client:
        yield test_client


@dataclass(frozen=True)
class Tenants:
    """Two plans with members, and the other parties a referral involves."""

    plan: Organization
    other_plan: Organization
    provider: Organization
    plan_admin: User
    plan_coordinator: User
    other_plan_admin: User
    hospital: User
    provider_staff: User
    state_analyst: User
    members: list[Member]
    other_member: Member


def _code() -> str:
    return f"T{uuid.uuid4().hex[:10].upper()}"


@pytest.fixture
def tenants(engine: Engine) -> Tenants:
    """Fresh organizations, users and members, committed (unique to this test)."""
    with session_factory(engine)() as session:
        plan = organization(session, OrganizationKind.PLAN, _code())
        other_plan = organization(session, OrganizationKind.PLAN, _code())
        provider = organization(session, OrganizationKind.CS_PROVIDER)
        members = [member(session, plan, f"P{uuid.uuid4().hex[:8]}") for _ in range(3)]
        members[2].county = "Kern"
        world = Tenants(
            plan=plan,
            other_plan=other_plan,
            provider=provider,
            plan_admin=user(session, plan, Role.PLAN_ADMIN),
            plan_coordinator=user(session, plan, Role.PLAN_CARE_COORDINATION),
            other_plan_admin=user(session, other_plan, Role.PLAN_ADMIN),
            hospital=user(session, organization(session, OrganizationKind.REFERRER), Role.REFERRER),
            provider_staff=user(session, provider, Role.CS_PROVIDER_STAFF),
            state_analyst=user(
                session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST
            ),
            members=members,
            other_member=member(session, other_plan, f"P{uuid.uuid4().hex[:8]}"),
        )
        session.commit()
    return world


@pytest.fixture
def auth(signer: TokenSigner, engine: Engine) -> AuthHeaders:
    """Builds `Authorization` headers for a user."""
    return AuthHeaders(signer, engine)


def signed_in_token(
    engine: Engine, signer: TokenSigner, person: User, issued_at: dt.datetime
) -> str:
    """A token of a new, committed sign-in session of `person` (as `POST /auth/token` makes)."""
    with session_factory(engine)() as session:
        stored = session.get(User, person.id)
        assert stored is not None
        token = sessions.start(session, signer, stored, issued_at, "api").token
        session.commit()
    return token


class AuthHeaders:
    """Bearer headers for test users: one sign-in session each, signed like the app signs."""

    def __init__(self, signer: TokenSigner, engine: Engine) -> None:
        self.signer, self.engine = signer, engine
        self._tokens: dict[tuple[uuid.UUID, dt.datetime], str] = {}

    def token(self, person: User, issued_at: dt.datetime = NOW) -> str:
        """The person's token (a session started once per person and time)."""
        key = (person.id, issued_at)
        if key not in self._tokens:
            self._tokens[key] = signed_in_token(self.engine, self.signer, person, issued_at)
        return self._tokens[key]

    def fresh_token(self, person: User, issued_at: dt.datetime = NOW) -> str:
        """A token of a new session, not shared with other calls (e.g. to sign it out)."""
        return signed_in_token(self.engine, self.signer, person, issued_at)

    def __call__(self, person: User, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(person)}", **extra}


def assert_error(response: object, status: int, code: str) -> dict[str, object]:
    """Assert the one error shape with this status and code; return the error object."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert set(error) == {"code", "message", "field", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    return error
