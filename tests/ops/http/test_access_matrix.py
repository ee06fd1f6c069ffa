"""The access matrix: every role of tenant A × every operation of the API × tenant B's records.

Operations come from the app's OpenAPI document (a new endpoint joins the matrix by itself, and
fails it until `matrix_routes` knows how to aim its inputs at a tenant). For each one, aimed at
plan B's records by each of plan A's roles (and the state's analyst):

- a request naming B's record is refused (403 or 404), never served, never a 5xx;
- a list filtered on B's member, referral, authorization, person id or CIN is empty (or 403);
- no response shows any of B's identifying values or record ids the caller did not send;
- the same request with B's ids swapped for random ones gets the same answer (no oracle);
- B's records are exactly as they were when the matrix is done.

A positive control checks each plan reads its own records through the same requests.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.models import OrganizationKind, Role, User

from ..factories import organization, user
from .conftest import NOW, SECRET, UNTHROTTLED, AuthHeaders
from .matrix_routes import (
    Call,
    MatrixGap,
    Operation,
    calls,
    mixed_calls,
    operations,
    record_versions,
)
from .matrix_snapshot import snapshot
from .matrix_world import PLAN_ROLES, Api, Tenant, build_tenant

OPERATIONS = operations()
ROLES = [*Role]
# Statuses other than 403/404 that an operation may answer B-aimed requests with, and why.
EXPECTED_OTHERWISE: dict[str, set[int]] = {
    # Signing in as B's user with a wrong password: the same 401 as for an unknown email.
    "POST /auth/token": {401},
    # A FHIR import resolves no calaim ids: the member is not matched, located (422).
    "POST /fhir/Bundle": {422},
    # Search answers every text with what the caller may see: nothing of B's (leaks and the
    # random-value twin are still checked).
    "GET /search": {200},
}


@dataclass(frozen=True)
class Matrix:
    """Both tenants, tenant A's user of every role, and B's records as built."""

    a: Tenant
    b: Tenant
    actors: dict[Role, User]
    client: TestClient
    auth: AuthHeaders
    before: dict[str, list[str]]


@pytest.fixture(scope="module")
def matrix(engine: Engine) -> Iterator[Matrix]:
    """The two tenants, built once per database through the API, and a client to probe with."""
    signer = TokenSigner(SECRET)
    # The whole app (API, exchange, reports): the operations come from its OpenAPI document.
    # The matrix signs in as B's users with wrong passwords from every role: throttling (its
    # own tests, test_throttling.py) would turn those 401s into 429s part way through.
    app = build_app(engine, clock=lambda: NOW, signer=signer, sign_in_limits=UNTHROTTLED)
    with TestClient(app, raise_server_exceptions=False) as client:
        auth = AuthHeaders(signer, engine)
        a = build_tenant(engine, client, auth, "A", dt.date(1958, 3, 14))
        b = build_tenant(engine, client, auth, "B", dt.date(1961, 11, 27))
        for tenant in (a, b):
            record_versions(Api(client, auth, tenant), tenant)
        with session_factory(engine)() as session:
            analyst = user(
                session, organization(session, OrganizationKind.STATE), Role.STATE_ANALYST
            )
            session.commit()
        actors = {**a.users, Role.STATE_ANALYST: analyst}
        yield Matrix(a, b, actors, client, auth, snapshot(engine, b))


def send(matrix: Matrix, who: User, call: Call) -> httpx.Response:
    """Make the request as `who` (signing out with a session of its own, not the shared one)."""
    if call.operation.label == "POST /auth/sign-out":
        headers = {"Authorization": f"Bearer {matrix.auth.fresh_token(who)}", **call.headers}
    else:
        headers = matrix.auth(who, **call.headers)
    response: httpx.Response = matrix.client.request(
        call.operation.method, call.path, params=call.params, json=call.body, headers=headers
    )
    return response


def sent_secrets(matrix: Matrix, call: Call) -> set[str]:
    """B's values the caller itself put in the request."""
    text = call.text()
    return {secret for secret in matrix.b.secrets() if secret in text}


