"""Exporting a referral: the golden Bundle, scoping by who asks, Part 2, audit."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.fhir import codes as c
from calaim.exchange.fhir.export import export_referral
from calaim.ops.models import AuditEvent, Part2Consent
from calaim.ops.referrals.repository import ReferralNotFound

from .world import NOW, add_care_plan_and_consent, build, fixed

GOLDEN = Path(__file__).parent / "golden"


def kinds(bundle: dict[str, Any]) -> list[str]:
    """The resource types of a Bundle's entries, in order."""
    return [entry["resource"]["resourceType"] for entry in bundle["entry"]]


def resource(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    """The first resource of a kind."""
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


def test_export_equals_the_golden_bundle(session: Session) -> None:
    world = build(session)
    add_care_plan_and_consent(session, world)
    bundle = export_referral(session, world.provider_user, world.referral.id, NOW)
    golden = GOLDEN / "referral_export.json"
    if os.environ.get("CALAIM_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(bundle, indent=2) + "\n")
    assert bundle == json.loads(golden.read_text())


def test_export_carries_the_closed_loop(session: Session) -> None:
    world = build(session)
    add_care_plan_and_consent(session, world)
    bundle = export_referral(session, world.provider_user, world.referral.id, NOW)
    Bundle.model_validate(bundle)  # real R4B validation of what we send
    request, task = resource(bundle, "ServiceRequest"), resource(bundle, "Task")
    assert request["code"]["coding"][0]["code"] == "ecm"
    assert request["identifier"][0]["value"] == str(world.referral.id)
    assert task["status"] == "accepted"
    assert task["focus"]["reference"] == f"urn:uuid:{world.referral.id}"
    assert task["owner"]["reference"] == f"urn:uuid:{world.provider.id}"
    patient = resource(bundle, "Patient")
    assert {"system": "urn:calaim:medi-cal-cin", "value": world.member.cin} in patient["identifier"]
    assert patient["birthDate"] == "1970-05-17"
    assert resource(bundle, "Coverage")["subscriberId"] == world.member.cin
    assert {"CarePlan", "Goal", "Consent"} <= set(kinds(bundle))
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.export")).all()
    assert [event.member_person_id for event in audit] == [world.member.person_id]


def test_part2_consents_need_the_right_to_see_part2(session: Session) -> None:
    world = build(session)
    add_care_plan_and_consent(session, world)
    consent = session.get(Part2Consent, fixed(42))
    assert consent is not None
    consent.revoked_on = NOW.date()  # revoked today: the provider may no longer see Part 2
    session.flush()
    bundle = export_referral(session, world.provider_user, world.referral.id, NOW)
    assert "Consent" not in kinds(bundle)
    plan_bundle = export_referral(session, world.plan_user, world.referral.id, NOW)
    assert resource(plan_bundle, "Consent")["status"] == "inactive"


def test_referrers_get_the_status_but_no_member_data(session: Session) -> None:
    world = build(session)
    add_care_plan_and_consent(session, world)
    bundle = export_referral(session, world.referrer_user, world.referral.id, NOW)
    assert resource(bundle, "Task")["status"] == "accepted"
    patient = resource(bundle, "Patient")
    masked = {"extension": [{"url": c.DATA_ABSENT_REASON, "valueCode": "masked"}]}
    # US Core Patient's required elements, present but masked: nothing about the member.
    assert patient == {
        "resourceType": "Patient",
        "id": str(world.member.id),
        "meta": {"profile": [c.PROFILES["Patient"]]},
        "identifier": [{"system": c.MEMBER_REF, "value": str(world.member.id)}],
        "name": [masked],
        "_gender": masked,
    }
    assert not {"Coverage", "CarePlan", "Goal", "Consent"} & set(kinds(bundle))


def test_another_tenant_gets_not_found(session: Session) -> None:
    world = build(session)
    other = build(session, base=100, plan_code="OTHERPLAN")
    with pytest.raises(ReferralNotFound):
        export_referral(session, other.plan_user, world.referral.id, NOW)
