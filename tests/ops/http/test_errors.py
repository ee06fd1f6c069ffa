"""Every error has the one shape, with the status its kind maps to."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.http.deps import SessionDep
from calaim.ops.models import Organization, OrganizationKind

from .conftest import NOW, AuthHeaders, Tenants, assert_error


def test_no_credentials_is_401_with_www_authenticate(client: TestClient) -> None:
    response = client.get("/members")
    assert_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_signed_with_another_secret_is_401(client: TestClient, tenants: Tenants) -> None:
    forged = TokenSigner("another-secret-entirely-0123456789").issue(
        tenants.plan_admin.id, tenants.plan.id, "plan_admin", NOW, session_id=uuid.uuid4()
    )
    response = client.get("/members", headers={"Authorization": f"Bearer {forged}"})
    assert_error(response, 401, "unauthenticated")


def test_an_expired_token_is_401(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    # Issued exactly one lifetime before the app's clock: expired from that instant on.
    token = auth.token(tenants.plan_admin, NOW - auth.signer.lifetime)
    response = client.get("/members", headers={"Authorization": f"Bearer {token}"})
    error = assert_error(response, 401, "unauthenticated")
    assert "expired" in str(error["message"])


def test_a_token_one_second_before_expiry_works(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    issued = NOW - auth.signer.lifetime + dt.timedelta(seconds=1)
    token = auth.token(tenants.plan_admin, issued)
    assert client.get("/members", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_token_for_a_user_who_no_longer_exists_is_401(
    client: TestClient, tenants: Tenants, signer: TokenSigner
) -> None:
    token = signer.issue(uuid.uuid4(), tenants.plan.id, "plan_admin", NOW, session_id=uuid.uuid4())
    response = client.get("/members", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "unauthenticated")


def test_a_role_without_the_permission_is_403(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    # Referrers refer members but may not list them.
    assert_error(client.get("/members", headers=auth(tenants.hospital)), 403, "forbidden")


def test_another_tenants_member_is_404_like_a_missing_one(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    other = client.get(f"/members/{tenants.other_member.id}", headers=auth(tenants.plan_admin))
    missing_id = uuid.uuid4()
    missing = client.get(f"/members/{missing_id}", headers=auth(tenants.plan_admin))
    other_error = assert_error(other, 404, "not_found")
    missing_error = assert_error(missing, 404, "not_found")
    # Same message up to the id, same details: nothing tells them apart.
    assert other_error["message"] == str(missing_error["message"]).replace(
        str(missing_id), str(tenants.other_member.id)
    )
    assert other_error["details"] == missing_error["details"]


def test_validation_error_is_422_naming_the_field(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = {"person_id": "P1", "first_name": "A", "last_name": "B", "county": "Kern"}
    response = client.post(
        "/members", json={**body, "birth_date": "not a date"}, headers=auth(tenants.plan_admin)
    )
    error = assert_error(response, 422, "invalid")
    assert error["field"] == "birth_date"


def test_a_limit_below_one_is_422_naming_it(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    response = client.get("/members?limit=0", headers=auth(tenants.plan_admin))
    assert assert_error(response, 422, "invalid")["field"] == "limit"


def test_an_unknown_route_has_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/nothing-here"), 404, "not_found")


def test_an_unexpected_error_is_500_without_traceback_and_changes_nothing(
    app: FastAPI, client: TestClient, engine: Engine
) -> None:
    name = f"rolled back {uuid.uuid4().hex}"

    def boom(session: SessionDep) -> None:
        session.add(Organization(name=name, kind=OrganizationKind.REFERRER.value))
        session.flush()
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom, methods=["POST"])
    response = client.post("/boom")
    error = assert_error(response, 500, "internal_error")
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert error["details"]["incident"]  # type: ignore[index]
    with session_factory(engine)() as session:
        count = session.scalar(select(func.count()).where(Organization.name == name))
    assert count == 0
