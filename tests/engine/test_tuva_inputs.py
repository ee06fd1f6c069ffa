"""Tuva-shaped inputs through the engine: who enrolls (payer_type, duals), ED visits from
3-digit revenue codes, stays from 4-character bill types and undetermined claims."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from calaim.engine.identify import compile_for, identify, opened, run_steps
from conftest import person

AS_OF = dt.date(2024, 6, 1)


def rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    """Determinations keyed by (person, program)."""
    with path.open(encoding="utf-8") as handle:
        return {(r["person_id"], r["program_id"]): r for r in csv.DictReader(handle)}


def ed_line(person_id: str, claim_id: str, date: str) -> dict[str, Any]:
    """A Tuva institutional ED line: revenue code written with 3 digits, bill type with 4."""
    return {
        "claim_id": claim_id,
        "claim_line_number": 1,
        "claim_type": "institutional",
        "person_id": person_id,
        "claim_start_date": date,
        "bill_type_code": "0131",
        "revenue_center_code": "450",
    }


def test_three_digit_revenue_codes_count_as_ed_visits(policy, write_inputs, tmp_path):
    data = write_inputs(
        {
            "eligibility": [person("A", payer_type="medicaid")],
            "medical_claim": [ed_line("A", "a1", "2024-04-01"), ed_line("A", "a2", "2024-05-01")],
        }
    )
    found = rows(identify(data, AS_OF, tmp_path / "d.csv", policy=policy).determinations)
    assert found[("A", "ecm.test_pof")]["status"] == "eligible"


def test_only_medicaid_spans_enroll(policy, write_inputs, tmp_path):
    data = write_inputs(
        {
            "eligibility": [
                person("MCAL", payer_type="medicaid"),
                person("UNTYPED"),
                person("MCARE", payer_type="medicare", payer="MEDICAREADV"),
                person("COMM", payer_type="commercial", payer="AETNA"),
                # A dual: the Medicare span started later but must not replace Medi-Cal's.
                person("DUAL", payer_type="medicaid", enrollment_start_date="2021-01-01"),
                person(
                    "DUAL",
                    payer_type="medicare",
                    payer="DSNPPLAN",
                    enrollment_start_date="2023-01-01",
                    snp_type="D-SNP",
                ),
            ],
        }
    )
    result = identify(data, AS_OF, tmp_path / "d.csv", policy=policy)
    found = rows(result.determinations)
    assert {p for p, _ in found} == {"MCAL", "UNTYPED", "DUAL"}
    assert found[("DUAL", "ecm")]["payer"] == "OTHERPLAN"
    assert result.input_report.counts["other_payer_spans"] == 3


def members(policy, data) -> dict[str, dict[str, Any]]:
    """The engine's members step (the span each person is evaluated on)."""
    resolved = policy.resolve(AS_OF)
    with opened(data) as (backend, inputs):
        run_steps(backend, compile_for(policy, resolved, inputs, backend), None)
        return {row["person_id"]: row for row in backend.rows("SELECT * FROM members")}


def test_a_medicare_dsnp_span_sets_dsnp_on_the_dual_members_medi_cal(policy, write_inputs):
    dsnp = {"payer_type": "medicare", "payer": "DSNPPLAN", "snp_type": "D-SNP"}
    data = write_inputs(
        {
            "eligibility": [
                person("DUAL", payer_type="medicaid"),
                person("DUAL", enrollment_start_date="2024-01-01", **dsnp),
                person("ENDED", payer_type="medicaid"),
                person(
                    "ENDED",
                    enrollment_start_date="2022-01-01",
                    enrollment_end_date="2023-12-31",
                    **dsnp,
                ),
            ],
        }
    )
    found = members(policy, data)
    assert found["DUAL"]["snp_type"] == "D-SNP"
    assert found["DUAL"]["payer"] == "OTHERPLAN"
    assert found["ENDED"]["snp_type"] is None  # the D-SNP span ended before the as-of date


def test_undetermined_claims_with_an_inpatient_bill_type_are_stays(policy, write_inputs):
    line = {
        "claim_line_number": 1,
        "person_id": "A",
        "claim_start_date": "2024-03-01",
        "bill_type_code": "0111",
    }
    data = write_inputs(
        {
            "eligibility": [person("A")],
            "medical_claim": [
                {**line, "claim_id": "u1", "claim_type": "undetermined"},
                {**line, "claim_id": "p1", "claim_type": "professional"},
            ],
        }
    )
    resolved = policy.resolve(AS_OF)
    with opened(data) as (backend, inputs):
        run_steps(backend, compile_for(policy, resolved, inputs, backend), None)
        stays = backend.rows("SELECT claim_id, setting FROM stay")
    assert stays == [{"claim_id": "u1", "setting": "acute_hospital"}]


def test_a_tuva_export_in_parquet_with_timestamps_gives_the_csv_results(
    policy, write_inputs, tmp_path
):
    lines = [ed_line("A", "a1", "2024-04-01"), ed_line("A", "a2", "2024-05-01")]
    spans = [
        {
            "person_id": "A",
            "birth_date": "1980-01-01",
            "enrollment_start_date": "2021-01-01",
            "payer": "OTHERPLAN",
            "payer_type": "medicaid",
            "zip_code": "90001",
        }
    ]
    data = write_inputs({"eligibility": spans, "medical_claim": lines})
    from_csv = identify(data, AS_OF, tmp_path / "csv.csv", policy=policy)
    folder = tmp_path / "parquet"
    folder.mkdir()
    pacific = dt.timezone(dt.timedelta(hours=-8))
    stamp = pa.timestamp("us", tz="UTC")

    def instant(day: str) -> dt.datetime:
        return dt.datetime.fromisoformat(day).replace(tzinfo=pacific)

    pq.write_table(
        pa.table(
            {
                **{k: [r[k] for r in spans] for k in ("person_id", "payer", "payer_type")},
                "zip_code": ["90001"],
                "birth_date": pa.array([instant("1980-01-01")], stamp),
                "enrollment_start_date": pa.array([instant("2021-01-01")], stamp),
            }
        ),
        folder / "eligibility.parquet",
    )
    claims = {k: [r[k] for r in lines] for k in lines[0] if k != "claim_start_date"}
    claims["claim_start_date"] = pa.array(
        [dt.datetime.fromisoformat(r["claim_start_date"]) for r in lines], pa.timestamp("ms")
    )
    pq.write_table(pa.table(claims), folder / "medical_claim.parquet")
    from_parquet = identify(folder, AS_OF, tmp_path / "parquet.csv", policy=policy)
    assert (tmp_path / "csv.csv").read_text() == (tmp_path / "parquet.csv").read_text()
    assert rows(from_parquet.determinations)[("A", "ecm.test_pof")]["county"] == "Los Angeles"
    assert from_csv.input_report.county_members == {"zip_code": 1}
