"""Schemathesis over the whole OpenAPI document: generated requests never get a 5xx, whether
sent with valid credentials of each role, with none, or with garbage ones."""

from __future__ import annotations

from fastapi import FastAPI
from hypothesis import strategies as st
from sqlalchemy import Engine

from calaim.ops.db import session_factory
from calaim.ops.models import OrganizationKind, Role, User
from calaim.ops.models.member_account import AccountHolder, MemberAccount

from ..factories import organization, user
from .conftest import NOW, AuthHeaders, Tenants
from .fuzzing import NO_CREDENTIALS, garbage_credentials, operations_under, server_errors

# Bounded so the run stays well under a minute per database.
EXAMPLES_PER_OPERATION = 5
# Without valid credentials every operation stops at sign-in: fewer examples find it all.
EXAMPLES_UNSIGNED = 3


def _other_roles(engine: Engine, tenants: Tenants) -> list[User]:
    """The roles the tenants lack: the plan's reviewer, an ECM provider's LCM and supervisor,
    a jail's reentry staff, a county mental health plan's staff, and a member signed in to
    their own record."""
    with session_factory(engine)() as session:
        plan = session.merge(tenants.plan)
        ecm = organization(session, OrganizationKind.ECM_PROVIDER)
        jail = organization(session, OrganizationKind.COUNTY_JAIL)
        county = organization(session, OrganizationKind.COUNTY_MHP)
        member = user(session, plan, Role.MEMBER)
        own = MemberAccount(
            user_id=member.id,
            member_id=tenants.members[0].id,
            holder=AccountHolder.SELF,
            created_at=NOW,
        )
        session.add(own)
        made = [
            user(session, plan, Role.PLAN_UTILIZATION_MANAGEMENT),
            user(session, ecm, Role.LEAD_CARE_MANAGER),
            user(session, ecm, Role.ECM_SUPERVISOR),
            user(session, jail, Role.FACILITY_REENTRY_STAFF),
            user(session, county, Role.COUNTY_BH_STAFF),
            member,
        ]
        session.commit()
        for person in made:
            session.refresh(person)
            session.expunge(person)
    return made


def test_no_generated_request_gets_a_server_error(
    app: FastAPI, engine: Engine, tenants: Tenants, auth: AuthHeaders
) -> None:
    # Signing out ends the session these tokens belong to: it goes last, so every other
    # operation is fuzzed signed in.
    operations = sorted(operations_under(app), key=lambda op: op.path == "/auth/sign-out")
    assert len(operations) >= 8
    assert operations[-1].path == "/auth/sign-out"
    # Every role, each from its own kind of organization.
    users = [
        tenants.plan_admin,
        tenants.plan_coordinator,
        tenants.hospital,
        tenants.provider_staff,
        tenants.state_analyst,
        *_other_roles(engine, tenants),
    ]
    assert {person.role for person in users} == set(Role)
    people = st.sampled_from([auth(person) for person in users])
    assert server_errors(operations, people, EXAMPLES_PER_OPERATION) == []


def test_without_credentials_no_request_gets_a_server_error(app: FastAPI) -> None:
    operations = operations_under(app)
    assert server_errors(operations, NO_CREDENTIALS, EXAMPLES_UNSIGNED) == []


def test_with_garbage_credentials_no_request_gets_a_server_error(app: FastAPI) -> None:
    # Before, `Authorization: Bearer a.b.c` answered 500 on 72 of 79 operations.
    operations = operations_under(app)
    assert server_errors(operations, garbage_credentials(), EXAMPLES_UNSIGNED) == []
