"""The default backend: DuckDB, embedded, spilling to disk when inputs exceed memory."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from calaim.engine.backends.base import BackendError
from calaim.engine.compile.pipeline import Lookup, Step

log = logging.getLogger("calaim.sql")

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


class DuckDBBackend:
    """Runs pipeline steps on a DuckDB connection that already holds the input relations."""

    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.timings: dict[str, float] = {}

    def register(self, lookup: Lookup) -> None:
        """Create the lookup as a temp table."""
        names = list(lookup.columns)
        columns: list[tuple[Any, ...]] = (
            list(zip(*lookup.rows, strict=True)) if lookup.rows else [() for _ in names]
        )
        table = pa.table(
            {
                name: pa.array(list(values), type=_ARROW_TYPES[lookup.columns[name]])
                for name, values in zip(names, columns, strict=True)
            }
        )
        self.con.register(f"{lookup.name}_arrow", table)
        self._run(
            lookup.name,
            f"CREATE OR REPLACE TEMP TABLE {lookup.name} AS SELECT * FROM {lookup.name}_arrow",
        )
        self.con.unregister(f"{lookup.name}_arrow")

    def materialize(self, step: Step) -> None:
        """CREATE TEMP TABLE (or VIEW) <step> AS <sql>."""
        kind = "VIEW" if step.view else "TABLE"
        self._run(step.name, f"CREATE OR REPLACE TEMP {kind} {step.name} AS {step.sql}")

    def export(self, sql: str, path: Path) -> int:
        """COPY the query to a file, written to a temp name then renamed (never half a file)."""
        fmt = "PARQUET" if path.suffix.lower() == ".parquet" else "CSV, HEADER"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        result = self._run(f"export {path.name}", f"COPY ({sql}) TO '{partial}' (FORMAT {fmt})")
        partial.replace(path)
        return int(result[0][0]) if result else 0

    def rows(self, sql: str) -> list[dict[str, Any]]:
        """Run a query and return all rows as dicts."""
        try:
            cursor = self.con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as error:
            raise BackendError(f"query failed: {error}\n{sql}") from error

    def _run(self, name: str, sql: str) -> list[tuple[Any, ...]]:
        log.debug("-- step %s\n%s", name, sql)
        started = time.perf_counter()
        try:
            result = self.con.execute(sql).fetchall()
        except duckdb.Error as error:
            raise BackendError(f"step {name!r} failed: {error}") from error
        self.timings[name] = time.perf_counter() - started
        return result
