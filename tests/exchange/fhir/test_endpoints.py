"""The /fhir API: export, import (fhir+json), Task update, status map, errors in the one shape."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.ops.db import session_factory
from ops.http.conftest import AuthHeaders, assert_error

from .world import World, build

INBOUND = json.loads((Path(__file__).parent / "golden" / "inbound_referral.json").read_text())
FHIR = {"Content-Type": "application/fhir+json"}


def committed_world(engine: Engine, base: int) -> World:
    """A world of its own (unique ids and plan code), committed for the HTTP app."""
    with session_factory(engine)() as session:
        world = build(session, base=base, plan_code=f"API{base}", referral=False)
        session.commit()
        return world


def test_import_export_and_task_update(
    client: TestClient, auth: AuthHeaders, engine: Engine
) -> None:
    import random

    base = random.randrange(10**6, 10**9) * 1000
    world = committed_world(engine, base)
    data = json.loads(json.dumps(INBOUND))
    data["entry"][2]["resource"]["identifier"][0]["value"] = world.member.cin
    data["entry"][0]["resource"]["identifier"][0]["value"] = f"v{base}"
    created = client.post(
        "/fhir/Bundle", content=json.dumps(data), headers=auth(world.referrer_user, **FHIR)
    )
    assert created.status_code == 200, created.text
    assert created.json()["outcome"] == "created"
    again = client.post(
        "/fhir/Bundle", content=json.dumps(data), headers=auth(world.referrer_user, **FHIR)
    )
    assert again.json()["outcome"] == "unchanged"
    referral_id = created.json()["referral_id"]
    bundle = client.get(f"/fhir/referrals/{referral_id}/bundle", headers=auth(world.plan_user))
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("application/fhir+json")
    assert bundle.json()["resourceType"] == "Bundle"
    refused = client.put(
        f"/fhir/referrals/{referral_id}/task",
        content=json.dumps({"resourceType": "Task", "status": "accepted", "intent": "order"}),
        headers=auth(world.provider_user, **FHIR),
    )
    assert_error(refused, 404, "not_found")  # not routed to this provider: invisible to it
    status_map = client.get("/fhir/status-map", headers=auth(world.plan_user))
    assert {
        "calaim_status": "declined",
        "closed_early": False,
        "task_status": "rejected",
        "business_status": "declined",
    } in status_map.json()


def test_bad_bundle_is_a_located_422(client: TestClient, auth: AuthHeaders, engine: Engine) -> None:
    import random

    world = committed_world(engine, random.randrange(10**6, 10**9) * 1000)
    data = json.loads(json.dumps(INBOUND))
    data["entry"][1]["resource"]["status"] = "draft"
    response = client.post(
        "/fhir/Bundle", content=json.dumps(data), headers=auth(world.referrer_user, **FHIR)
    )
    error = assert_error(response, 422, "invalid")
    assert error["field"] == "entry[1].resource.status"
    broken = client.post(
        "/fhir/Bundle", content=b"{not json", headers=auth(world.referrer_user, **FHIR)
    )
    assert_error(broken, 422, "invalid")


def test_an_sdohcc_bundle_over_http_says_what_was_not_kept(
    client: TestClient, auth: AuthHeaders, engine: Engine
) -> None:
    import random

    base = random.randrange(10**6, 10**9) * 1000
    world = committed_world(engine, base)
    data = json.loads((Path(__file__).parent / "sdohcc" / "food_pantry_referral.json").read_text())
    patient = data["entry"][2]["resource"]
    patient["identifier"].append({"system": "urn:calaim:medi-cal-cin", "value": world.member.cin})
    response = client.post(
        "/fhir/Bundle", content=json.dumps(data), headers=auth(world.referrer_user, **FHIR)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["outcome"] == "created"
    assert body["sender_code"].startswith("SNOMED CT 467771000124109")
    assert [note.split(" (")[0] for note in body["not_kept"]] == [
        "entry[0].resource.requester",
        "entry[6].resource",
    ]
