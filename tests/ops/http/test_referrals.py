"""Referrals endpoints: intake (201/200), scoped lists and reads, the loop with versions."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from .conftest import AuthHeaders, Tenants, assert_error

PROGRAM = "cs.recuperative_care"


def _refer(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> Any:
    member = tenants.members[0]
    body = {
        "member": {"cin": member.cin, "birth_date": "1970-05-17"},
        "program_id": PROGRAM,
        "source_kind": "hospital",
        "form": {"member_consented": True, "urgency": "urgent"},
    }
    return client.post("/referrals", json=body, headers=auth(tenants.hospital))


def test_intake_is_201_then_200_with_the_open_duplicate(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    first = _refer(client, tenants, auth)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "received"
    assert first.json()["allowed_events"] == ["accept", "decline"]
    again = _refer(client, tenants, auth)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_unknown_program_is_422_naming_it(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    body = {"member_id": str(tenants.members[0].id), "program_id": "cs.nope", "source_kind": "plan"}
    response = client.post("/referrals", json=body, headers=auth(tenants.plan_coordinator))
    assert assert_error(response, 422, "invalid")["field"] == "program_id"


def test_lists_and_reads_are_scoped(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    referral_id = _refer(client, tenants, auth).json()["id"]
    mine = client.get(f"/referrals?program_id={PROGRAM}", headers=auth(tenants.plan_coordinator))
    assert [item["id"] for item in mine.json()["items"]] == [referral_id]
    hospital = client.get("/referrals", headers=auth(tenants.hospital)).json()
    assert hospital["total"] == 1
    other = client.get("/referrals", headers=auth(tenants.other_plan_admin)).json()
    assert (other["total"], other["items"]) == (0, [])
    hidden = client.get(f"/referrals/{referral_id}", headers=auth(tenants.other_plan_admin))
    missing = client.get(f"/referrals/{uuid.uuid4()}", headers=auth(tenants.other_plan_admin))
    assert_error(hidden, 404, "not_found")
    assert_error(missing, 404, "not_found")
    assert hidden.json()["error"]["details"] == missing.json()["error"]["details"]


def test_the_loop_with_versions(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    referral = _refer(client, tenants, auth).json()
    url = f"/referrals/{referral['id']}"
    routed = client.post(
        f"{url}/route",
        json={"receiving_organization_id": str(tenants.provider.id)},
        headers=auth(tenants.plan_coordinator, **{"If-Match": '"1"'}),
    )
    assert routed.status_code == 200, routed.text
    assert routed.headers["ETag"] == '"2"'
    staff = tenants.provider_staff
    missing = client.post(f"{url}/events", json={"event": "accept"}, headers=auth(staff))
    assert_error(missing, 428, "precondition_required")
    stale = client.post(
        f"{url}/events", json={"event": "accept", "version": 1}, headers=auth(staff)
    )
    assert_error(stale, 412, "stale_version")
    accepted = client.post(
        f"{url}/events", json={"event": "accept"}, headers=auth(staff, **{"If-Match": '"2"'})
    )
    assert accepted.json()["status"] == "accepted"
    illegal = client.post(
        f"{url}/events", json={"event": "record_services", "version": 3}, headers=auth(staff)
    )
    assert_error(illegal, 409, "conflict")
    listed = client.get("/referrals?status=accepted", headers=auth(tenants.plan_coordinator))
    assert [item["id"] for item in listed.json()["items"]] == [referral["id"]]
    received = client.get("/referrals?status=received", headers=auth(tenants.plan_coordinator))
    assert received.json()["total"] == 0


def test_a_non_numeric_version_is_412(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    referral_id = _refer(client, tenants, auth).json()["id"]
    response = client.post(
        f"/referrals/{referral_id}/events",
        json={"event": "decline", "reason": "no capacity"},
        headers=auth(tenants.plan_coordinator, **{"If-Match": '"abc"'}),
    )
    assert_error(response, 412, "stale_version")


def test_a_bad_status_filter_is_422(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    response = client.get("/referrals?status=lost", headers=auth(tenants.plan_coordinator))
    assert assert_error(response, 422, "invalid")["field"] == "status"


def test_times_read_back_carry_utc(client: TestClient, tenants: Tenants, auth: AuthHeaders) -> None:
    referral_id = _refer(client, tenants, auth).json()["id"]
    read = client.get(f"/referrals/{referral_id}", headers=auth(tenants.plan_coordinator)).json()
    assert read["received_at"] == "2025-10-01T12:00:00Z"


def test_one_referral_carries_its_parties_and_history(
    client: TestClient, tenants: Tenants, auth: AuthHeaders
) -> None:
    referral = _refer(client, tenants, auth).json()
    url = f"/referrals/{referral['id']}"
    fresh = client.get(url, headers=auth(tenants.hospital)).json()
    assert [(p["role"], p["organization_id"]) for p in fresh["parties"]] == [
        ("referrer", str(tenants.hospital.organization_id))
    ]
    assert [(s["from_status"], s["to_status"]) for s in fresh["history"]] == [(None, "received")]
    client.post(
        f"{url}/route",
        json={"receiving_organization_id": str(tenants.provider.id)},
        headers=auth(tenants.plan_coordinator, **{"If-Match": '"1"'}),
    )
    client.post(
        f"{url}/events",
        json={"event": "decline", "reason": "no beds"},
        headers=auth(tenants.provider_staff, **{"If-Match": '"2"'}),
    )
    body = client.get(url, headers=auth(tenants.hospital)).json()
    assert [(p["role"], p["organization_id"], p["name"]) for p in body["parties"]] == [
        ("referrer", str(tenants.hospital.organization_id), body["parties"][0]["name"]),
        ("receiver", str(tenants.provider.id), tenants.provider.name),
    ]
    assert body["parties"][0]["name"]
    assert [(s["from_status"], s["to_status"], s["reason"]) for s in body["history"]] == [
        (None, "received", None),
        ("received", "received", f"routed to {tenants.provider.name}"),
        ("received", "declined", "no beds"),
    ]
    assert all(step["at"].endswith("Z") or "+00:00" in step["at"] for step in body["history"])
