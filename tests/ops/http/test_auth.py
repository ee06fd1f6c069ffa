"""POST /auth/token: a token for the right password; the same 401 for any wrong credential."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.ops.auth.service import set_password
from calaim.ops.db import session_factory
from calaim.ops.models import User

from .conftest import NOW, Tenants, assert_error

PASSWORD = "correct horse battery staple"


def _with_password(engine: Engine, user: User) -> None:
    with session_factory(engine)() as session:
        stored = session.get(User, user.id)
        assert stored is not None
        set_password(session, stored, PASSWORD, NOW)
        session.commit()


def test_sign_in_then_use_the_token(client: TestClient, engine: Engine, tenants: Tenants) -> None:
    _with_password(engine, tenants.plan_admin)
    response = client.post(
        "/auth/token", json={"email": tenants.plan_admin.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"] == "2025-10-01T20:00:00Z"  # NOW + 8 hours
    assert body["user"]["role"] == "plan_admin"
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == str(tenants.plan_admin.id)


def test_wrong_password_and_unknown_email_look_the_same(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    _with_password(engine, tenants.plan_admin)
    wrong = client.post(
        "/auth/token", json={"email": tenants.plan_admin.email, "password": "not the password"}
    )
    unknown = client.post(
        "/auth/token", json={"email": "nobody@example.org", "password": "not the password"}
    )
    assert_error(wrong, 401, "unauthenticated")
    assert_error(unknown, 401, "unauthenticated")
    assert wrong.json() == unknown.json()
    assert wrong.headers["WWW-Authenticate"] == unknown.headers["WWW-Authenticate"]


def test_a_user_without_a_password_cannot_sign_in(client: TestClient, tenants: Tenants) -> None:
    response = client.post(
        "/auth/token", json={"email": tenants.plan_coordinator.email, "password": "anything"}
    )
    assert_error(response, 401, "unauthenticated")


def test_missing_password_is_422(client: TestClient) -> None:
    response = client.post("/auth/token", json={"email": "a@example.org"})
    assert assert_error(response, 422, "invalid")["field"] == "password"
