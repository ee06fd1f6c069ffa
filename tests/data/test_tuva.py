"""A Tuva Project input-layer export, unchanged: what calaim derives, normalizes and sets aside.

The fixtures are written here in the shape of Tuva's input layer (its column names and
vocabularies, models/input_layer/input_layer__*.yml): no `county`, `payer_type`, ICD-9 lines,
4-character bill types, 3-digit revenue codes, Parquet timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from calaim.data.derive import InputReport
from calaim.data.errors import ContractError
from calaim.data.reader import open_inputs
from data.helpers import load, problems, rows, to_parquet, write

TUVA_ELIGIBILITY = """
    person_id,member_id,gender,race,birth_date,enrollment_start_date,enrollment_end_date,payer,\
payer_type,plan,dual_status_code,zip_code,data_source
    t1,M1,female,asked but unknown,1980-01-31,2024-01-01,,LACARE,medicaid,MEDI-CAL,00,90001,d
    t2,M2,male,white,1975-06-15,2024-01-01,,LACARE,medicaid,MEDI-CAL,00,92672-1234,d
    t3,M3,unknown,asian,1990-02-02,2024-01-01,,HEALTHNET,medicaid,MEDI-CAL,02,95814,d
    t3,M3,unknown,asian,1990-02-02,2024-01-01,,HUMANA,medicare,D-SNP PLAN,02,95814,d
    t4,M4,female,other race,1960-03-03,2024-01-01,,AETNA,commercial,PPO,00,94103,d
"""


def tuva_folder(folder: Path, eligibility: str = TUVA_ELIGIBILITY) -> Path:
    write(folder, "eligibility.csv", eligibility)
    return folder


def counties(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(rows(con, "SELECT DISTINCT person_id, county FROM eligibility ORDER BY 1"))


def test_county_comes_from_zip_code_when_the_export_has_none(tmp_path: Path) -> None:
    inputs, con = load(tuva_folder(tmp_path))
    assert counties(con) == {
        "t1": "Los Angeles",
        "t2": "Orange",  # 92672 San Clemente spans Orange and San Diego: flagged
        "t3": "Sacramento",
        "t4": "San Francisco",
    }
    assert inputs.report.county_members == {"zip_code": 3, "zip_code_split": 1}
    assert "1 from a zip_code spanning counties" in " ".join(inputs.report.lines())


def test_given_county_then_supplement_then_zip_then_default(tmp_path: Path) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        """
        person_id,birth_date,enrollment_start_date,payer,county,zip_code
        given,1980-01-01,2024-01-01,LACARE,Fresno,90001
        supplied,1980-01-01,2024-01-01,LACARE,,90001
        zipped,1980-01-01,2024-01-01,LACARE,,95814
        defaulted,1980-01-01,2024-01-01,LACARE,,10001
        """,
    )
    write(tmp_path, "member_county.csv", "person_id,county\nsupplied,37\n")
    con = duckdb.connect()
    inputs = open_inputs(tmp_path, con, county="Kern")
    assert counties(con) == {
        "defaulted": "Kern",
        "given": "Fresno",
        "supplied": "San Diego",
        "zipped": "Sacramento",
    }
    assert inputs.report.county_members == {
        "eligibility": 1,
        "member_county": 1,
        "zip_code": 1,
        "default": 1,
    }


def test_no_county_anywhere_is_refused_with_the_fix(tmp_path: Path) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        """
        person_id,birth_date,enrollment_start_date,payer,zip_code
        ny,1980-01-01,2024-01-01,LACARE,10001
        none,1980-01-01,2024-01-01,LACARE,
        ok,1980-01-01,2024-01-01,LACARE,90001
        """,
    )
    found = problems(tmp_path)
    assert [(p.file, p.column) for p in found] == [("eligibility.csv", "county")] * 2
    assert "person 'none' has no county" in found[0].message
    assert "'10001' is not a California ZIP code" in found[1].message
    assert "--county" in found[0].hint
    assert "member_county" in found[0].hint


def test_an_unknown_default_county_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as caught:
        open_inputs(tuva_folder(tmp_path), duckdb.connect(), county="Gotham")
    assert caught.value.problems[0].file == "--county"
    assert "Gotham" in caught.value.problems[0].message


def test_tuva_vocabularies_are_accepted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "medical_claim.csv",
        """
        claim_id,claim_line_number,claim_type,person_id,claim_start_date,diagnosis_code_type,diagnosis_code_1
        c1,1,undetermined,t1,2024-02-01,icd-10-cm,E119
        """,
    )
    write(
        tmp_path,
        "eligibility.csv",
        """
        person_id,birth_date,enrollment_start_date,payer,payer_type,county,race,ethnicity
        t1,1980-01-01,2024-01-01,LACARE,Medicaid,19,asked but unknown,Declined
        """,
    )
    _, con = load(tmp_path)
    assert rows(con, "SELECT race, ethnicity, payer_type FROM eligibility") == [
        ("asked but unknown", "declined", "medicaid")
    ]
    assert rows(con, "SELECT claim_type FROM medical_claim") == [("undetermined",)]


def test_a_payer_type_outside_tuvas_list_names_the_allowed_ones(tmp_path: Path) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        """
        person_id,birth_date,enrollment_start_date,payer,payer_type,county
        t1,1980-01-01,2024-01-01,LACARE,medi-cal,19
        """,
    )
    found = problems(tmp_path)
    assert [(p.row, p.column) for p in found] == [(1, "payer_type")]
    assert "medicaid, medicare, commercial, self-insured" in found[0].hint


CLAIMS = """
    claim_id,claim_line_number,claim_type,person_id,claim_start_date,bill_type_code,revenue_center_code,diagnosis_code_type,diagnosis_code_1,diagnosis_code_2
    ip,1,institutional,t1,2024-02-01,0111,0450,icd-10-cm,E119,
    op,1,institutional,t1,2024-03-01,0131,450,icd-10-cm,,
    old,1,institutional,t1,2014-03-01,0111,0981,icd-9-cm,E8490,25000
    untyped,1,professional,t1,2024-04-01,,,,Z5900,
