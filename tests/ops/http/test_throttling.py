"""Sign-in throttling: per account and per client, 429 with Retry-After, growing delays, lockout.

Before, 150 wrong passwords on `POST /auth/token` (and 40 on the web sign-in) were answered
at full speed, and the right one then signed in at once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from calaim.app import build_app
from calaim.ops.auth.service import set_password
from calaim.ops.auth.throttle import SignInLimits
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.models import AuditEvent, SignInCounter, User

from .conftest import NOW, SECRET, AuthHeaders, Tenants, assert_error, client_address

PASSWORD = "correct horse battery staple"
LIMITS = SignInLimits()  # the production defaults: 5 free, then 2 s doubling, locked at 10


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    app = build_app(engine, clock=clock, signer=TokenSigner(SECRET))
    with TestClient(app, raise_server_exceptions=False, client=client_address()) as test_client:
        yield test_client


def _with_password(engine: Engine, person: User) -> None:
    with session_factory(engine)() as session:
        stored = session.get(User, person.id)
        assert stored is not None
        set_password(session, stored, PASSWORD, NOW)
        session.commit()


def _sign_in(client: TestClient, email: str, password: str = "wrong guess") -> object:
    return client.post("/auth/token", json={"email": email, "password": password})


def _audited(engine: Engine, action: str, text: str) -> int:
    with session_factory(engine)() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    return sum(1 for row in rows if text in str(row.details))


def test_wrong_passwords_then_429_with_growing_delays_and_a_lockout(
    client: TestClient, engine: Engine, tenants: Tenants, clock: Clock
) -> None:
    _with_password(engine, tenants.plan_admin)
    email = tenants.plan_admin.email
    for _ in range(LIMITS.account.free_failures):
        assert_error(_sign_in(client, email), 401, "unauthenticated")
    waits = []
    for _ in range(LIMITS.account.lockout_after - LIMITS.account.free_failures):
        assert_error(_sign_in(client, email), 401, "unauthenticated")
        blocked = _sign_in(client, email, PASSWORD)  # even the right password must wait
        error = assert_error(blocked, 429, "too_many_attempts")
        waits.append(int(blocked.headers["Retry-After"]))
        assert error["details"]["retry_after"] == waits[-1]
        clock.wait(waits[-1])
    assert waits == [2, 4, 8, 16, 15 * 60]  # doubling, then locked for 15 minutes
    assert _audited(engine, "auth.locked_out", email) == 1
    assert _audited(engine, "auth.throttled", email) == 5
    # The lockout is over: the right password signs in and forgets the failures.
    assert _sign_in(client, email, PASSWORD).status_code == 200
    assert_error(_sign_in(client, email), 401, "unauthenticated")


def test_an_unknown_account_is_throttled_exactly_like_a_real_one(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    _with_password(engine, tenants.plan_admin)
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    real = [_sign_in(client, tenants.plan_admin.email) for _ in range(7)]
    made_up = [_sign_in(client, unknown) for _ in range(7)]
    assert [r.status_code for r in real] == [r.status_code for r in made_up]
    assert [r.status_code for r in real] == [401] * 6 + [429]
    assert [r.json() for r in real] == [r.json() for r in made_up]
    assert real[-1].headers["Retry-After"] == made_up[-1].headers["Retry-After"]


def test_one_client_guessing_many_accounts_is_throttled(
    client: TestClient, tenants: Tenants
) -> None:
    emails = [f"guess-{n}-{uuid.uuid4().hex[:6]}@example.org" for n in range(40)]
    statuses = [_sign_in(client, email).status_code for email in emails[:21]]
    assert statuses == [401] * 21  # 20 free failures per client; the 21st sets a delay
    assert_error(_sign_in(client, emails[21]), 429, "too_many_attempts")


def test_other_clients_are_not_blocked_by_one_clients_failures(
    engine: Engine, tenants: Tenants, clock: Clock
) -> None:
    app = build_app(engine, clock=clock, signer=TokenSigner(SECRET))
    with (
        TestClient(app, raise_server_exceptions=False, client=client_address()) as attacker,
        TestClient(app, raise_server_exceptions=False, client=client_address()) as colleague,
    ):
        for n in range(21):
            _sign_in(attacker, f"spray-{n}-{uuid.uuid4().hex[:6]}@example.org")
        assert _sign_in(attacker, "anyone@example.org").status_code == 429
        assert _sign_in(colleague, "anyone@example.org").status_code == 401


def test_an_administrator_unlocks_an_account(
    client: TestClient, engine: Engine, tenants: Tenants, auth: AuthHeaders
) -> None:
    _with_password(engine, tenants.plan_coordinator)
    email = tenants.plan_coordinator.email
    for _ in range(LIMITS.account.lockout_after):
        _sign_in(client, email)
        client.app.state.clock.wait(60)
    assert_error(_sign_in(client, email, PASSWORD), 429, "too_many_attempts")
    path = f"/auth/users/{tenants.plan_coordinator.id}/unlock"
    assert_error(client.post(path, headers=auth(tenants.other_plan_admin)), 404, "not_found")
    assert_error(_sign_in(client, email, PASSWORD), 429, "too_many_attempts")
    unlocked = client.post(path, headers=auth(tenants.plan_admin))
    assert unlocked.status_code == 200, unlocked.text
    assert unlocked.json() == {"cleared": 1}
    assert _sign_in(client, email, PASSWORD).status_code == 200
    assert _audited(engine, "auth.unlocked", "counters") >= 1


def test_the_web_sign_in_is_throttled_too(client: TestClient, tenants: Tenants) -> None:
    page = client.get("/app/sign-in").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    form = {"csrf_token": found.group(1), "email": tenants.plan_admin.email, "password": "no"}
    statuses = [client.post("/app/sign-in", data=form).status_code for _ in range(7)]
    assert statuses == [401] * 6 + [429]
    blocked = client.post("/app/sign-in", data=form)
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed attempts" in blocked.text


def test_api_keys_are_throttled_per_key_and_client(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    from calaim.ops.admin.service import issue_key

    with session_factory(engine)() as session:
        issued = issue_key(session, tenants.plan, "nightly", NOW)
        session.commit()
    wrong = issued.full_key[:-4] + "AAAA"
    statuses = [client.get("/members", headers={"X-API-Key": wrong}).status_code for _ in range(7)]
    assert statuses == [401] * 6 + [429]
    # The right key, same prefix, must wait too.
    right = client.get("/members", headers={"X-API-Key": issued.full_key})
    assert_error(right, 429, "too_many_attempts")


def test_parallel_guesses_are_all_counted(engine: Engine, tenants: Tenants, clock: Clock) -> None:
    # Real parallel clients (threads, each its own connection to the database): no failure
    # is lost to a race, so the lockout holds across the workers of a deployment too.
    app = build_app(engine, clock=clock, signer=TokenSigner(SECRET))
    email = f"parallel-{uuid.uuid4().hex[:8]}@example.org"

    def guess(_: int) -> int:
        with TestClient(app, raise_server_exceptions=False, client=client_address()) as one:
            return int(_sign_in(one, email).status_code)

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(guess, range(12)))
    assert set(statuses) <= {401, 429}, statuses
    with session_factory(engine)() as session:
        counter = session.get(SignInCounter, ("account", email))
    assert counter is not None
    assert counter.failures == statuses.count(401)
    assert counter.failures >= LIMITS.account.lockout_after or 429 in statuses
