"""Record times come from the app's clock, never the machine's (dates are explicit).

The test app's clock is fixed at `NOW` (2025-10-01 12:00 UTC), far from the day the tests run:
every notice, status change, outreach attempt, encounter and care plan written through the API
must carry exactly that time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from calaim.ops.db import session_factory
from calaim.ops.models import CarePlan, Enrollment, Notice, OutreachAttempt, StatusChange
from calaim.ops.models.billing import EcmEncounter

from ..http.conftest import NOW, AuthHeaders
from .world import World, build_world

TODAY = NOW.date()


@pytest.fixture
def ecm(engine: Engine) -> World:
    """A committed ECM world with plan codes unique to this test."""
    codes = [f"E{uuid.uuid4().hex[:10].upper()}" for _ in range(2)]
    with session_factory(engine)() as session:
        world = build_world(session, *codes)
        session.commit()
    return world


def utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time (SQLite hands back naive UTC times)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    """The JSON body of a response that must have `status`."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def run_episode(client: TestClient, auth: AuthHeaders, ecm: World) -> str:
    """Assign, reach, enroll, set acuity, write a care plan, bill a visit, discontinue."""
    plan, lcm = auth(ecm.plan_user), auth(ecm.lcm_a)
    made = ok(
        client.post("/assignments", json={"member_id": str(ecm.member.id)}, headers=plan), 201
    )
    enrollment_id: str = made["enrollment"]["id"]
    path = f"/enrollments/{enrollment_id}"
    attempt = {"attempted_on": str(TODAY), "method": "phone", "successful": True, "minutes": 9}
    ok(client.post(f"{path}/outreach-attempts", json=attempt, headers=lcm), 201)
    version = ok(client.get(path, headers=lcm))["version"]
    enroll = {
        "lead_care_manager_user_id": str(ecm.lcm_a.id),
        "acuity": "high",
        "enrolled_on": str(TODAY),
        "version": version,
    }
    version = ok(client.post(f"{path}/enroll", json=enroll, headers=lcm))["version"]
    acuity = {"acuity": "low", "version": version}
    version = ok(client.post(f"{path}/acuity", json=acuity, headers=lcm))["version"]
    care = {"assessment_started_on": str(TODAY), "goals": [{"description": "housing"}]}
    ok(client.post(f"/care-plans/{enrollment_id}", json=care, headers=lcm), 201)
    visit = {
        "enrollment_id": enrollment_id,
        "service_date": str(TODAY),
        "mode": "in_person",
        "staff_kind": "non_clinical",
        "minutes": 30,
    }
    ok(client.post("/billing/encounters", json=visit, headers=lcm), 201)
    end = {"reason_code": "goals_met", "discontinued_on": str(TODAY), "version": version}
    ok(client.post(f"{path}/discontinue", json=end, headers=plan))
    return enrollment_id


def test_every_record_of_an_episode_carries_the_clock_time(
    client: TestClient, auth: AuthHeaders, ecm: World, engine: Engine
) -> None:
    enrollment_id = uuid.UUID(run_episode(client, auth, ecm))
    with session_factory(engine)() as session:
        enrollment = session.get(Enrollment, enrollment_id)
        assert enrollment is not None
        assert utc(enrollment.updated_at) == NOW
        changes = session.scalars(
            select(StatusChange).where(StatusChange.entity_id == enrollment_id)
        ).all()
        statuses = sorted(change.to_status for change in changes)
        assert statuses == ["assigned", "discontinued", "enrolled", "outreach"]
        assert {utc(change.at) for change in changes} == {NOW}
        notices = session.scalars(select(Notice).where(Notice.subject_id == enrollment_id)).all()
        assert {notice.kind for notice in notices} == {"assignment_to_member", "ecm_discontinued"}
        assert {utc(notice.created_at) for notice in notices} == {NOW}
        [attempt] = session.scalars(
            select(OutreachAttempt).where(OutreachAttempt.enrollment_id == enrollment_id)
        ).all()
        assert utc(attempt.recorded_at) == NOW
        [encounter] = session.scalars(
            select(EcmEncounter).where(EcmEncounter.enrollment_id == enrollment_id)
        ).all()
        assert utc(encounter.recorded_at) == NOW
        care_plan = session.scalars(
            select(CarePlan).where(CarePlan.enrollment_id == enrollment_id)
        ).one()
        assert utc(care_plan.updated_at) == NOW


def test_notices_read_back_over_the_api_are_dated_by_the_clock(
    client: TestClient, auth: AuthHeaders, ecm: World
) -> None:
    plan = auth(ecm.plan_user)
    ok(client.post("/assignments", json={"member_id": str(ecm.member.id)}, headers=plan), 201)
    listed = ok(client.get(f"/notices?member_id={ecm.member.id}", headers=plan))
    assert [item["kind"] for item in listed["items"]] == ["assignment_to_member"]
    [notice] = listed["items"]
    assert dt.datetime.fromisoformat(notice["created_at"]) == NOW