"""


def test_bill_types_revenue_codes_and_icd9_are_normalized_and_counted(tmp_path: Path) -> None:
    tuva_folder(tmp_path)
    write(tmp_path, "medical_claim.csv", CLAIMS)
    inputs, con = load(tmp_path)
    found = rows(
        con,
        "SELECT claim_id, bill_type_code, revenue_center_code, diagnosis_code_1, "
        "diagnosis_code_2 FROM medical_claim ORDER BY claim_id",
    )
    assert found == [
        ("ip", "111", "0450", "E119", None),
        ("old", "111", "0981", None, None),  # ICD-9 codes never reach the ICD-10 value sets
        ("op", "131", "0450", None, None),
        ("untyped", None, None, "Z5900", None),
    ]
    counts = inputs.report.counts
    assert counts["non_icd10_lines"] == 1
    assert counts["bill_types_4"] == 3
    assert counts["revenue_codes_3"] == 1
    assert counts["other_payer_spans"] == 2
    assert counts["dual_members"] == 1


def test_report_lines_say_what_was_set_aside() -> None:
    report = InputReport(
        county_members={"eligibility": 2, "zip_code": 5, "default": 1},
        counts={"non_icd10_lines": 3, "bill_types_4": 0},
    )
    assert report.lines() == [
        "Members' county: 2 from eligibility.county, 5 from zip_code, 1 from --county.",
        "3 claim lines carry non-ICD-10-CM diagnosis codes (diagnosis_code_type icd-9-cm): "
        "not matched against the ICD-10-CM value sets.",
    ]


def test_pre_2024_patient_id_points_at_the_rename(tmp_path: Path) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        """
        patient_id,birth_date,enrollment_start_date,payer,county
        t1,1980-01-01,2024-01-01,LACARE,19
        """,
    )
    found = problems(tmp_path)
    assert [p.column for p in found] == ["person_id"]
    assert "rename the column patient_id to person_id" in found[0].hint


@pytest.mark.parametrize("zone", [None, "UTC", "America/New_York"])
def test_parquet_timestamps_read_as_california_dates(tmp_path: Path, zone: str | None) -> None:
    csv_folder = tuva_folder(tmp_path / "csv")
    _, csv_con = load(csv_folder)
    expected = rows(csv_con, "SELECT * FROM eligibility ORDER BY person_id, payer")
    with (csv_folder / "eligibility.csv").open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    arrow = pa.table({k: [r[k] or None for r in records] for k in records[0]})
    for name in ("birth_date", "enrollment_start_date", "enrollment_end_date"):
        dates = [
            None if v is None else dt.datetime.fromisoformat(v) for v in arrow[name].to_pylist()
        ]
        if zone is not None:
            # Midnight in California (winter dates) written as the same instant in `zone`.
            pacific = ZoneInfo("America/Los_Angeles")
            dates = [
                None if d is None else d.replace(tzinfo=pacific).astimezone(ZoneInfo(zone))
                for d in dates
            ]
        column = pa.array(dates, type=pa.timestamp("us", tz=zone))
        arrow = arrow.set_column(arrow.schema.get_field_index(name), name, column)
    folder = tmp_path / "parquet"
    folder.mkdir()
    pq.write_table(arrow, folder / "eligibility.parquet")
    _, con = load(folder)
    assert rows(con, "SELECT * FROM eligibility ORDER BY person_id, payer") == expected


def test_a_zoned_timestamp_just_after_midnight_utc_is_the_previous_california_day(
    tmp_path: Path,
) -> None:
    table = pa.table(
        {
            "person_id": ["t1"],
            "birth_date": pa.array(
                [dt.datetime(1980, 2, 1, 3, 0, tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC")
            ),
            "enrollment_start_date": pa.array([dt.date(2024, 1, 1)]),
            "payer": ["LACARE"],
            "county": ["19"],
        }
    )
    pq.write_table(table, tmp_path / "eligibility.parquet")
    _, con = load(tmp_path)
    assert rows(con, "SELECT birth_date FROM eligibility") == [(dt.date(1980, 1, 31),)]


def test_a_person_with_two_supplement_counties_is_refused(tmp_path: Path) -> None:
    tuva_folder(tmp_path)
    write(tmp_path, "member_county.csv", "person_id,county\nt1,Kern\nt1,Fresno\nt2,19\n")
    found = problems(tmp_path)
    assert [(p.file, p.column) for p in found] == [("member_county", "county")]
    assert "person 't1' has several: Fresno, Kern" in found[0].message


def test_a_repeated_supplement_row_does_not_repeat_spans(tmp_path: Path) -> None:
    tuva_folder(tmp_path)
    write(tmp_path, "member_county.csv", "person_id,county\nt1,Kern\nt1,kern\n")
    inputs, con = load(tmp_path)
    assert rows(con, "SELECT count(*) FROM eligibility") == [(5,)]
    assert counties(con)["t1"] == "Kern"
    assert inputs.report.county_members["member_county"] == 1


def test_counts_from_parquet_with_other_letter_case(tmp_path: Path) -> None:
    csv_folder = tuva_folder(tmp_path / "csv")
    write(csv_folder, "medical_claim.csv", CLAIMS.replace("diagnosis_code", "Diagnosis_Code"))
    folder = tmp_path / "parquet"
    for name in ("eligibility", "medical_claim"):
        to_parquet(csv_folder / f"{name}.csv", folder / f"{name}.parquet")
    inputs, _ = load(folder)
    assert inputs.report.counts == load(csv_folder)[0].report.counts
    assert inputs.report.counts["non_icd10_lines"] == 1
    assert inputs.report.counts["dual_members"] == 1


def test_report_lines_agree_in_number() -> None:
    one = InputReport(counts={"bill_types_4": 1, "other_payer_spans": 1, "dual_members": 1})
    assert one.lines() == [
        "1 claim line had 4-character bill types (0111): read as 111.",
        "1 enrollment span is not Medicaid (payer_type medicare, commercial, self-insured): "
        "they do not enroll anyone.",
        "1 member is dually eligible (dual_status_code 01-10 or a Medicare span beside a "
        "Medicaid one); a Medicare D-SNP span sets D-SNP on the Medicaid enrollment.",
    ]
