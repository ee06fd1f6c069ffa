"""Community Supports episode endpoints: open, deliveries within the authorization and the
caps (409 saying what remains), scoped reads, roles, close with If-Match."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from ..authorizations.http_world import (
    MEALS,
    Clock,
    World,
    app,
    approved,
    auth,
    clock,
    world,
)
from ..http.conftest import AuthHeaders, assert_error, client, signer

__all__ = ["Clock", "app", "auth", "client", "clock", "signer", "world"]  # fixtures used here


def opened(client: TestClient, auth: AuthHeaders, world: World, **limits: str) -> Any:
    """An open meals episode from 2025-09-01 under a fresh approved authorization."""
    authorization = approved(client, auth, world, **limits)
    body = {"authorization_id": authorization["id"], "started_on": "2025-09-01"}
    response = client.post("/service-episodes", json=body, headers=auth(world.cs_staff))
    assert response.status_code == 201, response.text
    return response


def deliver(
    client: TestClient, auth: AuthHeaders, world: World, episode_id: str, day: str, units: Any
) -> Any:
    """The CS provider records meals delivered on `day`."""
    body = {"service_date": day, "units": units}
    return client.post(
        f"/service-episodes/{episode_id}/deliveries", json=body, headers=auth(world.cs_staff)
    )


def test_open_record_and_read_deliveries(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    response = opened(client, auth, world)
    episode = response.json()
    assert (episode["status"], episode["program_id"], episode["started_on"]) == (
        "open",
        MEALS,
        "2025-09-01",
    )
    assert response.headers["ETag"] == f'"{episode["version"]}"'
    first = deliver(client, auth, world, episode["id"], "2025-09-02", "14")
    assert first.status_code == 201, first.text
    assert (first.json()["unit"], first.json()["units"]) == ("meal", "14.00")
    assert deliver(client, auth, world, episode["id"], "2025-09-03", 2.5).status_code == 201
    url = f"/service-episodes/{episode['id']}/deliveries"
    listed = client.get(url, headers=auth(world.um)).json()
    assert listed["total"] == 2
    assert [(d["service_date"], d["units"]) for d in listed["items"]] == [
        ("2025-09-02", "14.00"),
        ("2025-09-03", "2.50"),
    ]
    mine = client.get(f"/service-episodes?program_id={MEALS}", headers=auth(world.um)).json()
    assert [item["id"] for item in mine["items"]] == [episode["id"]]


def test_a_cap_breach_is_409_saying_what_remains(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    episode = opened(client, auth, world).json()
    assert deliver(client, auth, world, episode["id"], "2025-09-02", "160").status_code == 201
    over = deliver(client, auth, world, episode["id"], "2025-09-03", "10")
    message = assert_error(over, 409, "conflict")["message"]
    assert "remain" in message
    assert "160 used, 8 remain" in message
    assert over.json()["error"]["details"]["type"] == "CapExceeded"
    listed = client.get(
        f"/service-episodes/{episode['id']}/deliveries", headers=auth(world.cs_staff)
    ).json()
    assert listed["total"] == 1  # the refused delivery left nothing behind
    assert deliver(client, auth, world, episode["id"], "2025-09-03", "8").status_code == 201


def test_the_authorized_units_are_a_limit_too(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    episode = opened(client, auth, world, units_authorized="100").json()
    assert deliver(client, auth, world, episode["id"], "2025-09-02", "90").status_code == 201
    over = deliver(client, auth, world, episode["id"], "2025-09-03", "11")
    assert "10 remain" in assert_error(over, 409, "conflict")["message"]


def test_reads_are_scoped_and_recording_needs_the_role(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    episode = opened(client, auth, world).json()
    url = f"/service-episodes/{episode['id']}"
    # A referrer's role reads no episodes at all: 403, which says nothing about any record.
    for path in (url, f"/service-episodes/{uuid.uuid4()}", "/service-episodes"):
        assert_error(client.get(path, headers=auth(world.referrer)), 403, "forbidden")
    for outsider in (world.other_um, world.other_cs_staff):
        hidden = client.get(url, headers=auth(outsider))
        missing = client.get(f"/service-episodes/{uuid.uuid4()}", headers=auth(outsider))
        assert_error(hidden, 404, "not_found")
        assert hidden.json()["error"]["details"] == missing.json()["error"]["details"]
        assert str(world.member.id) not in hidden.text
        assert client.get("/service-episodes", headers=auth(outsider)).json()["total"] == 0
    assert client.get(url, headers=auth(world.um)).status_code == 200
    # Another provider cannot open an episode under an authorization it does not see.
    body = {"authorization_id": episode["authorization_id"], "started_on": "2025-09-01"}
    theirs = client.post("/service-episodes", json=body, headers=auth(world.other_cs_staff))
    assert_error(theirs, 404, "not_found")
    for role in (world.um, world.referrer):
        refused = client.post(
            f"{url}/deliveries",
            json={"service_date": "2025-09-02", "units": "1"},
            headers=auth(role),
        )
        assert "may not service record" in assert_error(refused, 403, "forbidden")["message"]


def test_close_needs_the_current_version_and_is_final(
    client: TestClient, auth: AuthHeaders, world: World
) -> None:
    episode = opened(client, auth, world).json()
    url = f"/service-episodes/{episode['id']}/close"
    body = {"ended_on": "2025-09-30", "reason": "service plan completed"}
    staff = world.cs_staff
    assert_error(client.post(url, json=body, headers=auth(staff)), 428, "precondition_required")
    stale = client.post(url, json=body, headers=auth(staff, **{"If-Match": '"7"'}))
    assert_error(stale, 412, "stale_version")
    closed = client.post(
        url, json=body, headers=auth(staff, **{"If-Match": f'"{episode["version"]}"'})
    )
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["ended_on"]) == ("closed", "2025-09-30")
    assert closed.json()["closure_reason"] == "service plan completed"
    assert closed.headers["ETag"] == f'"{episode["version"] + 1}"'
    late = deliver(client, auth, world, episode["id"], "2025-09-05", "1")
    assert "closed" in assert_error(late, 409, "conflict")["message"]