def leaks(matrix: Matrix, call: Call, response: httpx.Response) -> list[str]:
    """B's values in the response (body or headers) that the caller did not send."""
    shown = (response.text + json.dumps(dict(response.headers))).lower()
    hidden = matrix.b.secrets() - sent_secrets(matrix, call)
    return sorted(secret for secret in hidden if secret.lower() in shown)


def twin(call: Call, secrets: set[str]) -> tuple[Call, dict[str, str]]:
    """The same request with each of B's values swapped for a random one (and the swaps)."""
    swaps = {secret: _stand_in(secret) for secret in secrets}
    text = call.text()
    for secret, stand_in in swaps.items():
        text = text.replace(secret, stand_in)
    path, params, body, headers = json.loads(text)
    return replace(call, path=path, params=params, body=body, headers=headers), swaps


def _stand_in(secret: str) -> str:
    """A random value of the same form as `secret` (a uuid, an email or a code)."""
    try:
        uuid.UUID(secret)
        return str(uuid.uuid4())
    except ValueError:
        pass
    if "@" in secret:
        return f"{uuid.uuid4().hex[:10]}@example.org"
    return ("X" + uuid.uuid4().hex.upper())[: len(secret)]


def status_problems(call: Call, response: httpx.Response, secrets: set[str]) -> list[str]:
    """What is wrong with the status (and error shape) of a B-aimed request's response."""
    op, status = call.operation, response.status_code
    if status >= 500:
        return [f"server error {status}"]
    if not secrets:  # nothing of B's in the request: the caller's own records, any refusal
        return []
    if op.is_page and not op.path_params and status == 200:
        page = response.json()
        return [] if (page["total"], page["items"]) == (0, []) else ["B's records listed"]
    if status in EXPECTED_OTHERWISE.get(op.label, set()):
        return []
    codes = {403: "forbidden", 404: "not_found"}
    if status not in codes:
        return [f"status {status}, expected 403 or 404"]
    error = response.json().get("error", {})
    return [] if error.get("code") == codes[status] else [f"error shape: {response.text}"]


def oracle_problems(
    matrix: Matrix, who: User, call: Call, response: httpx.Response, secrets: set[str]
) -> list[str]:
    """Differences between the answer for B's values and the answer for random ones."""
    if not secrets:
        return []
    stand_in, swaps = twin(call, secrets)
    other = send(matrix, who, stand_in)
    text = other.text
    for secret, value in swaps.items():
        text = text.replace(value, secret)
    if (other.status_code, text) != (response.status_code, response.text):
        return [
            f"answers differ: B's ids → {response.status_code} {response.text}; "
            f"random ids → {other.status_code} {other.text}"
        ]
    return []


def problems(matrix: Matrix, who: User, call: Call) -> list[str]:
    """Everything wrong with one B-aimed request made by `who`."""
    secrets = sent_secrets(matrix, call)
    response = send(matrix, who, call)
    found = status_problems(call, response, secrets)
    found += [f"LEAK of {secret!r}: {response.text}" for secret in leaks(matrix, call, response)]
    found += oracle_problems(matrix, who, call, response, secrets)
    return [f"{who.role} {call.label}: {problem}" for problem in found]


def aimed(op: Operation, matrix: Matrix, caller: Tenant, target: Tenant) -> list[Call]:
    """The operation's requests aimed at `target`, or a failure naming the missing mapping."""
    try:
        return calls(op, caller, target)
    except MatrixGap as gap:
        pytest.fail(str(gap))


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.label)
def test_every_operation_can_be_aimed_at_a_tenant(op: Operation, matrix: Matrix) -> None:
    assert aimed(op, matrix, matrix.a, matrix.b), op.label


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
def test_other_tenant_is_out_of_reach(role: Role, op: Operation, matrix: Matrix) -> None:
    who = matrix.actors[role]
    found = [
        p for call in aimed(op, matrix, matrix.a, matrix.b) for p in problems(matrix, who, call)
    ]
    assert not found, "\n".join(found)


GETS = [op for op in OPERATIONS if op.method == "GET"]


