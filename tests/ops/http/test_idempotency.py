"""Idempotency-Key: a retry replays the first response; a reused key with another body is 422."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from .conftest import AuthHeaders, Tenants, assert_error


def _member(person_id: str, first_name: str = "Rosa") -> dict[str, str]:
    return {
        "person_id": person_id,
        "first_name": first_name,
        "last_name": "Diaz",
        "birth_date": "1980-02-29",
        "county": "Kern",
    }


def test_a_retry_returns_the_stored_response_and_acts_once(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin, **{"Idempotency-Key": "create-rosa"})
    person_id = f"P{uuid.uuid4().hex[:8]}"
    first = client.post("/members", json=_member(person_id), headers=headers)
    again = client.post("/members", json=_member(person_id), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    listed = client.get(f"/members?person_id={person_id}", headers=auth(tenants.plan_admin))
    assert listed.json()["total"] == 1


def test_the_same_key_with_another_body_is_422(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    headers = auth(tenants.plan_admin, **{"Idempotency-Key": "k-1"})
    person_id = f"P{uuid.uuid4().hex[:8]}"
    assert client.post("/members", json=_member(person_id), headers=headers).status_code == 201
    reused = client.post("/members", json=_member(person_id, "Other"), headers=headers)
    assert assert_error(reused, 422, "invalid")["field"] == "Idempotency-Key"


def test_keys_belong_to_one_organization(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = _member(f"P{uuid.uuid4().hex[:8]}")
    mine = client.post(
        "/members", json=body, headers=auth(tenants.plan_admin, **{"Idempotency-Key": "k"})
    )
    theirs = client.post(
        "/members", json=body, headers=auth(tenants.other_plan_admin, **{"Idempotency-Key": "k"})
    )
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["plan_organization_id"] != theirs.json()["plan_organization_id"]


def test_a_failed_request_stores_nothing_so_it_can_be_retried(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    # A coordinator may not add members (403); the same key then works for a plan admin's
    # corrected request, because the failure stored nothing under it.
    key = {"Idempotency-Key": f"retry-{uuid.uuid4().hex}"}
    body = _member(f"P{uuid.uuid4().hex[:8]}")
    refused = client.post("/members", json=body, headers=auth(tenants.plan_coordinator, **key))
    assert_error(refused, 403, "forbidden")
    retried = client.post("/members", json=body, headers=auth(tenants.plan_coordinator, **key))
    assert "Idempotent-Replayed" not in retried.headers
    assert_error(retried, 403, "forbidden")


def test_an_over_long_key_is_422(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    headers = auth(tenants.plan_admin, **{"Idempotency-Key": "x" * 201})
    response = client.post("/members", json=_member("P-long"), headers=headers)
    assert assert_error(response, 422, "invalid")["field"] == "Idempotency-Key"
