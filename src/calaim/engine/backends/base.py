"""What a backend does: open inputs, register lookups, materialize steps, export results.

Only a backend runs SQL. Every statement goes through `Backend.run`, which logs it (the SQL at
DEBUG, the step and its time at INFO on the `calaim.sql` logger), records the step's time and
turns a failure into a `BackendError` that carries the step's name and its SQL, like Splink's
database API. The engine compiles DuckDB SQL; a backend for another engine transpiles it.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from calaim.data.reader import InputSet
from calaim.engine.compile.pipeline import Lookup, Step

log = logging.getLogger("calaim.sql")
T = TypeVar("T")


class BackendError(Exception):
    """A query failed; the error names the step and carries the SQL that failed."""

    def __init__(self, step: str, sql: str, cause: BaseException) -> None:
        reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        super().__init__(f"step {step!r} failed: {reason}\n-- SQL of step {step}:\n{sql.strip()}")
        self.step = step
        self.sql = sql
        self.reason = reason


class Backend(ABC):
    """The execution side of the engine: one backend instance serves one run."""

    dialect: str = "duckdb"
    errors: tuple[type[BaseException], ...] = ()
    """The engine's own query errors, turned into BackendError by `run`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def __enter__(self) -> Backend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @abstractmethod
    def open_inputs(self, data: Path | str, *, county: str | None = None) -> InputSet:
        """Validate the input folder and make every contract table readable by name."""

    @abstractmethod
    def close(self) -> None:
        """Release what the run created (scratch files, temporary views)."""

    @abstractmethod
    def register(self, lookup: Lookup) -> None:
        """Create a small table from policy data."""

    @abstractmethod
    def materialize(self, step: Step) -> None:
        """Run a step and keep its result under the step's name."""

    @abstractmethod
    def export(self, sql: str, path: Path) -> int:
        """Write a query's result to CSV or Parquet (by extension); return the row count."""

    @abstractmethod
    def _fetch(self, sql: str) -> list[dict[str, Any]]:
        """Run a query in the engine's dialect and return its rows as dicts."""

    def translate(self, sql: str) -> str:
        """The engine's own SQL for a compiled (DuckDB-dialect) query."""
        return sql

    def rows(self, sql: str, name: str = "query") -> list[dict[str, Any]]:
        """Run a small (DuckDB-dialect) query and return its rows as dicts."""
        return self.run(name, self.translate(sql), self._fetch)

    def filled_columns(self, table: str, columns: list[str]) -> list[str]:
        """The columns of `table` that hold at least one value (extracts often carry 25
        diagnosis columns of which most are always empty; reading those multiplies the work)."""
        if not columns:
            return []
        counts = ", ".join(f'count("{column}") > 0 AS "{column}"' for column in columns)
        found = self.rows(f"SELECT {counts} FROM {table}", f"filled columns of {table}")[0]
        return [column for column in columns if found[column]]

    def run(self, name: str, sql: str, action: Callable[[str], T]) -> T:
        """Run `action(sql)` as the step `name`: logged, timed, failures carrying the SQL."""
        log.debug("-- step %s\n%s", name, sql)
        started = time.perf_counter()
        try:
            result = action(sql)
        except self.errors as error:
            raise BackendError(name, sql, error) from error
        self._record(name, time.perf_counter() - started)
        return result

    def timed(self, name: str, action: Callable[[], T]) -> T:
        """Run work that is not one SQL statement (reading inputs) as the step `name`, timed."""
        started = time.perf_counter()
        result = action()
        self._record(name, time.perf_counter() - started)
        return result

    def _record(self, name: str, elapsed: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + elapsed
        log.info("step %s: %.3f s", name, elapsed)
