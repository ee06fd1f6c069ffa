"""Benchmark: identify a synthetic population end to end, against a plain DuckDB baseline.

Not a test. For each population size it generates (or reuses) a Parquet dataset, then, in the
same process and alternating runs, times:

- the baseline: one DuckDB query counting ED visits per member over the same claims;
- `identify`: validation, every program for every member, determinations + evidence written;
  once with the long determinations (every member x program) and once with the compact
  layout (only the rows that are not `not_eligible`).

It reports medians, members per second and the ratio identify / baseline (ratios are robust
on a noisy machine). Peak memory is measured in a separate child process per size (the
child's maximum resident set), optionally under a DuckDB memory limit to show that work larger
than the limit spills to disk instead of failing.

    uv run python bench/identify_bench.py --members 1000000 --repeat 3
    uv run python bench/identify_bench.py --members 1000000 --memory-limit 2GB
    uv run python bench/identify_bench.py --members 1000000 --repeat 1 --spark

With --spark the same run is also made on the Spark backend (local session): its time, its
ratio to the baseline, and the DuckDB/Spark parity (rows of each output missing from the other,
which must be 0).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from calaim.data.synth import generate
from calaim.engine.identify import identify

AS_OF = dt.date(2025, 10, 1)
BASELINE_SQL = """
SELECT person_id, count(DISTINCT coalesce(claim_line_start_date, claim_start_date)) AS visits
FROM read_parquet('{claims}')
WHERE revenue_center_code IN ('0450', '0451', '0452', '0456', '0459', '0981')
   OR place_of_service_code = '23'
   OR hcpcs_code IN ('99281', '99282', '99283', '99284', '99285')
GROUP BY person_id
"""


def dataset(workdir: Path, members: int, seed: int) -> tuple[Path, float | None]:
    """The Parquet dataset for this size (generated once and cached)."""
    folder = workdir / f"synth-{members}-{seed}"
    if (folder / "eligibility.parquet").exists():
        return folder, None
    started = time.perf_counter()
    generate(folder, members=members, seed=seed, fmt="parquet")
    return folder, time.perf_counter() - started


def baseline(folder: Path) -> float:
    """Seconds for the single-scan ED count (fully materialized)."""
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        f"CREATE TABLE ed AS {BASELINE_SQL.format(claims=folder / 'medical_claim.parquet')}"
    ).fetchall()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def run_identify(folder: Path, out: Path, memory_limit: str | None, layout: str = "long") -> float:
    """Seconds for identify end to end."""
    started = time.perf_counter()
    identify(folder, AS_OF, out, memory_limit=memory_limit, layout=layout)
    return time.perf_counter() - started


def _child(folder: str, out: str, memory_limit: str | None, queue: Any) -> None:
    seconds = run_identify(Path(folder), Path(out), memory_limit)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak_kib))


def peak_memory(folder: Path, out: Path, memory_limit: str | None) -> tuple[float, float]:
    """(seconds, peak resident MiB) of identify in a fresh process."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(str(folder), str(out), memory_limit, queue))
    process.start()
    seconds, peak_kib = queue.get()
    process.join()
    return seconds, peak_kib / 1024


def missing_rows(left: Path, right: Path) -> int:
    """Rows of `left` not in `right` plus rows of `right` not in `left` (0: the same rows)."""
    query = "SELECT count(*) FROM (SELECT * FROM '{}' EXCEPT ALL SELECT * FROM '{}')"
    one = duckdb.execute(query.format(left, right)).fetchall()[0][0]
    other = duckdb.execute(query.format(right, left)).fetchall()[0][0]
    return int(one) + int(other)


def spark_figures(folder: Path, duck_out: Path, scratch: Path, base: float) -> dict[str, Any]:
    """Identify on Spark (a local session, started outside the timing) and compare."""
    from calaim.engine.backends.spark_backend import SparkBackend, spark_session

    session = spark_session()
    out = scratch / "spark.parquet"
    started = time.perf_counter()
    identify(folder, AS_OF, out, backend=SparkBackend(session))
    seconds = time.perf_counter() - started
    duck_evidence, spark_evidence = (
        scratch / "determinations.evidence.parquet",
        scratch / "spark.evidence.parquet",
    )
    return {
        "spark_s": round(seconds, 2),
        "ratio_spark_to_baseline": round(seconds / base, 1),
        "parity_determinations_rows_differing": missing_rows(duck_out, out),
        "parity_evidence_rows_differing": missing_rows(duck_evidence, spark_evidence),
    }


def bench(members: int, args: argparse.Namespace) -> dict[str, Any]:
    """Run one size and return its figures."""
    folder, generated = dataset(args.workdir, members, args.seed)
    claims = duckdb.execute(
        f"SELECT count(*) FROM read_parquet('{folder / 'medical_claim.parquet'}')"
    ).fetchall()[0][0]
    base_times, identify_times, compact_times = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "determinations.parquet"
        compact = Path(scratch) / "compact.parquet"
        for _ in range(args.repeat):
            base_times.append(baseline(folder))
            identify_times.append(run_identify(folder, out, args.memory_limit))
            compact_times.append(run_identify(folder, compact, args.memory_limit, "compact"))
        child_seconds, peak_mib = (
            peak_memory(folder, out, args.memory_limit) if args.peak else (None, None)
        )
        base, ident = statistics.median(base_times), statistics.median(identify_times)
        small = statistics.median(compact_times)
        spark = spark_figures(folder, out, Path(scratch), base) if args.spark else {}
    return {
        **spark,
        "members": members,
        "claim_lines": claims,
        "generate_seconds": generated,
        "baseline_median_s": round(base, 3),
        "identify_median_s": round(ident, 3),
        "identify_runs_s": [round(t, 2) for t in identify_times],
        "ratio_identify_to_baseline": round(ident / base, 1),
        "identify_compact_median_s": round(small, 3),
        "identify_compact_runs_s": [round(t, 2) for t in compact_times],
        "ratio_compact_to_baseline": round(small / base, 1),
        "members_per_second": round(members / ident),
        "peak_rss_mib": round(peak_mib) if peak_mib is not None else None,
        "peak_run_s": round(child_seconds, 2) if child_seconds is not None else None,
        "memory_limit": args.memory_limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 2GB")
    parser.add_argument("--spark", action="store_true", help="also run on Spark, with parity")
    parser.add_argument(
        "--no-peak", dest="peak", action="store_false", help="skip the peak-memory child run"
    )
    parser.add_argument("--workdir", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for members in args.members:
        figures = bench(members, args)
        print(json.dumps(figures, indent=2))
        with (args.workdir / "identify_bench.jsonl").open("a") as log:
            log.write(json.dumps({"when": dt.datetime.now().isoformat(), **figures}) + "\n")


if __name__ == "__main__":
    main()
