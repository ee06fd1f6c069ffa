"""The compiled SQL is reviewable and stable: snapshots for DuckDB and (transpiled) Spark.

A missing or different snapshot fails. After an intended change, regenerate and review the
diff like any other code change:

    CALAIM_UPDATE_SNAPSHOTS=1 uv run pytest tests/engine/compile/test_snapshots.py

Every shipped program's own SQL is snapshotted at the rule's path by test_program_sql.py.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import sqlglot

from calaim.engine.compile.pipeline import build_pipeline
from calaim.engine.compile.sources import DIAGNOSIS_COLUMNS

SNAPSHOTS = Path(__file__).parent / "snapshots"


def compiled(policy, dialect: str) -> str:
    resolved = policy.resolve(dt.date(2024, 6, 1))
    pipeline = build_pipeline(
        resolved, diagnosis_columns=DIAGNOSIS_COLUMNS[:3], counties=["Los Angeles", "Sacramento"]
    )
    parts = [(step.name, step.sql) for step in pipeline.steps]
    parts += [("determinations", pipeline.determinations_sql), ("evidence", pipeline.evidence_sql)]
    out = []
    for name, sql in parts:
        text = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
        out.append(f"-- {name}\n{text};\n")
    return "\n".join(out)


REGENERATE = "CALAIM_UPDATE_SNAPSHOTS=1 uv run pytest tests/engine/compile/test_snapshots.py"


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CALAIM_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"{path} is missing: run `{REGENERATE}` and commit it"
    assert text == path.read_text(), f"{name} changed: review the change, then run `{REGENERATE}`"


def test_duckdb_sql_snapshot(policy):
    check("fixture_policy.duckdb.sql", compiled(policy, "duckdb"))


def test_spark_sql_snapshot(policy):
    text = compiled(policy, "spark")
    # Rules SQL must avoid `date - date` (Spark returns an interval): use date_diff.
    assert "DATEDIFF" in text.upper()
    check("fixture_policy.spark.sql", text)


def test_every_step_parses_in_duckdb_and_spark(policy):
    for dialect in ("duckdb", "spark"):
        for statement in compiled(policy, dialect).split(";\n"):
            if statement.strip():
                sqlglot.parse_one(statement, read=dialect)


def test_a_missing_snapshot_fails_instead_of_being_written(monkeypatch):
    monkeypatch.delenv("CALAIM_UPDATE_SNAPSHOTS", raising=False)
    with pytest.raises(AssertionError, match="is missing"):
        check("no_such_snapshot.sql", "SELECT 1")
    assert not (SNAPSHOTS / "no_such_snapshot.sql").exists()
