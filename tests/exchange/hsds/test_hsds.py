"""HSDS 3.0: the directory exports with live capacity and eligibility from the policy registry,
imports back, and a faulty file is refused whole with every problem located."""

from __future__ import annotations

import copy
import csv
import io
import uuid
import zipfile

import pytest
from sqlalchemy.orm import Session

from calaim.exchange.hsds.export import as_csv_zip, directory, program_registry
from calaim.exchange.hsds.importer import HsdsInvalid, apply, read
from calaim.ops.models import Organization, OrganizationKind, ProviderProfile
from calaim.ops.models.provider_credential import ProviderSite
from ops import factories


def provider(session: Session) -> Organization:
    """A recuperative care provider (capacity 12) with one site."""
    org = factories.organization(session, OrganizationKind.CS_PROVIDER)
    session.add(
        ProviderProfile(
            organization_id=org.id,
            languages=["es", "en"],
            capacity=12,
            programs_served=["cs.recuperative_care"],
            contracted_plans=[],
        )
    )
    session.add(
        ProviderSite(
            organization_id=org.id,
            name="Harbor House",
            address_line="9 Dock St",
            city="San Pedro",
            county="Los Angeles",
            zip_code="90731",
            languages=["es"],
        )
    )
    session.flush()
    return org


def mine(session: Session, org: Organization) -> dict:  # type: ignore[type-arg]
    (found,) = [o for o in directory(session) if o["id"] == str(org.id)]
    return found


def test_export_has_services_locations_capacity_and_policy_eligibility(session: Session) -> None:
    org = provider(session)
    found = mine(session, org)
    (service,) = found["services"]
    assert service["name"] == program_registry()["cs.recuperative_care"][0]
    assert service["eligibility_description"] == program_registry()["cs.recuperative_care"][
        1
    ] or service["eligibility_description"].startswith("Eligibility as defined")
    assert service["capacities"][0]["maximum"] == 12
    assert service["attributes"][0]["taxonomy_term"]["code"] == "cs.recuperative_care"
    assert found["locations"][0]["addresses"][0]["postal_code"] == "90731"
    assert service["service_at_locations"][0]["location_id"] == found["locations"][0]["id"]
    tables = zipfile.ZipFile(io.BytesIO(as_csv_zip([found])))
    services = list(csv.DictReader(io.StringIO(tables.read("services.csv").decode())))
    assert services[0]["program"] == "cs.recuperative_care"


def test_import_updates_capacity_and_creates_new_providers(session: Session) -> None:
    org = provider(session)
    document = mine(session, org)
    document["services"][0]["capacities"][0]["maximum"] = 30
    newcomer = copy.deepcopy(document)
    newcomer["id"], newcomer["name"] = str(uuid.uuid4()), "Casa Nueva"
    newcomer["locations"][0]["id"] = str(uuid.uuid4())
    result = apply(session, read({"organizations": [document, newcomer]}))
    assert (result.created, result.updated, result.sites) == (1, 1, 2)
    profile = session.get(ProviderProfile, org.id)
    assert profile is not None
    assert profile.capacity == 30
    created = session.get(Organization, uuid.UUID(newcomer["id"]))
    assert created is not None
    assert (created.kind, created.counties_served) == ("cs_provider", ["Los Angeles"])


def test_a_faulty_file_names_every_problem_and_changes_nothing(session: Session) -> None:
    org = provider(session)
    document = mine(session, org)
    document["services"][0]["capacities"][0]["maximum"] = 99
    broken = copy.deepcopy(document)
    broken["name"] = ""
    broken["services"][0]["attributes"][0]["taxonomy_term"]["code"] = "cs.unicorn_rides"
    broken["locations"][0]["addresses"][0]["postal_code"] = None
    broken["services"][0]["languages"] = [{"code": "klingon"}]
    with pytest.raises(HsdsInvalid) as refused:
        read([document, broken])
    problems = refused.value.problems
    assert "organizations[1].name: required text is missing" in problems
    assert any(
        p.startswith("organizations[1].services[0].attributes: 'cs.unicorn_rides'")
        for p in problems
    )
    assert (
        "organizations[1].locations[0].addresses[0].postal_code: required text is missing"
        in problems
    )
    assert any("organizations[1].services[0].languages[0].code" in p for p in problems)
    profile = session.get(ProviderProfile, org.id)
    assert profile is not None
    assert profile.capacity == 12
