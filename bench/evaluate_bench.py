"""Benchmark: `calaim evaluate` of one service over a synthetic population, against a baseline.

Not a test. Generates (or reuses) a Parquet population with 24 months of claims, then times,
alternating in the same process:

- the baseline: one DuckDB scan summing paid amounts and counting ED visits per member-month
  over the same claims (the floor any member-month panel pays);
- the evaluation: validation, panel, matching, DiD, event study, strata and cost ratio
  (report and tables not written, so the figure is the analysis itself).

    uv run python bench/evaluate_bench.py --members 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from calaim.data.synth import generate
from calaim.engine.loading.policy import Policy
from calaim.reports.evaluation.run import evaluate
from calaim.reports.evaluation.spec import EvaluationSpec

END = dt.date(2025, 12, 31)
# 24 months of claims (2024-2025): members starting July 2024 to June 2025, 6 months either side.
SPEC = EvaluationSpec(
    "ecm", dt.date(2024, 7, 1), dt.date(2025, 6, 30), END, pre_months=6, post_months=6
)
BASELINE_SQL = """
SELECT person_id, year(claim_start_date) * 12 + month(claim_start_date) AS m,
  sum(paid_amount) AS paid,
  count(DISTINCT claim_start_date) FILTER (WHERE revenue_center_code LIKE '045%'
    OR place_of_service_code = '23') AS ed
FROM read_parquet('{claims}') GROUP BY ALL
"""


def dataset(workdir: Path, members: int, seed: int) -> tuple[Path, float | None]:
    """The dataset for this size (generated once and cached in `workdir`)."""
    folder = workdir / f"evaluate-{members}-{seed}"
    if (folder / "eligibility.parquet").exists():
        return folder, None
    started = time.perf_counter()
    generate(folder, members=members, seed=seed, years=2, end_date=END)
    return folder, time.perf_counter() - started


def baseline(folder: Path) -> float:
    """Seconds for the member-month scan (fully materialized)."""
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(BASELINE_SQL.format(claims=folder / "medical_claim.parquet")).fetchall()
    con.close()
    return time.perf_counter() - started


def run_evaluation(folder: Path, policy: Policy) -> tuple[float, int, int]:
    """Seconds for one evaluation, the cohort size and member-months in the panel."""
    started = time.perf_counter()
    result = evaluate(folder, SPEC, policy)
    return time.perf_counter() - started, result.cohort, len(result.panel)


def main() -> None:
    """Parse arguments, run, print a Markdown table row."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    folder, made = dataset(args.workdir, args.members, args.seed)
    if made is not None:
        print(f"generated {args.members:,} members in {made:.1f} s")
    policy = Policy.load()
    base, runs = [], []
    cohort = rows = 0
    for _ in range(args.repeat):
        base.append(baseline(folder))
        seconds, cohort, rows = run_evaluation(folder, policy)
        runs.append(seconds)
    b, e = statistics.median(base), statistics.median(runs)
    lines = duckdb.sql(f"SELECT count(*) FROM '{folder}/medical_claim.parquet'").fetchall()[0][0]
    print("| members | claim lines | cohort | panel member-months | baseline | evaluate | ratio |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.members:,} | {lines:,} | {cohort:,} | {rows:,} | {b:.1f} s | {e:.1f} s "
        f"| {e / b:.1f}x |"
    )


if __name__ == "__main__":
    main()
