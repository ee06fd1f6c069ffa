"""`calaim tiers` on a small synthetic population: files written, consistent with the cut
points, small cells suppressed, one member explained, user errors without a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from calaim.cli import app
from calaim.engine.loading.policy import Policy

runner = CliRunner()
AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    result = runner.invoke(app, ["synth", "--members", "2000", "--seed", "3", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def cut(policy: Policy, tier: str) -> int:
    found = policy.parameters[f"phm.risk.tiers.{tier}_at_least"].value_at(
        dt.date.fromisoformat(AS_OF)
    )
    assert found is not None
    return int(found[1])


def test_tiers_writes_every_member_with_summary_and_equity(synth, tmp_path):
    out = tmp_path / "tiers.parquet"
    result = runner.invoke(
        app, ["tiers", "--data", str(synth), "--as-of", AS_OF, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "members scored" in result.output
    assert "Equity check" in result.output
    policy = Policy.load()
    high, rising = cut(policy, "high"), cut(policy, "rising")
    con = duckdb.connect()
    rows = con.execute(f"SELECT * FROM '{out}'").fetchall()
    names = [d[0] for d in con.description]
    assert rows
    ids = [row[names.index("person_id")] for row in rows]
    assert len(ids) == len(set(ids))
    point_columns = [n for n in names if n.endswith("__points")]
    for row in rows:
        record = dict(zip(names, row, strict=True))
        assert record["score"] == sum(record[c] for c in point_columns)
        expected = (
            "high" if record["score"] >= high else "rising" if record["score"] >= rising else "low"
        )
        assert record["tier"] == expected
    assert len({dict(zip(names, r, strict=True))["policy_hash"] for r in rows}) == 1
    tiers = {dict(zip(names, r, strict=True))["tier"] for r in rows}
    assert tiers == {"high", "rising", "low"}
    summary = list(csv.DictReader((tmp_path / "tiers.summary.csv").open(encoding="utf-8")))
    assert sum(int(r["members"]) for r in summary if r["county"] == "all") == len(rows)
    min_cell = policy.parameters["phm.risk.equity.min_cell"].values[-1][1]
    equity = list(csv.DictReader((tmp_path / "tiers.equity.csv").open(encoding="utf-8")))
    assert {r["dimension"] for r in equity} == {"race_ethnicity", "language", "county"}
    for row in equity:
        for column in ("members", "tier_high", "tier_rising", "tier_low"):
            assert not row[column] or not 0 < int(row[column]) < min_cell
        hidden = [c for c in ("tier_high", "tier_rising", "tier_low") if not row[c]]
        assert not row["members"] or len(hidden) != 1, row  # never total minus the others


def test_tiers_explains_one_member_in_plain_words(synth, tmp_path):
    out = tmp_path / "tiers.csv"
    runner.invoke(app, ["tiers", "--data", str(synth), "--as-of", AS_OF, "--out", str(out)])
    first = next(csv.DictReader(out.open(encoding="utf-8")))
    result = runner.invoke(
        app,
        [
            "tiers",
            "--data",
            str(synth),
            "--as-of",
            AS_OF,
            "--person",
            first["person_id"],
            "--explain",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"score {first['score']}" in result.output
    assert "cut point" in result.output
    assert "ED visits" in result.output
    as_json = runner.invoke(
        app,
        [
            "tiers",
            "--data",
            str(synth),
            "--as-of",
            AS_OF,
            "--person",
            first["person_id"],
            "--format",
            "json",
        ],
    )
    explained = json.loads(as_json.output)
    assert explained["tier"] == first["tier"]
    assert sum(f["points"] for f in explained["factors"]) == explained["score"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", AS_OF], "--out is required"),
        (["--as-of", AS_OF, "--explain", "--out", "x.csv"], "--explain needs --person"),
        (["--as-of", AS_OF, "--out", "x.txt"], "must end in .csv or .parquet"),
        (["--as-of", AS_OF, "--person", "NOBODY"], "no Medi-Cal enrollment"),
        (["--as-of", "2022-06-30", "--out", "x.csv"], "is in force on 2022-06-30"),
    ],
)
def test_tiers_user_errors(synth, args, message):
    result = runner.invoke(app, ["tiers", "--data", str(synth), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
