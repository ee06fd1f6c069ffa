"""Opening valid input folders: relations, types and normalization."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from calaim.data.columns import DUCKDB_TYPES
from calaim.data.contract import TABLES
from calaim.data.errors import ContractError
from calaim.data.reader import open_inputs

from .helpers import ELIGIBILITY, load, rows, to_parquet, write

ALL_TABLES = {
    "eligibility.csv": ELIGIBILITY,
    "medical_claim.csv": """
        claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,paid_amount
        c1,1,Institutional,p1,2024-02-01,2024-02-03,1200.50
        c1,2,institutional,p1,2024-02-01,,
        c2,1,PROFESSIONAL,p2,2024-03-05,2024-03-05,75
    """,
    "housing_status.csv": """
        person_id,observed_date,status,source
        p1,2024-01-15,Unsheltered,hmis
    """,
    "program_enrollment.csv": """
        person_id,program,start_date,end_date
        p2,CCS,2020-01-01,
    """,
    "incarceration.csv": """
        person_id,facility_type,admission_date,release_date
        p1,Jail,2023-10-01,2023-12-20
    """,
    "pre_release_service.csv": """
        person_id,service_date,service,facility_type
        p1,2023-11-20,MAT,jail
    """,
    "pregnancy.csv": """
        person_id,start_date,end_date
        p2,2024-01-10,
    """,
    "facility_stay.csv": """
        person_id,facility_type,admission_date,discharge_date
        p1,nursing_facility,2023-01-01,2023-03-01
    """,
    "member_fact.csv": """
        person_id,observed_date,fact,value
        p1,2024-01-15,Food_Insecurity,Yes
        p1,2024-01-15,adl_deficits,03
        p2,2024-02-01,lives_alone,0
    """,
}


def write_all(folder: Path) -> None:
    for name, text in ALL_TABLES.items():
        write(folder, name, text)


def schema(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, object]]:
    return [(name, kind) for name, kind, *_ in rows(con, f"DESCRIBE {table}")]


def expected_schema(table: str) -> list[tuple[object, object]]:
    return [(c.name, DUCKDB_TYPES[c.type]) for c in TABLES[table].columns]


def test_minimal_folder_gives_every_table_typed(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    inputs, con = load(tmp_path)
    assert set(inputs.tables) == set(TABLES)
    assert inputs.tables["eligibility"].rows == 2
    assert inputs.tables["eligibility"].path == tmp_path / "eligibility.csv"
    for name in TABLES:
        assert schema(con, name) == expected_schema(name)
        if name != "eligibility":
            assert inputs.tables[name].path is None
            assert rows(con, f"SELECT count(*) FROM {name}") == [(0,)]


def test_eligibility_values_are_typed_and_normalized(tmp_path: Path) -> None:
    write(tmp_path, "eligibility.csv", ELIGIBILITY)
    _, con = load(tmp_path)
    assert rows(
        con, "SELECT person_id, birth_date, enrollment_end_date, county FROM eligibility"
    ) == [
        ("p1", dt.date(1980, 1, 31), None, "Los Angeles"),
        ("p2", dt.date(1975, 6, 15), dt.date(2024, 6, 30), "Los Angeles"),
    ]


def test_every_table_in_csv(tmp_path: Path) -> None:
    write_all(tmp_path)
    inputs, con = load(tmp_path)
    assert {name: source.rows for name, source in inputs.tables.items()} == {
        "eligibility": 2,
        "medical_claim": 3,
        "housing_status": 1,
        "program_enrollment": 1,
        "incarceration": 1,
        "pre_release_service": 1,
        "pregnancy": 1,
        "facility_stay": 1,
        "member_fact": 3,
    }
    assert rows(con, "SELECT claim_type, claim_line_number, paid_amount FROM medical_claim") == [
        ("institutional", 1, Decimal("1200.50")),
        ("institutional", 2, None),
        ("professional", 1, Decimal("75.00")),
    ]
    # CSV is materialized, and no scratch table is left behind.
    assert sorted(rows(con, "SELECT table_name, table_type FROM information_schema.tables")) == [
        (name, "BASE TABLE") for name in sorted(TABLES)
    ]
    assert rows(con, "SELECT status FROM housing_status") == [("unsheltered",)]
    assert rows(con, "SELECT program FROM program_enrollment") == [("ccs",)]
    assert rows(con, "SELECT facility_type FROM incarceration") == [("jail",)]
    assert rows(con, "SELECT fact, value FROM member_fact") == [
        ("food_insecurity", "true"),
        ("adl_deficits", "3"),
        ("lives_alone", "false"),
    ]
    assert inputs.tables["medical_claim"].present_columns == frozenset(
        (
            "claim_id",
            "claim_line_number",
            "claim_type",
            "person_id",
            "claim_start_date",
            "claim_end_date",
            "paid_amount",
        )
    )


def test_parquet_gives_identical_relations(tmp_path: Path) -> None:
    write_all(tmp_path / "csv")
    (tmp_path / "pq").mkdir()
    for name in ALL_TABLES:
        to_parquet(tmp_path / "csv" / name, tmp_path / "pq" / name.replace(".csv", ".parquet"))
    _, from_csv = load(tmp_path / "csv")
    _, from_parquet = load(tmp_path / "pq")
    for table in TABLES:
        assert schema(from_parquet, table) == schema(from_csv, table)
        assert rows(from_parquet, f"FROM {table}") == rows(from_csv, f"FROM {table}")


def test_parquet_with_native_types_round_trips(tmp_path: Path) -> None:
    write_all(tmp_path / "csv")
    _, from_csv = load(tmp_path / "csv")
    (tmp_path / "pq").mkdir()
    for table in TABLES:
        if table in ("eligibility", "medical_claim", "member_fact"):
            from_csv.execute(
                f"COPY {table} TO '{tmp_path / 'pq' / table}.parquet' (FORMAT parquet)"
            )
    _, from_parquet = load(tmp_path / "pq")
    for table in ("eligibility", "medical_claim", "member_fact"):
        assert rows(from_parquet, f"FROM {table}") == rows(from_csv, f"FROM {table}")
    kinds = rows(from_parquet, "SELECT table_name, table_type FROM information_schema.tables")
    assert ("medical_claim", "VIEW") in kinds  # Parquet is read in place, not copied


def test_headers_are_case_insensitive_and_unknown_columns_ignored(tmp_path: Path) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        """
        PERSON_ID,Birth_Date,Enrollment_Start_Date,Payer,COUNTY,favourite_colour
        p1,1980-01-31,2024-01-01,LACARE,Alameda,blue
        """,
    )
    write(tmp_path, "notes.txt", "not a table")
    inputs, con = load(tmp_path)
    assert "favourite_colour" not in [name for name, _ in schema(con, "eligibility")]
    assert inputs.tables["eligibility"].present_columns == frozenset(
        ["person_id", "birth_date", "enrollment_start_date", "payer", "county"]
    )
    assert rows(con, "SELECT person_id, county FROM eligibility") == [("p1", "Alameda")]


@pytest.mark.parametrize(
    ("given", "name"),
    [("19", "Los Angeles"), ("1", "Alameda"), ("01", "Alameda"), (" san diego ", "San Diego")],
)
def test_county_code_or_name_becomes_name(tmp_path: Path, given: str, name: str) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        f"""
        person_id,birth_date,enrollment_start_date,payer,county
        p1,1980-01-31,2024-01-01,LACARE,"{given}"
        """,
    )
    _, con = load(tmp_path)
    assert rows(con, "SELECT county FROM eligibility") == [(name,)]


def test_strings_are_trimmed_and_blank_is_null(tmp_path: Path) -> None:
    write(
        tmp_path,
        "eligibility.csv",
        """
        person_id,birth_date,enrollment_start_date,enrollment_end_date,payer,county,plan
        "  p1 ", 1980-01-31 ,2024-01-01,"   ",LACARE,Alameda,""
        """,
    )
    _, con = load(tmp_path)
    assert rows(
        con, "SELECT person_id, birth_date, enrollment_end_date, plan FROM eligibility"
    ) == [("p1", dt.date(1980, 1, 31), None, None)]


def test_byte_order_mark_and_crlf_line_ends(tmp_path: Path) -> None:
    text = "\ufeffperson_id,birth_date,enrollment_start_date,payer,county\r\n"
    (tmp_path / "eligibility.csv").write_text(text + "p1,1980-01-31,2024-01-01,X,1\r\n", "utf-8")
    _, con = load(tmp_path)
    assert rows(con, "SELECT person_id, county FROM eligibility") == [("p1", "Alameda")]


def test_reopening_replaces_relations(tmp_path: Path) -> None:
    write_all(tmp_path / "full")
    write(tmp_path / "small", "eligibility.csv", ELIGIBILITY)
    con = duckdb.connect()
    open_inputs(tmp_path / "full", con)
    open_inputs(tmp_path / "small", con)
    assert rows(con, "SELECT count(*) FROM medical_claim") == [(0,)]


def test_failed_open_leaves_connection_as_it_was(tmp_path: Path) -> None:
    write_all(tmp_path / "good")
    write(tmp_path / "bad", "eligibility.csv", ELIGIBILITY)
    write(tmp_path / "bad", "pregnancy.csv", "person_id,start_date\np1,yesterday")
    con = duckdb.connect()
    open_inputs(tmp_path / "good", con)
    with pytest.raises(ContractError):
        open_inputs(tmp_path / "bad", con)
    assert rows(con, "SELECT count(*) FROM medical_claim") == [(3,)]
    assert rows(con, "SELECT count(*) FROM pregnancy") == [(1,)]


def test_file_backed_connection(tmp_path: Path) -> None:
    write_all(tmp_path / "in")
    con = duckdb.connect(str(tmp_path / "calaim.duckdb"))
    open_inputs(tmp_path / "in", con)
    con.close()
    reopened = duckdb.connect(str(tmp_path / "calaim.duckdb"))
    assert rows(reopened, "SELECT count(*) FROM medical_claim") == [(3,)]
