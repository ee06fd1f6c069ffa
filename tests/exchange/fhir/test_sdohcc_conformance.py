"""calaim's own exports against the SDOH Clinical Care IG and US Core constraints
(sdohcc_constraints.py), for each viewer and loop state, plus the R4B models."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy.orm import Session

from calaim.exchange.fhir.export import export_referral
from calaim.exchange.fhir.task_resource import update_task

from .sdohcc_constraints import violations
from .world import NOW, World, add_care_plan_and_consent, build


def resource(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


@pytest.fixture
def world(session: Session) -> World:
    made = build(session)
    add_care_plan_and_consent(session, made)
    return made


@pytest.mark.parametrize("viewer", ["provider_user", "plan_user", "referrer_user"])
def test_every_view_of_an_open_loop_conforms(session: Session, world: World, viewer: str) -> None:
    bundle = export_referral(session, getattr(world, viewer), world.referral.id, NOW)
    Bundle.model_validate(bundle)
    assert violations(bundle) == []
    code = resource(bundle, "ServiceRequest")["code"]
    assert code["coding"] == [
        {"system": "urn:calaim:fhir:CodeSystem:program", "code": "ecm"},
        {"system": "urn:oid:2.16.840.1.113883.6.285", "code": "G9012"},
    ]


def test_a_completed_loop_reports_its_resulting_activity(session: Session, world: World) -> None:
    for status in ("in-progress", "completed"):
        update_task(
            session,
            world.provider_user,
            world.referral.id,
            {"resourceType": "Task", "status": status, "intent": "order"},
            NOW,
        )
    bundle = export_referral(session, world.provider_user, world.referral.id, NOW)
    task = resource(bundle, "Task")
    assert task["status"] == "completed"
    assert violations(bundle) == []
    assert task["output"][0]["valueCodeableConcept"]["coding"] == [
        {"system": "urn:oid:2.16.840.1.113883.6.285", "code": "G9012"}
    ]


def test_the_checker_catches_what_the_issue_found(session: Session, world: World) -> None:
    bundle = export_referral(session, world.referrer_user, world.referral.id, NOW)
    request = resource(bundle, "ServiceRequest")
    request["code"]["coding"] = request["code"]["coding"][:1]  # calaim's own system only
    patient = resource(bundle, "Patient")
    for key in ("identifier", "name", "_gender", "meta"):
        patient.pop(key)
    task = resource(bundle, "Task")
    task["status"] = "completed"
    assert violations(bundle) == [
        "ServiceRequest.code: no coding from US Core Procedure Codes (required)",
        "Task.output: a completed referral Task reports its resulting activity",
        "Patient.meta.profile: us-core-patient not claimed",
        "Patient.identifier: 1..* (US Core Patient)",
        "Patient.name: family or given, or a data-absent-reason (us-core-6)",
        "Patient.gender: 1..1 (US Core Patient)",
    ]
