"""Sessions live on the server: signing out, a password change or an administrator ends them.

Before, a token was valid for its whole 8 hours whatever happened: the old cookie kept working
on /app and as an API bearer after signing out.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from calaim.ops.auth.service import set_password
from calaim.ops.db import session_factory
from calaim.ops.models import AuditEvent, SignInSession, User
from calaim.web.session import SESSION_COOKIE

from .conftest import NOW, AuthHeaders, Tenants, assert_error

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a different long passphrase"


def _with_password(engine: Engine, person: User) -> None:
    with session_factory(engine)() as session:
        stored = session.get(User, person.id)
        assert stored is not None
        set_password(session, stored, PASSWORD, NOW)
        session.commit()


def _token(client: TestClient, person: User, password: str = PASSWORD) -> str:
    response = client.post("/auth/token", json={"email": person.email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _web_sign_in(client: TestClient, person: User) -> str:
    page = client.get("/app/sign-in").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    form = {"csrf_token": found.group(1), "email": person.email, "password": PASSWORD}
    response = client.post("/app/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.cookies[SESSION_COOKIE])


def _actions(engine: Engine, person: User) -> list[str]:
    with session_factory(engine)() as session:
        query = select(AuditEvent.action).where(AuditEvent.entity_id == str(person.id))
        return list(session.scalars(query))


def test_sign_out_ends_the_token_at_once(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    _with_password(engine, tenants.plan_admin)
    token, other = _token(client, tenants.plan_admin), _token(client, tenants.plan_admin)
    assert client.get("/auth/me", headers=_bearer(token)).status_code == 200
    assert client.post("/auth/sign-out", headers=_bearer(token)).status_code == 204
    error = assert_error(client.get("/members", headers=_bearer(token)), 401, "unauthenticated")
    assert "ended" in str(error["message"])
    # Signing out ends this session only: the same user's other sign-in goes on working.
    assert client.get("/auth/me", headers=_bearer(other)).status_code == 200
    with session_factory(engine)() as session:
        rows = session.scalars(
            select(SignInSession).where(SignInSession.user_id == tenants.plan_admin.id)
        ).all()
    assert sorted(str(row.revoked_reason) for row in rows) == ["None", "signed_out"]


def test_web_sign_out_ends_the_cookie_on_pages_and_as_a_bearer(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    _with_password(engine, tenants.plan_admin)
    cookie = _web_sign_in(client, tenants.plan_admin)
    assert client.get("/app", follow_redirects=False).status_code == 200
    assert client.get("/auth/me", headers=_bearer(cookie)).status_code == 200
    page = client.get("/app").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    signed_out = client.post(
        "/app/sign-out", data={"csrf_token": csrf.group(1)}, follow_redirects=False
    )
    assert signed_out.status_code == 303
    # The old cookie, sent again by someone who kept it, works nowhere.
    client.cookies.set(SESSION_COOKIE, cookie)
    again = client.get("/app", follow_redirects=False)
    assert again.status_code == 303
    assert "reason=invalid" in again.headers["location"]
    assert_error(client.get("/auth/me", headers=_bearer(cookie)), 401, "unauthenticated")
    assert "auth.signed_out" in [
        action for action in _actions_of_sessions(engine, tenants.plan_admin)
    ]


def _actions_of_sessions(engine: Engine, person: User) -> list[str]:
    with session_factory(engine)() as session:
        query = select(AuditEvent.action).where(AuditEvent.actor_user_id == person.id)
        return list(session.scalars(query))


def test_a_password_change_ends_every_session(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    _with_password(engine, tenants.plan_admin)
    first, second = _token(client, tenants.plan_admin), _token(client, tenants.plan_admin)
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.post("/auth/password", json=change, headers=_bearer(first)).status_code == 204
    for token in (first, second):
        assert_error(client.get("/auth/me", headers=_bearer(token)), 401, "unauthenticated")
    assert (
        client.post(
            "/auth/token", json={"email": tenants.plan_admin.email, "password": PASSWORD}
        ).status_code
        == 401
    )
    fresh = _token(client, tenants.plan_admin, NEW_PASSWORD)
    assert client.get("/auth/me", headers=_bearer(fresh)).status_code == 200
    assert "auth.sessions_revoked" in _actions(engine, tenants.plan_admin)


def test_a_password_change_needs_the_current_password(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    _with_password(engine, tenants.plan_admin)
    token = _token(client, tenants.plan_admin)
    change = {"current_password": "a wrong guess", "new_password": NEW_PASSWORD}
    response = client.post("/auth/password", json=change, headers=_bearer(token))
    assert assert_error(response, 422, "invalid")["field"] == "current_password"
    short = {"current_password": PASSWORD, "new_password": "short"}
    response = client.post("/auth/password", json=short, headers=_bearer(token))
    assert assert_error(response, 422, "invalid")["field"] == "new_password"
    # Nothing changed: the session and the old password both still work.
    assert client.get("/auth/me", headers=_bearer(token)).status_code == 200
    assert _token(client, tenants.plan_admin)


def test_an_administrator_ends_a_users_sessions(
    client: TestClient, engine: Engine, tenants: Tenants, auth: AuthHeaders
) -> None:
    victim = auth.fresh_token(tenants.plan_coordinator)
    path = f"/auth/users/{tenants.plan_coordinator.id}/sign-out-everywhere"
    response = client.post(path, headers=auth(tenants.plan_admin))
    assert response.status_code == 200, response.text
    assert response.json()["revoked"] >= 1
    assert_error(client.get("/auth/me", headers=_bearer(victim)), 401, "unauthenticated")
    assert "auth.sessions_revoked" in _actions(engine, tenants.plan_coordinator)


def test_only_an_administrator_of_the_same_organization_ends_sessions(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    target = auth.fresh_token(tenants.plan_coordinator)
    path = f"/auth/users/{tenants.plan_coordinator.id}/sign-out-everywhere"
    assert_error(client.post(path, headers=auth(tenants.other_plan_admin)), 404, "not_found")
    assert_error(client.post(path, headers=auth(tenants.plan_coordinator)), 403, "forbidden")
    assert client.get("/auth/me", headers=_bearer(target)).status_code == 200


def test_an_api_key_cannot_sign_out(client: TestClient) -> None:
    response = client.post("/auth/sign-out", headers={"X-API-Key": "calaim_nothing_here"})
    assert_error(response, 401, "unauthenticated")


def test_garbage_session_cookies_send_the_browser_to_sign_in(client: TestClient) -> None:
    for garbage in ("a.b.c", "x", "", "%%%", "a" * 5000):
        client.cookies.set(SESSION_COOKIE, garbage)
        response = client.get("/app", follow_redirects=False)
        assert response.status_code == 303, (garbage, response.text)
        assert response.headers["location"].startswith("/app/sign-in")
