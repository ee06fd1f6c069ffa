"""The generated dataset satisfies the input contract, checked from calaim.data.contract."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from calaim.data.contract import BOOLEAN_FALSE, BOOLEAN_TRUE, MEMBER_FACTS, TABLES, ColumnType

COUNTIES = Path(__file__).parents[3] / "src/calaim/policy/reference/counties.csv"


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


@pytest.mark.parametrize("table", list(TABLES))
def test_columns_are_the_contract_columns(realistic: Path, table: str) -> None:
    path = realistic / f"{table}.parquet"
    assert path.exists()
    names = [r[0] for r in duckdb.connect().execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
    assert tuple(names) == TABLES[table].column_names


@pytest.mark.parametrize("table", list(TABLES))
def test_values_satisfy_the_contract(rcon: duckdb.DuckDBPyConnection, table: str) -> None:
    spec = TABLES[table]
    assert _count(rcon, f"SELECT count(*) FROM {table}") > 0, table
    for column in spec.columns:
        c = column.name
        if column.required:
            assert _count(rcon, f"SELECT count(*) FROM {table} WHERE {c} IS NULL") == 0, c
        if column.vocabulary:
            allowed = ", ".join(f"'{v}'" for v in column.vocabulary)
            bad = f"SELECT count(*) FROM {table} WHERE lower({c}) NOT IN ({allowed})"
            assert _count(rcon, bad) == 0, c
        if column.type in (ColumnType.DATE, ColumnType.INTEGER, ColumnType.DECIMAL):
            sql_type = {"date": "DATE", "integer": "BIGINT", "decimal": "DECIMAL(18, 4)"}
            cast = f"TRY_CAST({c}::VARCHAR AS {sql_type[column.type.value]})"
            bad = f"SELECT count(*) FROM {table} WHERE {c} IS NOT NULL AND {cast} IS NULL"
            assert _count(rcon, bad) == 0, c
    for order in spec.date_orders:
        bad = f"SELECT count(*) FROM {table} WHERE {order.end} < {order.start}"
        assert _count(rcon, bad) == 0, order


def test_every_person_is_enrolled(rcon: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        orphans = f"""SELECT count(*) FROM {table} t
            WHERE NOT EXISTS (SELECT 1 FROM eligibility e WHERE e.person_id = t.person_id)"""
        assert _count(rcon, orphans) == 0, table


def test_eligibility_shapes(rcon: duckdb.DuckDBPyConnection) -> None:
    with COUNTIES.open() as f:
        known = {v for row in csv.DictReader(f) for v in (row["code"], row["name"])}
    counties = {r[0] for r in rcon.execute("SELECT DISTINCT county FROM eligibility").fetchall()}
    assert counties <= known
    assert (
        _count(
            rcon,
            "SELECT count(*) FROM eligibility WHERE NOT regexp_full_match("
            "member_id, '9[0-9]{8}[A-Z]')",
        )
        == 0
    )
    assert (
        _count(
            rcon,
            "SELECT count(*) FROM eligibility WHERE NOT regexp_full_match(person_id, 'P[0-9]{7}')",
        )
        == 0
    )
    # Spans of one person never overlap, and the period is 2022-01-01 .. 2025-12-31.
    overlaps = """SELECT count(*) FROM (SELECT enrollment_start_date AS s, lag(coalesce(
        enrollment_end_date, DATE '9999-12-31')) OVER (PARTITION BY person_id
        ORDER BY enrollment_start_date) AS prev_end FROM eligibility) WHERE s <= prev_end"""
    assert _count(rcon, overlaps) == 0
    bounds = rcon.execute(
        "SELECT min(enrollment_start_date), max(enrollment_end_date) FROM eligibility"
    ).fetchall()[0]
    assert str(bounds[0]) >= "2022-01-01"
    assert str(bounds[1]) <= "2025-12-31"


def test_claim_codes_are_well_formed(rcon: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "diagnosis_code_1 IS NULL OR diagnosis_code_1 LIKE '%.%'": 0,
        "NOT regexp_full_match(place_of_service_code, '[0-9]{2}')": 0,
        "NOT regexp_full_match(bill_type_code, '[1-9][0-9]{2}')": 0,
        "NOT regexp_full_match(revenue_center_code, '[0-9]{4}')": 0,
        "diagnosis_code_type <> 'icd-10-cm'": 0,
        "claim_type = 'institutional' AND bill_type_code IS NULL": 0,
        "claim_type = 'professional' AND place_of_service_code IS NULL": 0,
        "claim_line_start_date < claim_start_date OR claim_line_end_date > claim_end_date": 0,
        "paid_amount > allowed_amount OR paid_amount < 0": 0,
    }
    for where, expected in checks.items():
        assert _count(rcon, f"SELECT count(*) FROM medical_claim WHERE {where}") == expected, where
    dup = "SELECT count(*) - count(DISTINCT (claim_id, claim_line_number)) FROM medical_claim"
    assert _count(rcon, dup) == 0


def test_member_fact_values_match_their_type(rcon: duckdb.DuckDBPyConnection) -> None:
    for fact, kind in MEMBER_FACTS.items():
        if kind is ColumnType.BOOLEAN:
            allowed = ", ".join(f"'{v}'" for v in (*BOOLEAN_TRUE, *BOOLEAN_FALSE))
            where = f"value NOT IN ({allowed})"
        else:
            where = "TRY_CAST(value AS INTEGER) IS NULL"
        assert (
            _count(rcon, f"SELECT count(*) FROM member_fact WHERE fact = '{fact}' AND {where}") == 0
        )
    assert {r[0] for r in rcon.execute("SELECT DISTINCT fact FROM member_fact").fetchall()} == set(
        MEMBER_FACTS
    )


def test_reader_accepts_the_output(realistic: Path) -> None:
    reader = pytest.importorskip("calaim.data.reader")
    con = duckdb.connect()
    inputs = reader.open_inputs(realistic, con)
    assert all(inputs.tables[name].path is not None for name in TABLES)


def test_reader_accepts_csv_output(make_dataset: object) -> None:
    reader = pytest.importorskip("calaim.data.reader")
    folder, counts = make_dataset(1000, 5, "csv")  # type: ignore[operator]
    inputs = reader.open_inputs(folder, duckdb.connect())
    assert {name: inputs.tables[name].rows for name in TABLES} == counts
