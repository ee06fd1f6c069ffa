"""Authorizations endpoints: requests and their automatic outcome, scoped lists and reads,
decisions with versions, roles, the overdue queue on the app's clock, denial reason codes."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient

from ..http.conftest import AuthHeaders, assert_error, client, signer
from .http_world import (
    MEALS,
    RECUPERATIVE,
    Clock,
    World,
    app,
    approved,
    ask,
    auth,
    clock,
    world,
)

__all__ = ["app", "auth", "client", "clock", "signer", "world"]  # the fixtures used here


def test_a_request_shows_its_outcome_and_decision_clock(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    pending = ask(client, auth, world)
    assert pending.status_code == 201, pending.text
    body = pending.json()
    assert (body["status"], body["automatic"], body["decision_basis"]) == ("pending", False, None)
    assert body["decision_due_at"] == "2025-10-09T00:00:00Z"  # 5 business days, 17:00 LA
    assert body["provider_organization_id"] == str(world.cs_staff.organization_id)
    assert body["allowed_events"] == ["approve", "deny", "withdraw"]
    assert pending.headers["ETag"] == f'"{body["version"]}"'
    presumed = ask(client, auth, world, RECUPERATIVE, urgency="expedited").json()
    assert (presumed["status"], presumed["automatic"]) == ("presumptive", True)
    assert presumed["presumptive_until"] == "2025-10-15"
    assert presumed["decision_due_at"] == "2025-10-04T12:00:00Z"  # 72 hours


def test_a_direct_request_on_an_eligible_determination_is_approved_at_once(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    body = {"member_id": str(world.member.id), "program_id": "ecm"}
    response = client.post("/authorizations", json=body, headers=auth(world.coordinator))
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["status"], created["decision_basis"]) == ("approved", "engine_eligible")
    assert created["automatic"] is True
    assert (created["start_date"], created["end_date"]) == ("2025-10-01", "2026-09-30")
    again = client.post(
        f"/authorizations/{created['id']}/reauthorize", json={}, headers=auth(world.coordinator)
    )
    assert again.status_code == 201, again.text
    assert again.json()["previous_authorization_id"] == created["id"]
    assert again.json()["start_date"] == "2026-10-01"


def test_an_idempotent_replay_acts_once(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    body = {"member_id": str(world.member.id), "program_id": MEALS}
    headers = auth(world.cs_staff, **{"Idempotency-Key": str(uuid.uuid4())})
    first = client.post("/authorizations", json=body, headers=headers)
    again = client.post("/authorizations", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    listed = client.get(f"/authorizations?program_id={MEALS}", headers=auth(world.um)).json()
    assert listed["total"] == 1
    # Without the key, the same request is a second request: refused as a duplicate.
    duplicate = client.post("/authorizations", json=body, headers=auth(world.cs_staff))
    assert first.json()["id"] in assert_error(duplicate, 409, "conflict")["message"]


def test_another_tenants_authorization_is_404_without_a_leak(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    created = ask(client, auth, world).json()
    hidden = client.get(f"/authorizations/{created['id']}", headers=auth(world.other_um))
    missing = client.get(f"/authorizations/{uuid.uuid4()}", headers=auth(world.other_um))
    assert_error(hidden, 404, "not_found")
    assert_error(missing, 404, "not_found")
    assert hidden.json()["error"]["details"] == missing.json()["error"]["details"]
    for secret in (str(world.member.id), MEALS, created["decision_due_at"]):
        assert secret not in hidden.text
    deciding = client.post(
        f"/authorizations/{created['id']}/approve",
        json={"end_date": "2026-08-31"},
        headers=auth(world.other_um, **{"If-Match": "1"}),
    )
    assert_error(deciding, 404, "not_found")
    listed = client.get("/authorizations", headers=auth(world.other_um)).json()
    assert (listed["total"], listed["items"]) == (0, [])
    theirs = client.get("/authorizations", headers=auth(world.other_cs_staff)).json()
    assert theirs["total"] == 0


def test_a_role_without_the_permission_is_403(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    created = ask(client, auth, world).json()
    url = f"/authorizations/{created['id']}/approve"
    body = {"end_date": "2026-08-31"}
    for outsider in (world.referrer, world.coordinator, world.cs_staff):
        refused = client.post(url, json=body, headers=auth(outsider, **{"If-Match": "1"}))
        assert "may not authorization decide" in assert_error(refused, 403, "forbidden")["message"]
    assert_error(client.get("/authorizations", headers=auth(world.referrer)), 403, "forbidden")
    still = client.get(f"/authorizations/{created['id']}", headers=auth(world.um)).json()
    assert (still["status"], still["version"]) == ("pending", created["version"])


def test_decisions_need_the_current_version(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    created = ask(client, auth, world).json()
    url = f"/authorizations/{created['id']}"
    deny = {"reason_code": "not_eligible", "reason": "Does not meet the criteria"}
    assert_error(
        client.post(f"{url}/deny", json=deny, headers=auth(world.um)), 428, "precondition_required"
    )
    stale = client.post(f"{url}/deny", json=deny, headers=auth(world.um, **{"If-Match": '"9"'}))
    assert_error(stale, 412, "stale_version")
    wrong = client.post(
        f"{url}/deny",
        json={**deny, "reason_code": "nope"},
        headers=auth(world.um, **{"If-Match": "1"}),
    )
    assert assert_error(wrong, 422, "invalid")["field"] == "reason_code"
    denied = client.post(f"{url}/deny", json=deny, headers=auth(world.um, **{"If-Match": '"1"'}))
    assert denied.status_code == 200, denied.text
    body = denied.json()
    assert (body["status"], body["denial_reason_code"]) == ("denied", "not_eligible")
    assert (body["allowed_events"], denied.headers["ETag"]) == ([], f'"{body["version"]}"')
    assert body["version"] > created["version"]
    final = client.post(
        f"{url}/withdraw",
        json={},
        headers=auth(world.cs_staff, **{"If-Match": str(body["version"])}),
    )
    assert "cannot withdraw" in assert_error(final, 409, "conflict")["message"]


def test_approval_with_dates_and_limits_and_withdrawal(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    body = approved(client, auth, world, units_authorized="150", amount_authorized="1200.5")
    assert (body["status"], body["decision_basis"], body["automatic"]) == (
        "approved",
        "reviewer",
        False,
    )
    assert (body["start_date"], body["end_date"]) == ("2025-09-01", "2026-08-31")
    assert (body["units_authorized"], body["amount_authorized"]) == ("150.00", "1200.50")
    read = client.get(f"/authorizations/{body['id']}", headers=auth(world.cs_staff)).json()
    assert read["amount_authorized"] == "1200.50"
    other = ask(client, auth, world, RECUPERATIVE).json()
    withdrawn = client.post(
        f"/authorizations/{other['id']}/withdraw",
        json={"reason": "member moved", "version": other["version"]},
        headers=auth(world.cs_staff),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"


def test_filters_and_the_overdue_queue_follow_the_apps_clock(
    client: TestClient, auth: AuthHeaders, world: World, clock: Clock
) -> None:
    pending = ask(client, auth, world).json()
    clock.now += dt.timedelta(days=1)
    later = ask(client, auth, world, RECUPERATIVE).json()  # presumptive: undecided, due later
    by_status = client.get("/authorizations?status=pending", headers=auth(world.um)).json()
    assert [item["id"] for item in by_status["items"]] == [pending["id"]]
    by_member = client.get(
        f"/authorizations?member_id={world.member.id}", headers=auth(world.um)
    ).json()
    assert [item["id"] for item in by_member["items"]] == [later["id"], pending["id"]]
    due = dt.datetime.fromisoformat(pending["decision_due_at"])
    clock.now = due  # exactly at the due time: not yet overdue
    assert client.get("/authorizations?overdue=true", headers=auth(world.um)).json()["total"] == 0
    clock.now = due + dt.timedelta(minutes=1)
    queue = client.get("/authorizations?overdue=true", headers=auth(world.um)).json()
    assert [item["id"] for item in queue["items"]] == [pending["id"]]
    clock.now = dt.datetime.fromisoformat(later["decision_due_at"]) + dt.timedelta(minutes=1)
    queue = client.get("/authorizations?overdue=true&limit=1", headers=auth(world.um)).json()
    assert (queue["total"], queue["next_offset"]) == (2, 1)
    assert queue["items"][0]["id"] == pending["id"]  # the most overdue first
    meals = client.get(
        f"/authorizations?overdue=true&program_id={MEALS}", headers=auth(world.um)
    ).json()
    assert meals["total"] == 1
    refused = client.get("/authorizations?overdue=true", headers=auth(world.cs_staff))
    assert_error(refused, 403, "forbidden")


def test_the_denial_reason_codes(client: TestClient, auth: AuthHeaders, world: World) -> None:
    response = client.get("/authorizations/denial-reasons", headers=auth(world.um))
    assert response.status_code == 200, response.text
    codes = {row["code"]: row["label"] for row in response.json()}
    assert {"not_eligible", "not_offered", "incomplete_info", "duplicate", "other"} <= set(codes)
    assert all(codes.values())
