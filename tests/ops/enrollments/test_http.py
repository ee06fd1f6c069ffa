"""The ECM API end to end: assign, outreach, enroll, care plan, discontinue, and refusals."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from calaim.ops.db import session_factory

from ..http.conftest import NOW, AuthHeaders, assert_error
from .world import World, build_world

TODAY = NOW.date()  # 2025-10-01 noon UTC is the same day in California


@pytest.fixture
def ecm(engine: Engine) -> World:
    """A committed ECM world with plan codes unique to this test."""
    codes = [f"E{uuid.uuid4().hex[:10].upper()}" for _ in range(2)]
    with session_factory(engine)() as session:
        world = build_world(session, *codes)
        session.commit()
    return world


def post(client: TestClient, path: str, headers: dict[str, str], **body: Any) -> Any:
    """POST a JSON body."""
    return client.post(path, json=body, headers=headers)


def test_the_whole_episode_over_http(client: TestClient, auth: AuthHeaders, ecm: World) -> None:
    plan, lcm = auth(ecm.plan_user), auth(ecm.lcm_a)
    ranking = client.get(f"/assignments/ranking?member_id={ecm.member.id}", headers=plan)
    assert ranking.status_code == 200, ranking.text
    assert ranking.json()["choice"] == str(ecm.provider_a.id)
    created = post(client, "/assignments", plan, member_id=str(ecm.member.id))
    assert created.status_code == 201, created.text
    enrollment = created.json()["enrollment"]
    assert enrollment["status"] == "assigned"
    assert created.headers["ETag"] == '"1"'
    path = f"/enrollments/{enrollment['id']}"
    again = post(client, "/assignments", plan, member_id=str(ecm.member.id))
    assert_error(again, 409, "conflict")

    attempt = post(
        client,
        f"{path}/outreach-attempts",
        lcm,
        attempted_on=str(TODAY),
        method="phone",
        successful=True,
        minutes=15,
    )
    assert attempt.status_code == 201, attempt.text
    body = client.get(path, headers=lcm).json()
    assert (body["status"], body["allowed_events"]) == (
        "outreach",
        ["record_outreach", "enroll", "discontinue"],
    )

    enroll = {
        "lead_care_manager_user_id": str(ecm.lcm_a.id),
        "acuity": "high",
        "enrolled_on": str(TODAY),
    }
    assert_error(
        client.post(f"{path}/enroll", json=enroll, headers=lcm), 428, "precondition_required"
    )
    stale = client.post(f"{path}/enroll", json=enroll, headers=auth(ecm.lcm_a, **{"If-Match": "1"}))
    assert_error(stale, 412, "stale_version")
    version = body["version"]
    enrolled = client.post(
        f"{path}/enroll", json=enroll, headers=auth(ecm.lcm_a, **{"If-Match": str(version)})
    )
    assert enrolled.status_code == 200, enrolled.text
    assert enrolled.json()["status"] == "enrolled"

    care = {"assessment_started_on": str(TODAY), "goals": [{"description": "housing"}]}
    made = client.post(f"/care-plans/{enrollment['id']}", json=care, headers=lcm)
    assert made.status_code == 201, made.text
    assert made.json()["latest_revision_on"] == str(TODAY)
    assert_error(
        client.put(f"/care-plans/{enrollment['id']}", json=care, headers=lcm),
        428,
        "precondition_required",
    )
    revised = client.put(
        f"/care-plans/{enrollment['id']}", json={**care, "version": 1}, headers=lcm
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["version"] == 2
    assert client.get(f"/care-plans/{enrollment['id']}", headers=plan).status_code == 200
    assert_error(
        client.post(f"/care-plans/{enrollment['id']}", json=care, headers=plan), 403, "forbidden"
    )

    ended = post(
        client,
        f"{path}/discontinue",
        plan,
        reason_code="goals_met",
        discontinued_on=str(TODAY),
        version=enrolled.json()["version"],
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["discontinuation_reason_code"] == "goals_met"
    listed = client.get(f"/enrollments?member_id={ecm.member.id}", headers=plan).json()
    assert listed["total"] == 1


def test_refusals_have_the_one_error_shape(
    client: TestClient, auth: AuthHeaders, ecm: World
) -> None:
    plan = auth(ecm.plan_user)
    created = post(client, "/assignments", plan, member_id=str(ecm.member.id)).json()
    path = f"/enrollments/{created['enrollment']['id']}"
    assert_error(client.get(path, headers=auth(ecm.lcm_b)), 404, "not_found")
    assert_error(client.get(path, headers=auth(ecm.other_plan_user)), 404, "not_found")
    assert_error(
        post(client, "/assignments", auth(ecm.lcm_a), member_id=str(ecm.member.id)),
        403,
        "forbidden",
    )
    future = post(
        client,
        f"{path}/outreach-attempts",
        auth(ecm.lcm_a),
        attempted_on="2030-01-01",
        method="text",
        successful=False,
        minutes=1,
    )
    error = assert_error(future, 422, "invalid")
    assert error["field"] == "attempted_on"
    negative = post(
        client,
        f"{path}/outreach-attempts",
        auth(ecm.lcm_a),
        attempted_on=str(TODAY),
        method="text",
        successful=False,
        minutes=-1,
    )
    assert_error(negative, 422, "invalid")
    early = post(
        client,
        f"{path}/enroll",
        auth(ecm.lcm_a),
        lead_care_manager_user_id=str(ecm.lcm_a.id),
        acuity="low",
        enrolled_on=str(TODAY),
        version=1,
    )
    assert_error(early, 409, "conflict")
    override = post(
        client,
        "/assignments/override",
        plan,
        member_id=str(ecm.member.id),
        provider_organization_id=str(ecm.provider_b.id),
        why="x",
    )
    assert_error(override, 409, "conflict")
    reasons = client.get("/enrollments/discontinuation-reasons", headers=plan).json()
    assert "unable_to_reach" in {reason["code"] for reason in reasons}
    assert client.get("/enrollments/unreachable", headers=plan).json() == []


def test_assignment_without_an_authorization_needs_an_override(
    client: TestClient, auth: AuthHeaders, ecm: World, engine: Engine
) -> None:
    from ..factories import member

    with session_factory(engine)() as session:
        bare = member(session, ecm.plan, f"N{uuid.uuid4().hex[:8]}")
        session.commit()
        bare_id = str(bare.id)
    plan = auth(ecm.plan_user)
    refused = post(client, "/assignments", plan, member_id=bare_id)
    error = assert_error(refused, 409, "conflict")
    assert error["field"] == "authorization_override_reason"
    assert "No approved or presumptive ECM authorization" in str(error["message"])
    created = post(
        client, "/assignments", plan, member_id=bare_id,
        authorization_override_reason="outreach by the street medicine team",
    )  # fmt: skip
    assert created.status_code == 201, created.text
    override = created.json()["enrollment"]["authorization_override"]
    assert override["reason"] == "outreach by the street medicine team"
    assert override["by_user_id"] == str(ecm.plan_user.id)
    assert override["at"].startswith("2025-10-01T12:00:00")
    read = client.get(f"/enrollments/{created.json()['enrollment']['id']}", headers=plan)
    assert read.json()["authorization_override"] == override
