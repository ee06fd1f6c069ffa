"""Bundles shaped like the SDOH Clinical Care IG's own examples (no ServiceRequest.identifier,
standard procedure codes, a reason Condition, a PractitionerRole requester, a Consent)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.importer import import_bundle
from calaim.exchange.fhir.inbound import SENDER_RESOURCE
from calaim.ops.models import AuditEvent, FhirReferralLink, Member, Referral

from .world import NOW, World, build

SDOHCC = Path(__file__).parent / "sdohcc"


def bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SDOHCC / name).read_text())
    return data


@pytest.fixture
def world(session: Session) -> World:
    return build(session, referral=False)


def test_an_ig_shaped_referral_is_accepted_keyed_on_sender_and_full_url(
    session: Session, world: World
) -> None:
    result = import_bundle(
        session, world.referrer_user, bundle("food_pantry_referral.json"), now=NOW
    )
    assert result.outcome == "created"
    referral = session.get(Referral, uuid.UUID(result.referral_id))
    assert referral is not None
    assert referral.program_id == "cs.medically_tailored_meals"
    assert result.sender_code == (
        "SNOMED CT 467771000124109 Assistance with application for food pantry program"
    )
    link = session.scalars(select(FhirReferralLink)).one()
    assert link.system == SENDER_RESOURCE
    assert link.value == (
        "urn:uuid:0b1e5f3c-5d1a-4c5e-9a61-000000000004|urn:uuid:0b1e5f3c-5d1a-4c5e-9a61-000000000006"
    )
    again = import_bundle(
        session, world.referrer_user, bundle("food_pantry_referral.json"), now=NOW
    )
    assert (again.outcome, again.referral_id) == ("unchanged", result.referral_id)


def test_the_reason_condition_is_kept_and_the_rest_is_reported(
    session: Session, world: World
) -> None:
    result = import_bundle(
        session, world.referrer_user, bundle("food_pantry_referral.json"), now=NOW
    )
    referral = session.get(Referral, uuid.UUID(result.referral_id))
    assert referral is not None
    assert referral.reason_codes == "Food insecurity (SNOMED CT 733423003)"
    assert [note.split(" ")[0] for note in result.not_kept] == [
        "entry[0].resource.requester",
        "entry[6].resource",
    ]
    assert "Dr Jan Water" in result.not_kept[0]
    assert "(Consent): not imported" in result.not_kept[1]
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.import")).one()
    assert audit.details["not_kept"] == result.not_kept
    assert audit.details["sender_code"] == result.sender_code


def test_an_hcpcs_code_maps_through_the_billing_table(session: Session, world: World) -> None:
    result = import_bundle(
        session, world.referrer_user, bundle("housing_navigation_hcpcs.json"), now=NOW
    )
    referral = session.get(Referral, uuid.UUID(result.referral_id))
    assert referral is not None
    assert referral.program_id == "cs.housing_transition_navigation"
    assert result.sender_code == "HCPCS H2016 Comprehensive community support services, per diem"
    assert referral.reason_codes == "sleeping in car since August"


def test_a_reused_hcpcs_code_is_refused_naming_the_programs(session: Session, world: World) -> None:
    data = bundle("housing_navigation_hcpcs.json")
    data["entry"][0]["resource"]["code"]["coding"][0]["code"] = "H0044"
    with pytest.raises(FhirInputError) as caught:
        import_bundle(session, world.referrer_user, copy.deepcopy(data), now=NOW)
    assert caught.value.field == "entry[0].resource.code"
    assert "cs.community_transition, cs.housing_deposits, cs.transitional_rent" in str(caught.value)
    assert session.scalars(select(Referral)).first() is None


def test_an_unknown_snomed_procedure_says_how_to_name_the_program(
    session: Session, world: World
) -> None:
    data = bundle("food_pantry_referral.json")
    data["entry"][0]["resource"]["code"]["coding"][0]["code"] = "1234567"
    with pytest.raises(FhirInputError, match="names no ECM or Community Supports program"):
        import_bundle(session, world.referrer_user, data, now=NOW)


def test_the_calaim_program_coding_still_wins_beside_a_standard_one(
    session: Session, world: World
) -> None:
    data = bundle("housing_navigation_hcpcs.json")
    data["entry"][0]["resource"]["code"]["coding"].append(
        {"system": "urn:calaim:fhir:CodeSystem:program", "code": "cs.recuperative_care"}
    )
    result = import_bundle(session, world.referrer_user, data, now=NOW)
    referral = session.get(Referral, uuid.UUID(result.referral_id))
    assert referral is not None
    assert referral.program_id == "cs.recuperative_care"
    assert result.sender_code is not None
    assert result.sender_code.startswith("HCPCS H2016")


DOCS_EXAMPLES = Path(__file__).parents[3] / "docs" / "exchange" / "examples"


@pytest.mark.parametrize(
    ("name", "program"),
    [
        ("sdohcc_food_pantry_referral.json", "cs.medically_tailored_meals"),
        ("sdohcc_housing_navigation_hcpcs.json", "cs.housing_transition_navigation"),
    ],
)
def test_the_walkthrough_files_import_as_documented(
    session: Session, world: World, name: str, program: str
) -> None:
    # The demo database's member the walkthrough names (docs/exchange/fhir.md).
    omar = Member(
        id=uuid.uuid4(),
        plan_organization_id=world.plan.id,
        person_id="P-OMAR",
        first_name="Omar",
        last_name="Santos",
        birth_date=dt.date(1995, 10, 16),
        payer="GOLDPLAN",
        county="Los Angeles",
    )
    session.add(omar)
    session.flush()
    data = json.loads((DOCS_EXAMPLES / name).read_text())
    result = import_bundle(session, world.referrer_user, data, now=NOW)
    referral = session.get(Referral, uuid.UUID(result.referral_id))
    assert referral is not None
    assert (referral.member_id, referral.program_id) == (omar.id, program)
