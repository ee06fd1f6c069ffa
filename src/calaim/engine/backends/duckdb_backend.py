"""The default backend: DuckDB, embedded, spilling to disk when inputs exceed memory."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from calaim.data.reader import InputSet, open_inputs
from calaim.data.sources import parquet_source
from calaim.engine.backends.base import Backend
from calaim.engine.compile.pipeline import Lookup, Step

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
    "DATE": pa.date32(),
    "VARCHAR[]": pa.list_(pa.string()),
}


def connect(
    database: Path | None = None, *, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set up for large inputs (temp directory, insertion order kept)."""
    con = duckdb.connect(str(database) if database else ":memory:")
    temp = Path(tempfile.gettempdir()) / "calaim-duckdb"
    temp.mkdir(exist_ok=True)
    con.execute(f"SET temp_directory = '{temp}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def lookup_arrow(lookup: Lookup) -> pa.Table:
    """The lookup's rows as an Arrow table with its declared types."""
    names = list(lookup.columns)
    columns: list[tuple[Any, ...]] = (
        list(zip(*lookup.rows, strict=True)) if lookup.rows else [() for _ in names]
    )
    return pa.table(
        {
            name: pa.array(list(values), type=_ARROW_TYPES[lookup.columns[name]])
            for name, values in zip(names, columns, strict=True)
        }
    )


class DuckDBBackend(Backend):
    """Runs pipeline steps in a scratch DuckDB database (on disk, so inputs may exceed memory).

    Give `con` to run on a connection that already holds the input relations.
    """

    dialect = "duckdb"
    errors = (duckdb.Error,)

    def __init__(
        self, con: duckdb.DuckDBPyConnection | None = None, *, memory_limit: str | None = None
    ) -> None:
        super().__init__()
        self._con = con
        self._scratch: Path | None = None
        self._inputs: InputSet | None = None
        self.memory_limit = memory_limit

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection (a scratch database is created on first use)."""
        if self._con is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="calaim-"))
            self._con = connect(self._scratch / "work.duckdb", memory_limit=self.memory_limit)
        return self._con

    def open_inputs(self, data: Path | str, *, county: str | None = None) -> InputSet:
        """Validate the folder and register every contract table (Parquet read in place)."""
        self._inputs = self.timed(
            "inputs", lambda: open_inputs(Path(data), self.con, county=county)
        )
        return self._inputs

    def filled_columns(self, table: str, columns: list[str]) -> list[str]:
        """For a Parquet input, read from the files' statistics (no scan): a column is left
        out only when every row group records as many nulls as values; otherwise as the base
        class does, by counting."""
        source = self._inputs.tables.get(table) if self._inputs is not None else None
        if not columns or source is None or source.path is None:
            return super().filled_columns(table, columns)
        if source.path.suffix.lower() == ".csv":
            return super().filled_columns(table, columns)
        sql = (
            "SELECT lower(path_in_schema) AS name, "
            "bool_or(stats_null_count IS NULL OR stats_null_count < num_values) AS filled "
            f"FROM parquet_metadata({parquet_source(source.path)}) GROUP BY 1"
        )
        found = {
            row["name"]: row["filled"]
            for row in self.run(f"filled columns of {table}", sql, self._fetch)
        }
        return [column for column in columns if found.get(column, True)]

    def close(self) -> None:
        """Close the connection and remove the scratch database."""
        if self._scratch is not None and self._con is not None:
            self._con.close()
            self._con = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def register(self, lookup: Lookup) -> None:
        """Create the lookup as a temp table."""
        self.con.register(f"{lookup.name}_arrow", lookup_arrow(lookup))
        sql = f"CREATE OR REPLACE TEMP TABLE {lookup.name} AS SELECT * FROM {lookup.name}_arrow"
        self.run(lookup.name, sql, self._execute)
        self.con.unregister(f"{lookup.name}_arrow")

    def materialize(self, step: Step) -> None:
        """CREATE TEMP TABLE (or VIEW) <step> AS <sql>."""
        kind = "VIEW" if step.view else "TABLE"
        sql = f"CREATE OR REPLACE TEMP {kind} {step.name} AS {step.sql}"
        self.run(step.name, sql, self._execute)

    def export(self, sql: str, path: Path) -> int:
        """COPY the query to a file, written to a temp name then renamed (never half a file)."""
        fmt = "PARQUET" if path.suffix.lower() == ".parquet" else "CSV, HEADER"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        copy = f"COPY ({sql}) TO '{partial}' (FORMAT {fmt})"
        result = self.run(f"export {path.name}", copy, self._execute)
        partial.replace(path)
        return int(result[0][0]) if result else 0

    def _execute(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def _fetch(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
