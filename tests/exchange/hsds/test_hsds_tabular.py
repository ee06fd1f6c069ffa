"""HSDS 3.0 tabular (CSV) import: a package in the spec's tables (organizations, services,
attributes and taxonomy terms naming the program, locations with addresses, languages,
capacities) creates providers; calaim's own CSV export reads back; a faulty package names each
problem by file, row and column and writes nothing."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.hsds.export import as_csv_zip
from calaim.exchange.hsds.importer import HsdsInvalid, apply
from calaim.exchange.hsds.tabular import read_files, read_folder, read_zip
from calaim.ops.models import Organization, ProviderProfile
from calaim.ops.models.provider_credential import ProviderSite

from .test_hsds import mine, provider

SAMPLE = Path(__file__).parent / "tabular_sample"
RESPITE = uuid.UUID("5b1c2f0e-7a43-4c1e-9d2b-1f6a0c3e8a11")
MEALS = uuid.UUID("9e4d7b2a-3c61-4f0d-8b5e-6a2f1d9c0b22")


def files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in SAMPLE.glob("*.csv")}


def edited(name: str, old: str, new: str) -> dict[str, bytes]:
    """The sample with one file's text changed."""
    found = files()
    text = found[name].decode()
    assert old in text
    found[name] = text.replace(old, new, 1).encode()
    return found


def test_a_package_in_the_spec_tables_creates_providers(session: Session) -> None:
    result = apply(session, read_folder(SAMPLE))
    assert (result.created, result.updated, result.sites) == (2, 0, 2)
    respite = session.get(ProviderProfile, RESPITE)
    meals = session.get(ProviderProfile, MEALS)
    assert respite is not None
    assert meals is not None
    # The program from attributes.csv -> taxonomy_terms.csv (the Open Eligibility term is not
    # a calaim program and is left alone); capacity from service_capacities.csv.
    assert (respite.programs_served, respite.languages, respite.capacity) == (
        ["cs.recuperative_care"],
        ["es", "en"],
        8,
    )
    assert (meals.programs_served, meals.languages, meals.capacity) == (
        ["cs.medically_tailored_meals"],
        ["en", "hy"],  # a language given by name only
        120,
    )
    site = session.scalars(
        select(ProviderSite).where(ProviderSite.organization_id == RESPITE)
    ).one()
    assert (site.address_line, site.county, site.zip_code, site.languages) == (
        "2100 E 1st St",
        "Los Angeles",
        "90033",
        ["es"],
    )
    org = session.get(Organization, RESPITE)
    assert org is not None
    assert (org.name, org.kind, org.counties_served) == (
        "Eastside Respite Collective",
        "cs_provider",
        ["Los Angeles"],
    )


def test_a_zip_and_calaims_own_export_read_back(session: Session) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for name, data in files().items():
            out.writestr(f"directory/{name}", data)
    assert [o.name for o in read_zip(archive.getvalue())] == [
        "Eastside Respite Collective",
        "Valley Meals Cooperative",
    ]
    org = provider(session)
    exported = mine(session, org)
    exported["services"][0]["capacities"][0]["maximum"] = 25
    result = apply(session, read_zip(as_csv_zip([exported])))
    assert (result.created, result.updated) == (0, 1)
    profile = session.get(ProviderProfile, org.id)
    assert profile is not None
    assert (profile.capacity, profile.languages) == (25, ["es", "en"])


def test_a_faulty_package_names_file_row_and_column_and_writes_nothing(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(Organization))
    broken = files()
    for name, old, new in (
        ("organizations.csv", "9e4d7b2a-3c61-4f0d-8b5e-6a2f1d9c0b22,Valley", "not-an-id,Valley"),
        ("taxonomy_terms.csv", ",cs.recuperative_care,", ",cs.unicorn_rides,"),
        ("addresses.csv", "Los Angeles,CA,90033", "Los Angeles,CA,"),
        ("languages.csv", "Spanish,es,\n", "Klingon,klingon,\n"),
        ("service_capacities.csv", ",3,8,", ",3,lots,"),
    ):
        text = broken[name].decode()
        assert old in text
        broken[name] = text.replace(old, new, 1).encode()
    with pytest.raises(HsdsInvalid) as refused:
        read_files(broken)
    problems = refused.value.problems
    assert (
        "organizations.csv, row 2, column id: 'not-an-id' is not a UUID (HSDS ids are UUIDs)"
        in (problems)
    )
    # The meals service and site now name an organization the package does not have.
    assert (
        "services.csv, row 2, column organization_id: "
        "'9e4d7b2a-3c61-4f0d-8b5e-6a2f1d9c0b22' is not an id in organizations.csv"
    ) in problems
    assert (
        "attributes.csv, row 1, column taxonomy_term_id: "
        "'cs.unicorn_rides' is not a program in the policy registry"
    ) in problems
    assert "addresses.csv, row 1, column postal_code: required text is missing" in problems
    assert any(p.startswith("languages.csv, row 1, column code: 'klingon'") for p in problems)
    assert (
        "service_capacities.csv, row 1, column maximum: 'lots': give a whole number from 0 to "
        "100000"
    ) in problems
    assert "nothing imported" in str(refused.value)
    assert session.scalar(select(func.count()).select_from(Organization)) == before


def test_missing_files_and_columns_are_named() -> None:
    without = {k: v for k, v in files().items() if k != "services.csv"}
    with pytest.raises(HsdsInvalid) as refused:
        read_files(without)
    assert refused.value.problems == ["services.csv: the package has no such file; it is required"]
    with pytest.raises(HsdsInvalid) as headless:
        read_files(edited("locations.csv", ",organization_id,name,", ",org,name,"))
    assert headless.value.problems == [
        "locations.csv, column organization_id: this required column is missing from the header"
    ]
