"""Reading a roster file (CSV, Parquet, XLSX) into DuckDB as text, one column per layout field.

Every cell is read as text first so that a bad value is reported by row and column (by the
checks in `checks.py`) instead of failing the whole read. Rows are numbered as in a
spreadsheet: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from calaim.data.xlsx_limits import RowCounter, WorkbookTooLarge, check_workbook
from calaim.exchange.linkage.errors import RosterInvalid, RosterProblem
from calaim.exchange.linkage.layout import match_headers, roster_fields

RAW_TABLE = "raw_roster"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scan_sql(path: Path) -> str:
    """The DuckDB table function reading the file as text."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet({_literal(str(path))})"
    return (
        f"read_csv({_literal(str(path))}, header = true, all_varchar = true, delim = ',', "
        "quote = '\"', escape = '\"', null_padding = true)"
    )


def read_roster(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> dict[str, str]:
    """Load `path` into the table `raw_roster`; return each found field's header in the file."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".parquet", ".xlsx"}:
        problem = RosterProblem(name, None, None, "is not .csv, .parquet or .xlsx; send one")
        raise RosterInvalid([problem])
    try:
        source = _register_xlsx(con, path, name) if suffix == ".xlsx" else _scan_sql(path)
        headers = con.sql(f"select * from {source} limit 0").columns
        return _create_raw(con, source, name, list(headers))
    except duckdb.Error as error:
        # DuckDB's message names the line (e.g. an invalid UTF-8 byte or a stray quote).
        reason = str(error).splitlines()[0]
        problem = RosterProblem(name, None, None, f"cannot be read ({reason}); check the format")
        raise RosterInvalid([problem]) from error


def _create_raw(
    con: duckdb.DuckDBPyConnection, source: str, name: str, headers: list[str]
) -> dict[str, str]:
    found, missing = match_headers(headers)
    if missing:
        problems = [
            RosterProblem(name, 1, field, "is a required column and the header lacks it")
            for field in missing
        ]
        raise RosterInvalid(problems)
    columns = ["row_number() over () + 1 as row_number"]
    for field in roster_fields():
        if field.name in found:
            header = headers[found[field.name]].replace('"', '""')
            columns.append(f'cast("{header}" as varchar) as {field.name}')
        else:
            columns.append(f"cast(null as varchar) as {field.name}")
    con.execute(f"create or replace table {RAW_TABLE} as select {', '.join(columns)} from {source}")
    return {field: headers[index] for field, index in found.items()}


def _register_xlsx(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> str:
    rows = _xlsx_rows(path, name)
    if not rows:
        raise RosterInvalid([RosterProblem(name, None, None, "has no header row")])
    width = len(rows[0])
    headers = [
        str(cell) if cell is not None else f"column {i + 1}" for i, cell in enumerate(rows[0])
    ]
    body = [list(row) + [None] * (width - len(row)) for row in rows[1:]]
    table = pa.table(
        {f"c{i}": pa.array([row[i] for row in body], pa.string()) for i in range(width)}
    )
    con.register("xlsx_roster_cells", table)
    renames = ", ".join(f'c{i} as "{h.replace(chr(34), "")}"' for i, h in enumerate(headers))
    return f"(select {renames} from xlsx_roster_cells)"


def _xlsx_rows(path: Path, name: str) -> list[tuple[str | None, ...]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        # XLSX is read cell by cell in Python: sizes are checked before parsing (a small
        # upload may expand to gigabytes) and rows counted while reading.
        check_workbook(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        counter, rows = RowCounter(), []
        for row in sheet.iter_rows(values_only=True):
            counter.add(len(row))
            rows.append(tuple(_cell_text(cell) for cell in row))
        workbook.close()
        return rows
    except WorkbookTooLarge as error:
        message = f"is too large to read as XLSX: {error} (or Parquet)"
        raise RosterInvalid([RosterProblem(name, None, None, message)]) from error
    except Exception as error:  # openpyxl raises many kinds of error on a damaged workbook
        reason = type(error).__name__
        problem = RosterProblem(name, None, None, f"is not a readable XLSX workbook ({reason})")
        raise RosterInvalid([problem]) from error


def _cell_text(cell: Any) -> str | None:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without `.0`."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
