"""Writing the tables: all of them into a temporary folder beside the target, then one rename.

So the target folder appears complete or not at all. It must not exist yet (or be empty).
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path
from typing import Literal

import duckdb

from calaim.data.contract import TABLES

Format = Literal["csv", "parquet"]


class OutputError(ValueError):
    """The output folder cannot be used."""


def check_target(out: Path) -> None:
    """Refuse an output folder that already holds something (never overwrite data)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputError(f"{out}: already exists and is not an empty folder; choose a new --out")
    if not out.parent.is_dir():
        raise OutputError(f"{out.parent}: no such folder; create it first")


def write_tables(out: Path, tables: dict[str, list[dict[str, str]]], fmt: Format) -> None:
    """Write each table as `<name>.csv` or `<name>.parquet`, atomically as a folder."""
    check_target(out)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, rows in tables.items():
            path = scratch / f"{name}.csv"
            _write_csv(path, name, rows)
            if fmt == "parquet":
                _to_parquet(path)
        if out.exists():
            out.rmdir()
        os.replace(scratch, out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _write_csv(path: Path, name: str, rows: list[dict[str, str]]) -> None:
    """One contract table as CSV (every contract column, in contract order)."""
    columns = TABLES[name].column_names
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)


def _to_parquet(path: Path) -> None:
    """Convert a CSV table to Parquet (text columns; the reader types them) and drop the CSV."""
    target = path.with_suffix(".parquet")
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT * FROM read_csv(?, all_varchar = true, header = true)) "
            "TO '" + str(target).replace("'", "''") + "' (FORMAT parquet)",
            [str(path)],
        )
    path.unlink()
