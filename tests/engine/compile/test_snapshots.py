"""The compiled SQL is reviewable and stable: snapshots for DuckDB and (transpiled) Spark.

Set CALAIM_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change, then review
the diff like any other code change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

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


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CALAIM_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; review and set CALAIM_UPDATE_SNAPSHOTS=1"


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
