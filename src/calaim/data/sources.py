"""Finding the input files and opening them as scratch relations, with row numbers.

CSV files are read entirely as trimmed text into a scratch table in file order (DuckDB keeps
insertion order, so `rowid + 1` is the data row); lines DuckDB cannot split are collected, not
raised.
Parquet files are read in place; `file_row_number` gives the data row. A table may also be a
folder of Parquet part files (`medical_claim/part-00000.parquet`, ...; what `calaim synth
--partition-size` and Spark write): its rows are numbered across the parts in name order.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from calaim.data.columns import DUCKDB_TYPES, SourceColumn, quote_ident, sql_string, text_sql
from calaim.data.contract import INPUT_TABLES, TABLES, Table
from calaim.data.errors import Problem

FORMATS = (".csv", ".parquet")
EXAMPLES = 20
"""Rows listed per (file, column, kind of problem); the rest are counted on one line."""

_REJECTS = "_calaim_csv_rejects"
_SCANS = "_calaim_csv_scans"

_CSV_HINTS = {
    "MISSING COLUMNS": "Every line needs as many comma-separated fields as the header; "
    "put values that contain commas in double quotes.",
    "TOO MANY COLUMNS": "Every line needs as many comma-separated fields as the header; "
    "put values that contain commas in double quotes.",
    "INVALID ENCODING": "Save the file as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)').",
    "UNQUOTED VALUE": "Put values that contain quotes in double quotes and write a quote inside "
    'a value as two quotes ("").',
}
_CSV_HINT = "Save the table as a UTF-8, comma-separated CSV file with one header row."


class UnreadableFile(Exception):
    """A file that cannot be opened as a table at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem


@dataclass
class RawTable:
    """An input file opened for checking: its header, row count and contract columns."""

    table: Table
    path: Path
    header: tuple[str, ...]
    """Column names as written in the file."""
    relation: str
    """FROM-clause text that reads the file (or its scratch table)."""
    row_sql: str
    """SQL for the 1-based data row number within `relation`."""
    columns: dict[str, SourceColumn]
    """Contract columns present in the file (first occurrence when a name repeats)."""
    rows: int
    broken: list[Problem] = field(default_factory=list)
    """Lines that could not be parsed; when any, row numbers cannot be trusted."""

    @property
    def file(self) -> str:
        """The file name used in problems."""
        return self.path.name


def find_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The file of each contract table present in `folder`, and folder-level problems."""
    if not folder.exists():
        return {}, [_folder_problem(folder, "the input folder does not exist")]
    if not folder.is_dir():
        return {}, [_folder_problem(folder, "this is a file, not a folder")]
    candidates: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if stem in INPUT_TABLES and suffix in FORMATS and path.is_file():
            candidates.setdefault(stem, []).append(path)
        elif path.is_dir() and path.name.lower().removesuffix(".parquet") in INPUT_TABLES:
            # A folder of Parquet part files: medical_claim/ or medical_claim.parquet/.
            candidates.setdefault(path.name.lower().removesuffix(".parquet"), []).append(path)
    found = {name: paths[0] for name, paths in candidates.items() if len(paths) == 1}
    problems = [_ambiguous(paths) for paths in candidates.values() if len(paths) > 1]
    for table in TABLES.values():
        if table.required_table and table.name not in candidates:
            problems.append(_missing_table(folder, table))
    return found, problems


def _folder_problem(folder: Path, message: str) -> Problem:
    hint = "Pass the folder that holds eligibility.csv (or .parquet) and the other tables."
    return Problem(str(folder), None, None, message, hint)


def _ambiguous(paths: list[Path]) -> Problem:
    names = " and ".join(path.name for path in paths)
    message = f"{names} are both present, so it is unclear which one to read"
    return Problem(paths[0].name, None, None, message, "Keep exactly one file per table.")


def _missing_table(folder: Path, table: Table) -> Problem:
    message = f"the required table {table.name} is missing (no {table.name}.csv or .parquet)"
    hint = f"Add {table.name}.csv or {table.name}.parquet: {table.description}"
    return Problem(str(folder), None, None, message, hint)


def read_csv_header(path: Path) -> tuple[str, ...]:
    """The header row of a CSV file, or UnreadableFile when there is none."""
    if path.stat().st_size == 0:
        raise UnreadableFile(Problem(path.name, None, None, "the file is empty", _CSV_HINT))
    try:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            header = next(csv.reader(handle), [])
    except csv.Error as error:
        message = f"the header row cannot be read as CSV ({error})"
        raise UnreadableFile(Problem(path.name, None, None, message, _CSV_HINT)) from error
    if not any(name.strip() for name in header):
        raise UnreadableFile(Problem(path.name, None, None, "the header row is empty", _CSV_HINT))
    if any("\ufffd" in name for name in header):
        message = "the header row is not valid UTF-8"
        raise UnreadableFile(
            Problem(path.name, None, None, message, _CSV_HINTS["INVALID ENCODING"])
        )
    return tuple(header)


def contract_positions(table: Table, header: tuple[str, ...]) -> dict[str, int]:
    """Position in `header` of each contract column (first occurrence), in contract order."""
    first: dict[str, int] = {}
    for position, name in enumerate(header):
        first.setdefault(name.strip().lower(), position)
    return {name: first[name] for name in table.column_names if name in first}


def load_csv(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> RawTable:
    """Read a CSV file, trimmed text, into the scratch table `_calaim_raw_<table>`.

    The scratch table has every contract column in contract order (absent ones as typed
    NULLs), so that once valid it becomes the engine's table by converting a few columns in
    place and renaming it: no second copy of a large file.
    """
    header = read_csv_header(path)
    positions = contract_positions(table, header)
    selected = []
    for column in table.columns:
        if column.name in positions:
            value = text_sql(SourceColumn(f"c{positions[column.name]}", "VARCHAR"))
        else:
            value = f"CAST(NULL AS {DUCKDB_TYPES[column.type]})"
        selected.append(f"{value} AS {quote_ident(column.name)}")
    types = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    scratch = quote_ident(f"_calaim_raw_{table.name}")
    # The header is parsed in Python (to see duplicate names); DuckDB gets positional names.
    options = (
        f"auto_detect=false, header=true, columns={{{types}}}, delim=',', quote='\"', "
        f"escape='\"', strict_mode=true, store_rejects=true, "
        f"rejects_table='{_REJECTS}', rejects_scan='{_SCANS}'"
    )
    con.execute(f"DROP TABLE IF EXISTS {_REJECTS}; DROP TABLE IF EXISTS {_SCANS}")
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {scratch} AS SELECT {', '.join(selected)} "
            f"FROM read_csv({sql_string(str(path))}, {options})"
        )
    except duckdb.Error as error:
        message = f"the file cannot be read as CSV: {_first_line(error)}"
        raise UnreadableFile(Problem(path.name, None, None, message, _CSV_HINT)) from error
    broken = _rejected_lines(con, path.name, header)
    rows = con.execute(f"SELECT count(*) FROM {scratch}").fetchall()[0][0]
    columns = {name: SourceColumn(quote_ident(name), "VARCHAR", clean=True) for name in positions}
    return RawTable(table, path, header, scratch, "rowid + 1", columns, rows, broken)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def _rejected_lines(
    con: duckdb.DuckDBPyConnection, file: str, header: tuple[str, ...]
) -> list[Problem]:
    """Lines DuckDB could not split into the header's fields, grouped by kind of error."""
    # DuckDB may reject one line several times (once per missing field): one entry per line.
    lines = (
        f"SELECT error_type, line, [line::VARCHAR, min(column_idx)::VARCHAR, any_value(csv_line), "
        f"any_value(error_message)] AS example FROM {_REJECTS} GROUP BY error_type, line"
    )
    groups = con.execute(
        f"SELECT error_type, count(*), arg_min(example, line, {EXAMPLES}) FROM ({lines}) "
        "GROUP BY error_type ORDER BY min(line)"
    ).fetchall()
    con.execute(f"DROP TABLE IF EXISTS {_REJECTS}; DROP TABLE IF EXISTS {_SCANS}")
    problems: list[Problem] = []
    for error_type, count, examples in groups:
        hint = _CSV_HINTS.get(error_type, _CSV_HINT)
        for line, column_idx, text, message in examples:
            column = None
            if error_type in ("INVALID ENCODING", "UNQUOTED VALUE") and column_idx:
                column = header[int(column_idx) - 1].strip().lower()
            shown = text if len(text) <= 80 else text[:77] + "..."
            detail = f"{message.rstrip('.')}: {shown!r}"
            # DuckDB counts the header as line 1; data rows are counted without it.
            problems.append(Problem(file, int(line) - 1, column, detail, hint))
        if count > len(examples):
            more = count - len(examples)
            message = f"{more:,} more lines with the same problem ({error_type.lower()})"
            problems.append(Problem(file, None, None, message, hint, count=more))
    return problems