@pytest.mark.parametrize("op", GETS, ids=lambda op: op.label)
@pytest.mark.parametrize("tenant", ["a", "b"])
def test_a_plan_reads_its_own_records_through_the_same_requests(
    tenant: str, op: Operation, matrix: Matrix
) -> None:
    # The positive control: the requests the matrix refuses work for the records' own plan.
    own: Tenant = getattr(matrix, tenant)
    who = own.users[Role.PLAN_CARE_COORDINATION]
    for call in aimed(op, matrix, own, own):
        response = send(matrix, who, call)
        assert response.status_code == 200, f"{call.label}: {response.text}"
        if op.is_page and call.params:
            assert response.json()["total"] >= 1, f"{call.label} finds nothing: {response.text}"


@pytest.mark.parametrize("role", PLAN_ROLES, ids=lambda role: role.value)
def test_every_plan_role_reads_its_member_and_referrals(role: Role, matrix: Matrix) -> None:
    who, own = matrix.a.users[role], matrix.a
    member = send_get(matrix, who, f"/members/{own.ids['member']}")
    assert member["last_name"] == own.member.last_name
    assert member["cin"] == own.member.cin
    referrals = send_get(matrix, who, "/referrals", member_id=own.ids["member"])
    assert {item["id"] for item in referrals["items"]} == {
        own.ids["referral_ecm"],
        own.ids["referral_cs"],
    }
    assert referrals["total"] == 2


def send_get(matrix: Matrix, who: User, path: str, **params: str) -> Any:
    """GET that must succeed; the body."""
    response = matrix.client.get(path, params=params, headers=matrix.auth(who))
    assert response.status_code == 200, f"{who.role} GET {path}: {response.text}"
    return response.json()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
def test_own_records_cannot_be_tied_to_the_other_tenants(role: Role, matrix: Matrix) -> None:
    # Any refusal will do (403, 404, 409, 422), but the same as for random ids, and no leak.
    who, found = matrix.actors[role], []
    for call in mixed_calls(OPERATIONS, matrix.a, matrix.b):
        response = send(matrix, who, call)
        secrets = sent_secrets(matrix, call)
        if not 400 <= response.status_code < 500:
            found.append(f"{call.label} {call.body}: {response.status_code} {response.text}")
        found += [f"{call.label}: LEAK of {s!r}" for s in leaks(matrix, call, response)]
        found += oracle_problems(matrix, who, call, response, secrets)
    assert not found, "\n".join(f"{role} {problem}" for problem in found)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.label)
def test_a_member_reaches_nothing_of_another_member_of_the_same_plan(
    op: Operation, matrix: Matrix
) -> None:
    # The member role's scope is its own record only: A's member account (its own record is
    # A's second member) aimed at A's first member's records is refused everywhere, and
    # nothing of the first member shows.
    who, own = matrix.a.users[Role.MEMBER], matrix.a
    hidden = set(own.identifying().values()) | {own.ids["member"]}
    refused = {401, 403, 404, *EXPECTED_OTHERWISE.get(op.label, ())}
    found = []
    for call in aimed(op, matrix, own, own):
        response, sent = send(matrix, who, call), call.text()
        names_a_record = any(secret in sent for secret in own.secrets())
        if response.status_code >= 500 or (names_a_record and response.status_code not in refused):
            found.append(f"{call.label}: {response.status_code} {response.text[:200]}")
        shown = response.text.lower()
        found += [
            f"{call.label}: LEAK of {v!r}" for v in hidden if v not in sent and v.lower() in shown
        ]
    assert not found, "\n".join(found)


def test_other_tenant_records_are_unchanged(engine: Engine, matrix: Matrix) -> None:
    # Runs after the matrix (defined last): not one of B's rows was written by A's requests.
    after = snapshot(engine, matrix.b)
    assert set(after) == set(matrix.before)
    changed = {table for table in after if after[table] != matrix.before[table]}
    assert not changed, {table: (matrix.before[table], after[table]) for table in changed}
    assert len(matrix.before["referrals"]) == 4
    assert len(matrix.before["service_deliveries"]) == 1
    assert len(matrix.before["outreach_attempts"]) == 1
