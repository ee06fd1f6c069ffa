"""Members endpoints: read, create by plan admins, update with If-Match, API-key callers."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from calaim.ops.auth.service import issue_api_key
from calaim.ops.db import session_factory
from calaim.ops.models import Organization, Role, User

from .conftest import NOW, AuthHeaders, Tenants, assert_error

NEW = {
    "person_id": "placeholder",
    "first_name": "Rosa",
    "last_name": "Diaz",
    "birth_date": "1980-02-29",
    "county": "Kern",
    "cin": "91234567A",
    "language": "es",
}


def test_get_returns_the_member_with_version_and_etag(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    member = tenants.members[0]
    response = client.get(f"/members/{member.id}", headers=auth(tenants.plan_coordinator))
    assert response.status_code == 200
    body = response.json()
    assert (body["person_id"], body["payer"]) == (member.person_id, tenants.plan.plan_code)
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_plan_admin_creates_a_member_of_their_own_plan(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = {**NEW, "person_id": f"P{uuid.uuid4().hex[:8]}"}
    response = client.post("/members", json=body, headers=auth(tenants.plan_admin))
    assert response.status_code == 201
    created = response.json()
    assert created["plan_organization_id"] == str(tenants.plan.id)
    assert created["payer"] == tenants.plan.plan_code
    # The other plan cannot see it.
    other = client.get(f"/members/{created['id']}", headers=auth(tenants.other_plan_admin))
    assert_error(other, 404, "not_found")


def test_a_plan_may_not_pick_another_plan_as_owner(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = {**NEW, "person_id": "P1", "plan_organization_id": str(tenants.other_plan.id)}
    response = client.post("/members", json=body, headers=auth(tenants.plan_admin))
    assert assert_error(response, 422, "invalid")["field"] == "plan_organization_id"


def test_a_duplicate_person_id_is_409(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = {**NEW, "person_id": tenants.members[0].person_id}
    assert_error(
        client.post("/members", json=body, headers=auth(tenants.plan_admin)), 409, "conflict"
    )


def test_care_coordination_may_not_create_members(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = {**NEW, "person_id": "P2"}
    response = client.post("/members", json=body, headers=auth(tenants.plan_coordinator))
    assert_error(response, 403, "forbidden")


def test_update_needs_a_version(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    member = tenants.members[0]
    response = client.patch(
        f"/members/{member.id}", json={"county": "Kern"}, headers=auth(tenants.plan_admin)
    )
    assert_error(response, 428, "precondition_required")


def test_update_with_the_current_version_then_a_stale_one(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    url = f"/members/{tenants.members[0].id}"
    etag = client.get(url, headers=auth(tenants.plan_admin)).headers["ETag"]
    first = client.patch(
        url, json={"county": "Fresno"}, headers=auth(tenants.plan_admin, **{"If-Match": etag})
    )
    assert first.status_code == 200
    assert first.json()["county"] == "Fresno"
    assert first.headers["ETag"] != etag
    # The same (now stale) version again: 412, and nothing changes.
    stale = client.patch(
        url, json={"county": "Kern"}, headers=auth(tenants.plan_admin, **{"If-Match": etag})
    )
    assert_error(stale, 412, "stale_version")
    assert client.get(url, headers=auth(tenants.plan_admin)).json()["county"] == "Fresno"


def test_update_accepts_the_version_in_the_body(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    url = f"/members/{tenants.members[1].id}"
    version = client.get(url, headers=auth(tenants.plan_admin)).json()["version"]
    body = {"language": "en", "version": version}
    response = client.patch(url, json=body, headers=auth(tenants.plan_admin))
    assert response.status_code == 200
    assert response.json()["language"] == "en"


def test_update_cannot_clear_a_required_field(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    url = f"/members/{tenants.members[1].id}"
    version = client.get(url, headers=auth(tenants.plan_admin)).json()["version"]
    response = client.patch(
        url, json={"last_name": None, "version": version}, headers=auth(tenants.plan_admin)
    )
    assert assert_error(response, 422, "invalid")["field"] == "last_name"


def test_updating_another_plans_member_is_404(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    response = client.patch(
        f"/members/{tenants.other_member.id}",
        json={"county": "Kern"},
        headers=auth(tenants.plan_admin, **{"If-Match": '"anything"'}),
    )
    assert_error(response, 404, "not_found")


def test_an_api_key_acts_as_the_organizations_service_user(
    client: TestClient, engine: Engine, tenants: Tenants
) -> None:
    with session_factory(engine)() as session:
        plan = session.get(Organization, tenants.plan.id)
        admin = session.get(User, tenants.plan_admin.id)
        assert plan is not None
        assert admin is not None
        key = issue_api_key(session, admin, plan, "eligibility feed", NOW).full_key
        session.commit()
    first = client.get("/auth/me", headers={"X-API-Key": key})
    again = client.get("/members", headers={"X-API-Key": key})
    assert first.status_code == 200
    assert first.json()["email"] == f"system@{tenants.plan.id}"
    assert first.json()["role"] == Role.PLAN_CARE_COORDINATION.value
    assert again.json()["total"] == 3
    with session_factory(engine)() as session:
        users = session.scalars(select(User).where(User.email == f"system@{tenants.plan.id}"))
        service_users = list(users)
    assert len(service_users) == 1
    assert service_users[0].password_hash is None


def test_a_wrong_api_key_is_401(client: TestClient) -> None:
    response = client.get("/members", headers={"X-API-Key": "calaim_abcdef123456_wrong"})
    assert_error(response, 401, "unauthenticated")


def test_languages_are_stored_as_codes_and_unknown_ones_refused(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    admin = auth(tenants.plan_admin)
    body = {**NEW, "person_id": f"P{uuid.uuid4().hex[:8]}", "language": "Spanish"}
    created = client.post("/members", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["language"] == "es"
    unknown = {**NEW, "person_id": f"P{uuid.uuid4().hex[:8]}", "language": "Klingon"}
    error = assert_error(client.post("/members", json=unknown, headers=admin), 422, "invalid")
    assert error["field"] == "language"
    assert "'Klingon' is not a known language" in str(error["message"])