def parquet_parts(path: Path) -> list[Path]:
    """The Parquet files of a table: the file itself, or a folder's part files in name order."""
    return sorted(path.glob("*.parquet")) if path.is_dir() else [path]


def parquet_source(path: Path) -> str:
    """SQL naming the file, or the list of a folder's part files, for read_parquet."""
    if not path.is_dir():
        return sql_string(str(path.resolve()))
    return "[" + ", ".join(sql_string(str(part.resolve())) for part in parquet_parts(path)) + "]"


def _row_sql(path: Path) -> str:
    """The 1-based data row: within the file, or across a folder's parts in name order."""
    if not path.is_dir():
        return "file_row_number + 1"
    offsets, seen = [], 0
    for part in parquet_parts(path):
        offsets.append(f"WHEN {sql_string(str(part.resolve()))} THEN {seen}")
        seen += pq.ParquetFile(part).metadata.num_rows
    return f"file_row_number + 1 + CASE filename {' '.join(offsets)} END"


def load_parquet(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> RawTable:
    """Open a Parquet file (or folder of part files) in place (nothing is copied)."""
    if not parquet_parts(path):
        message = "the folder holds no Parquet files (part files ending in .parquet)"
        hint = "Put the table's Parquet part files in the folder, or write one file instead."
        raise UnreadableFile(Problem(path.name, None, None, message, hint))
    source = parquet_source(path)
    try:
        written = tuple(pq.read_schema(parquet_parts(path)[0]).names)
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({source})").fetchall()
        rows = con.execute(f"SELECT count(*) FROM read_parquet({source})").fetchall()[0][0]
    except Exception as error:  # pyarrow and DuckDB raise many kinds for a damaged file
        message = f"the file cannot be read as Parquet: {_first_line(error)}"
        hint = "Write the table again as a Parquet file (or save it as CSV)."
        raise UnreadableFile(Problem(path.name, None, None, message, hint)) from error
    # DuckDB renames repeated names (person_id_1); the schema keeps them as written.
    header = written if len(written) == len(described) else tuple(d[0] for d in described)
    positions = contract_positions(table, header)
    columns = {
        name: SourceColumn(quote_ident(described[i][0]), str(described[i][1]))
        for name, i in positions.items()
    }
    if path.is_dir():
        relation = f"read_parquet({source}, file_row_number=true, filename=true)"
        return RawTable(table, path, header, relation, _row_sql(path), columns, rows)
    relation = f"read_parquet({source}, file_row_number=true)"
    return RawTable(table, path, header, relation, "file_row_number + 1", columns, rows)
