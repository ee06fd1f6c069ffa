"""A folder shaped like Synthea's own FHIR R4 output, unchanged: a patient Bundle coded in
SNOMED CT whose ExplanationOfBenefits carry contained Coverages, beside the
hospitalInformation and practitionerInformation files Synthea always writes."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from calaim.engine.identify import identify
from calaim.exchange.fhir.synthea.bundle_rows import DIRECTORY_FILE
from calaim.exchange.fhir.synthea.importer import import_folder
from calaim.exchange.fhir.synthea.snomed import snomed_map

SAMPLE = Path(__file__).parent / "synthea" / "sample"
VALUE_SETS = Path(__file__).parents[3] / "src/calaim/policy/value_sets"
ANA = "5f1c2a90-0000-4c00-8000-00000000c001"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_reference_files_are_skipped_and_counted(tmp_path: Path) -> None:
    summary = import_folder(SAMPLE, tmp_path / "data")
    assert (summary.files, summary.patients) == (3, 1)
    assert summary.skipped[DIRECTORY_FILE] == 2


def test_snomed_conditions_map_to_icd10cm_and_the_rest_are_listed(tmp_path: Path) -> None:
    summary = import_folder(SAMPLE, tmp_path / "data")
    assert summary.skipped["Condition (SNOMED CT 73595000 Stress (finding): not mapped)"] == 1
    lines = {r["claim_id"][-4:]: r for r in rows(tmp_path / "data" / "medical_claim.csv")}
    assert lines["0001"]["diagnosis_code_1"] == "E119"  # 44054006 Diabetes mellitus type 2
    assert lines["0001"]["diagnosis_code_2"] == ""  # Stress stays unmapped
    assert lines["0004"]["diagnosis_code_1"] == "Z5900"  # 32911000 Homeless, at that visit


def test_enrollment_comes_from_the_medicaid_paid_claims(tmp_path: Path) -> None:
    summary = import_folder(SAMPLE, tmp_path / "data", payer="LACARE")
    spans = rows(tmp_path / "data" / "eligibility.csv")
    # Medicare paid the 2023 visit; Medicaid paid every claim from 2024-09-03 on.
    assert [
        (s["enrollment_start_date"], s["enrollment_end_date"], s["payer"], s["payer_type"])
        for s in spans
    ] == [("2024-09-03", "", "LACARE", "medicaid")]
    assert summary.skipped["ExplanationOfBenefit (paid by medicare: no Medi-Cal enrollment)"] == 1
    assert spans[0]["county"] == "Los Angeles"  # postalCode 90011 through the ZIP crosswalk


def test_unchanged_folder_runs_through_identify(tmp_path: Path) -> None:
    import_folder(SAMPLE, tmp_path / "data")
    before = identify(tmp_path / "data", dt.date(2024, 6, 1), tmp_path / "before.csv")
    after = identify(tmp_path / "data", dt.date(2025, 6, 1), tmp_path / "after.csv")
    assert (before.members, after.members) == (0, 1)  # not on Medi-Cal before 2024-09-03
    payers = {r["payer"] for r in rows(tmp_path / "after.csv")}
    assert payers == {"MEDICAID"}


def _value_set_rows() -> list[tuple[str, str]]:
    found = []
    for path in VALUE_SETS.glob("*.csv"):
        for row in rows(path):
            if row.get("include", "true") == "true" and "code" in row:
                found.append((row["code"].replace(".", "").upper(), row.get("match", "exact")))
    return found


def test_every_mapped_code_is_one_a_value_set_needs() -> None:
    value_sets = _value_set_rows()
    for row in snomed_map().values():
        assert any(
            row.icd10cm == code if match == "exact" else row.icd10cm.startswith(code)
            for code, match in value_sets
        ), f"{row.snomed} {row.snomed_display} -> {row.icd10cm} is in no value set"
