"""Small input folders written at test time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import duckdb
import pytest

from calaim.data.errors import ContractError, Problem
from calaim.data.reader import InputSet, open_inputs

ELIGIBILITY = """
    person_id,birth_date,enrollment_start_date,enrollment_end_date,payer,county
    p1,1980-01-31,2024-01-01,,LACARE,Los Angeles
    p2,1975-06-15,2023-07-01,2024-06-30,LACARE,19
"""


def write(folder: Path, name: str, text: str) -> Path:
    """Write a CSV (or any text) file: indentation and surrounding blank lines are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return path


def to_parquet(csv_path: Path, parquet_path: Path) -> Path:
    """Copy a CSV file to Parquet with every column stored as a string."""
    parquet_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) "
        f"TO '{parquet_path}' (FORMAT parquet)"
    )
    return parquet_path


def load(folder: Path) -> tuple[InputSet, duckdb.DuckDBPyConnection]:
    """Open `folder` in a fresh connection."""
    con = duckdb.connect()
    return open_inputs(folder, con), con


def problems(folder: Path) -> list[Problem]:
    """The problems open_inputs reports for `folder` (it must fail)."""
    with pytest.raises(ContractError) as caught:
        load(folder)
    return caught.value.problems


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    """All rows of a query."""
    return con.execute(sql).fetchall()
