"""Synthea Bundles -> contract tables -> the engine's identification (as `calaim identify`)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from calaim.engine.identify import identify
from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.synthea.importer import import_folder

BUNDLES = Path(__file__).parent / "synthea" / "bundles"
ROSA = "7d2a0c1e-0000-4a00-8000-000000000a01"  # three emergency admissions in 3 months
MARCUS = "3b9e51f0-0000-4b00-8000-000000000b01"  # two ED visits: below the threshold of 5


def rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_import_then_identify(tmp_path: Path) -> None:
    out = tmp_path / "data"
    summary = import_folder(BUNDLES, out)
    assert (summary.patients, summary.eligibility_spans, summary.claim_lines) == (2, 2, 7)
    assert summary.skipped == {
        "Coverage (status cancelled)": 1,
        "Claim (pharmacy)": 1,
        "Observation": 1,
    }
    result = identify(out, dt.date(2025, 6, 1), tmp_path / "determinations.csv")
    assert result.members == 2
    found = {
        (row["person_id"], row["program_id"]): row["status"]
        for row in rows(tmp_path / "determinations.csv")
    }
    assert found[(ROSA, "ecm.avoidable_utilization")] == "eligible"
    assert found[(ROSA, "ecm")] == "eligible"
    assert found[(MARCUS, "ecm.avoidable_utilization")] == "not_eligible"
    assert found[(MARCUS, "ecm")] == "not_eligible"
    # Six months later the stays have left the lookback window.
    later = identify(out, dt.date(2025, 12, 1), tmp_path / "later.csv")
    assert later.members == 2
    later_found = {
        (r["person_id"], r["program_id"]): r["status"] for r in rows(tmp_path / "later.csv")
    }
    assert later_found[(ROSA, "ecm.avoidable_utilization")] == "not_eligible"


def test_mapping_of_people_and_claims(tmp_path: Path) -> None:
    import_folder(BUNDLES, tmp_path / "data")
    people = {row["person_id"]: row for row in rows(tmp_path / "data" / "eligibility.csv")}
    assert people[ROSA]["county"] == "Los Angeles"  # district "Los Angeles County"
    assert people[MARCUS]["county"] == "Los Angeles"  # ZIP 90011, no district
    assert (people[ROSA]["payer"], people[MARCUS]["payer"]) == ("LACARE", "HEALTHNET")
    assert (people[ROSA]["language"], people[ROSA]["ethnicity"]) == ("es", "hispanic or latino")
    assert people[MARCUS]["member_id"] == "92000002B"  # Coverage.subscriberId
    lines = rows(tmp_path / "data" / "medical_claim.csv")
    stays = [r for r in lines if r["bill_type_code"] == "111"]
    assert [r["admit_type_code"] for r in stays] == ["1", "1", "1"]
    first = next(r for r in stays if r["admission_date"] == "2025-02-03")
    assert (first["discharge_date"], first["diagnosis_code_1"], first["diagnosis_code_2"]) == (
        "2025-02-07",
        "J441",
        "Z5902",
    )
    assert (first["paid_amount"], first["allowed_amount"]) == ("9125.55", "9400.10")
    ed = [r for r in lines if r["place_of_service_code"] == "23"]
    assert {r["revenue_center_code"] for r in ed} == {"0450"}
    assert len(ed) == 3  # two ED claims, one with two lines
    visit = next(r for r in lines if r["claim_id"].startswith("encounter-"))
    assert (visit["claim_type"], visit["diagnosis_code_1"]) == ("professional", "E119")


def test_parquet_output_identifies_the_same(tmp_path: Path) -> None:
    import_folder(BUNDLES, tmp_path / "data", fmt="parquet")
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "eligibility.parquet",
        "medical_claim.parquet",
    ]
    identify(tmp_path / "data", dt.date(2025, 6, 1), tmp_path / "d.csv")
    eligible = {
        r["person_id"]
        for r in rows(tmp_path / "d.csv")
        if r["program_id"] == "ecm" and r["eligible"] == "true"
    }
    assert eligible == {ROSA}


def test_a_bad_bundle_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    shutil.copytree(BUNDLES, folder)
    bad = json.loads((BUNDLES / "marcus_lee.json").read_text())
    bad["entry"][4]["resource"]["billablePeriod"]["start"] = "March 2nd"
    (folder / "marcus_lee.json").write_text(json.dumps(bad))
    with pytest.raises(FhirInputError) as caught:
        import_folder(folder, tmp_path / "out")
    assert caught.value.source == str(folder / "marcus_lee.json")
    assert caught.value.field == "entry[4].resource.billablePeriod.start"
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bundles"]


def test_dangling_reference_and_missing_county(tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    data = json.loads((BUNDLES / "marcus_lee.json").read_text())
    data["entry"][4]["resource"]["item"][0]["encounter"][0]["reference"] = "urn:uuid:nowhere"
    (folder / "one.json").write_text(json.dumps(data))
    with pytest.raises(FhirInputError) as caught:
        import_folder(folder, tmp_path / "out")
    assert caught.value.field == "entry[4].resource.item[0].encounter[0].reference"
    data = json.loads((BUNDLES / "marcus_lee.json").read_text())
    data["entry"][0]["resource"]["address"][0]["postalCode"] = "10001"
    data["entry"][0]["resource"]["address"][0]["city"] = "New York"
    (folder / "one.json").write_text(json.dumps(data))
    with pytest.raises(FhirInputError) as missing:
        import_folder(folder, tmp_path / "out")
    assert missing.value.field == "entry[0].resource.address[0]"
    import_folder(folder, tmp_path / "out", county="06")
    assert {r["county"] for r in rows(tmp_path / "out" / "eligibility.csv")} == {"Colusa"}


def test_an_existing_output_folder_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="already exists"):
        import_folder(BUNDLES, out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_patients_without_coverage_need_payer(tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    data = json.loads((BUNDLES / "marcus_lee.json").read_text())
    data["entry"] = [e for e in data["entry"] if e["resource"]["resourceType"] != "Coverage"]
    (folder / "marcus.json").write_text(json.dumps(data))
    summary = import_folder(folder, tmp_path / "plain")
    assert summary.eligibility_spans == 0
    assert summary.skipped["Patient (no Coverage: not enrolled)"] == 1
    import_folder(folder, tmp_path / "enrolled", payer="HEALTHNET")
    (span,) = rows(tmp_path / "enrolled" / "eligibility.csv")
    assert (span["payer"], span["enrollment_start_date"], span["enrollment_end_date"]) == (
        "HEALTHNET",
        "2025-03-02",
        "",
    )
