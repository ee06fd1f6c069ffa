"""What a backend does: register lookups, materialize steps, export results."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from calaim.engine.compile.pipeline import Lookup, Step


class BackendError(Exception):
    """A query failed; the message names the step so the SQL can be found in the log."""


class Backend(Protocol):
    """The execution side of the engine. Only backends run SQL."""

    dialect: str

    def register(self, lookup: Lookup) -> None:
        """Create a small table from policy data."""

    def materialize(self, step: Step) -> None:
        """Run a step and keep its result under the step's name."""

    def export(self, sql: str, path: Path) -> int:
        """Write a query's result to CSV or Parquet (by extension); return the row count."""

    def rows(self, sql: str) -> list[dict[str, Any]]:
        """Run a small query and return its rows as dicts."""
