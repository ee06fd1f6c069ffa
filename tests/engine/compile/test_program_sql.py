"""Every shipped program's compiled SQL is committed, per dialect, at the rule's path.

`tests/sql/<rule path>.duckdb.sql` and `.spark.sql` (e.g. tests/sql/ecm/smh_sud.duckdb.sql for
rules/ecm/smh_sud.yaml) hold each program's whole pipeline as of SNAPSHOT_DATE with the sample
plans. A missing or different snapshot fails. After an intended change, regenerate and review
the diff like any other code change:

    CALAIM_UPDATE_SNAPSHOTS=1 uv run pytest tests/engine/compile/test_program_sql.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import sqlglot

from calaim.engine.compile.program_sql import DIALECTS, program_sql
from calaim.engine.compile.sources import DIAGNOSIS_COLUMNS
from calaim.engine.loading.policy import Policy

SQL_DIR = Path(__file__).parents[2] / "sql"
SNAPSHOT_DATE = dt.date(2026, 1, 1)
REGENERATE = "CALAIM_UPDATE_SNAPSHOTS=1 uv run pytest tests/engine/compile/test_program_sql.py"
POLICY = Policy.load()
RESOLVED = POLICY.resolve(SNAPSHOT_DATE)


def snapshot_path(program_id: str, dialect: str) -> Path:
    rule = POLICY.programs[program_id].rule_path
    return SQL_DIR / Path(rule).with_suffix(f".{dialect}.sql")


def compiled(program_id: str, dialect: str) -> str:
    return program_sql(RESOLVED, program_id, dialect, diagnosis_columns=DIAGNOSIS_COLUMNS[:3])


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("program_id", sorted(POLICY.programs))
def test_program_sql_matches_its_committed_snapshot(program_id: str, dialect: str) -> None:
    path = snapshot_path(program_id, dialect)
    text = compiled(program_id, dialect)
    if os.environ.get("CALAIM_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run `{REGENERATE}` and commit it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: review the change, then run `{REGENERATE}`"
    )


def test_no_stale_snapshots() -> None:
    expected = {snapshot_path(p, d) for p in POLICY.programs for d in DIALECTS}
    found = set(SQL_DIR.rglob("*.sql"))
    assert found - expected == set(), "snapshots of programs that no longer exist"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_statement_parses_back_in_its_dialect(dialect: str) -> None:
    for program_id in ("ecm.smh_sud", "cs.asthma_remediation", "cs.respite"):
        for statement in compiled(program_id, dialect).split(";\n"):
            if statement.strip().strip("-").strip():
                sqlglot.parse_one(statement, read=dialect)


def test_a_program_snapshot_holds_only_its_own_feature_tests() -> None:
    respite = compiled("cs.respite", "duckdb")
    assert "unpaid_caregiver" in respite
    assert "asthma_control_test_score" not in respite
    assert '"cs__respite__met"' in respite
    assert "ecm__smh_sud__met" not in respite
