"""Open an input folder into DuckDB: validate every file, then register every contract table.

Nothing is registered unless the whole folder is valid. Registration runs in one transaction,
so a failure leaves the connection's earlier tables as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from calaim.data.columns import DUCKDB_TYPES, quote_ident, value_sql
from calaim.data.contract import DERIVATION_TABLES, INPUT_TABLES, TABLES, Table
from calaim.data.derive import (
    SUPPLEMENT,
    InputReport,
    derive_county,
    raw_counts,
    resolve_default_county,
)
from calaim.data.errors import ContractError, Problem
from calaim.data.sources import (
    RawTable,
    UnreadableFile,
    find_files,
    load_csv,
    load_parquet,
    parquet_source,
)
from calaim.data.validate import header_problems, value_problems


@dataclass
class TableSource:
    """Where a contract table came from."""

    name: str
    path: Path | None
    """None when the (optional) table is absent."""
    present_columns: frozenset[str]
    """Contract columns present in the file (lower case)."""
    rows: int


@dataclass
class InputSet:
    """A validated input folder, registered in a DuckDB connection."""

    folder: Path
    tables: dict[str, TableSource]
    """One entry for every contract table, absent ones with path None."""
    report: InputReport = field(default_factory=InputReport)
    """What was derived, normalized or set aside (counties by source, ICD-9 lines, ...)."""


def open_inputs(
    folder: Path, con: duckdb.DuckDBPyConnection, *, county: str | None = None
) -> InputSet:
    """Validate the folder and register every contract table in `con`, or raise ContractError.

    `county` is the default county (name or Medi-Cal code) for spans whose county is neither
    in the files nor derivable from their zip_code.
    """
    folder = Path(folder)
    default, problems = resolve_default_county(county)
    files, found_problems = find_files(folder)
    problems += found_problems
    raws: dict[str, RawTable] = {}
    try:
        for name in (name for name in INPUT_TABLES if name in files):
            raw, found = _inspect(con, INPUT_TABLES[name], files[name])
            problems += found
            if raw is not None:
                raws[name] = raw
        if problems:
            raise ContractError(problems)
        report = InputReport(counts=raw_counts(con, raws))
        report.county_members = _register(con, raws, default)
    finally:
        _drop_scratch(con)
    tables = {name: _table_source(name, raws.get(name)) for name in TABLES}
    return InputSet(folder, tables, report)


def _inspect(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path
) -> tuple[RawTable | None, list[Problem]]:
    """Open one file and list its problems; no RawTable when it cannot be read at all."""
    try:
        if path.suffix.lower() == ".csv":
            raw = load_csv(con, table, path)
        else:
            raw = load_parquet(con, table, path)
    except UnreadableFile as error:
        return None, [error.problem]
    problems = header_problems(raw)
    if raw.broken:
        # Rows shift around lines that could not be split: fix the structure first.
        return raw, problems + raw.broken
    try:
        return raw, problems + value_problems(con, raw)
    except duckdb.Error as error:  # e.g. a Parquet file damaged after its footer
        message = f"the file cannot be read: {str(error).strip().splitlines()[0]}"
        hint = "Write the file again (UTF-8 CSV or Parquet) and retry."
        return raw, [*problems, Problem(raw.file, None, None, message, hint)]


def _register(
    con: duckdb.DuckDBPyConnection, raws: dict[str, RawTable], default: str | None
) -> dict[str, int]:
    """Create one relation per contract table and derive counties, all or nothing.

    Returns members by where their county came from.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES.values():
            _drop_relation(con, table.name)
            _create(con, table, raws.get(table.name), table.name)
        supplement = raws.get("member_county")
        if supplement is not None:
            _create(con, DERIVATION_TABLES["member_county"], supplement, SUPPLEMENT)
        file = raws["eligibility"].file if "eligibility" in raws else "eligibility"
        county_members = derive_county(con, file, supplement is not None, default)
        if supplement is not None:
            kind = "TABLE" if supplement.path.suffix.lower() == ".csv" else "VIEW"
            con.execute(f"DROP {kind} {SUPPLEMENT}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return county_members


def _create(
    con: duckdb.DuckDBPyConnection, table: Table, raw: RawTable | None, relation: str
) -> None:
    try:
        for statement in _create_sql(table, raw, relation):
            con.execute(statement)
    except duckdb.Error as error:
        file = raw.file if raw is not None else table.name
        message = f"the table could not be loaded: {str(error).strip().splitlines()[0]}"
        hint = "Report this: the file passed validation but could not be converted."
        raise ContractError([Problem(file, None, None, message, hint)]) from error


def _create_sql(table: Table, raw: RawTable | None, relation: str) -> list[str]:
    """SQL creating the relation `relation` for `table` from its opened file (or empty)."""
    name = quote_ident(relation)
    if raw is None:
        columns = ", ".join(f"{quote_ident(c.name)} {DUCKDB_TYPES[c.type]}" for c in table.columns)
        return [f"CREATE TABLE {name} ({columns})"]
    if raw.path.suffix.lower() == ".csv":
        return [*_convert_sql(table, raw), f"ALTER TABLE {raw.relation} RENAME TO {name}"]
    # Parquet stays in place: a view with casts, so inputs may be larger than memory.
    values = ", ".join(
        f"{value_sql(table, column, raw.columns)} AS {quote_ident(column.name)}"
        for column in table.columns
    )
    source = parquet_source(raw.path)
    return [f"CREATE VIEW {name} AS SELECT {values} FROM read_parquet({source})"]


def _convert_sql(table: Table, raw: RawTable) -> list[str]:
    """Type and normalize, in place, the scratch table's columns that need it.

    Converting a column in place rewrites that column only, where a CREATE TABLE AS would
    copy every column of a file that may have tens of millions of rows.
    """
    statements = []
    for column in table.columns:
        if column.name not in raw.columns:
            continue  # already a typed NULL
        value = value_sql(table, column, raw.columns)
        if value != raw.columns[column.name].sql:  # plain text is already trimmed
            kind = DUCKDB_TYPES[column.type]
            statements.append(
                f"ALTER TABLE {raw.relation} ALTER {quote_ident(column.name)} "
                f"SET DATA TYPE {kind} USING {value}"
            )
    return statements


def _drop_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a table or view called `name` from the connection's default schema."""
    found = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ? "
        "AND table_schema = current_schema() AND table_catalog = current_database()",
        [name],
    ).fetchall()
    for (table_type,) in found:
        kind = "VIEW" if table_type == "VIEW" else "TABLE"
        con.execute(f"DROP {kind} {quote_ident(name)}")


def _drop_scratch(con: duckdb.DuckDBPyConnection) -> None:
    for name in INPUT_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {quote_ident('_calaim_raw_' + name)}")


def _table_source(name: str, raw: RawTable | None) -> TableSource:
    if raw is None:
        return TableSource(name, None, frozenset(), 0)
    return TableSource(name, raw.path, frozenset(raw.columns), raw.rows)
