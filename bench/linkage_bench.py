"""Roster reconciliation benchmark: a messy roster of ~N rows linked against N known people.

    uv run python bench/linkage_bench.py --people 100000 --repeat 3

Synthesizes (in DuckDB, seeded by hashes) N known people and a roster of them with noise:
typos, swapped first/last names, moved ZIP codes, new phones, missing CINs, duplicates,
dropped members and new people. The roster is written as CSV once (not timed). Each run, in
the same process and alternating with the baseline, times:

- **baseline**: an exact CIN join of the normalized roster to the known people in DuckDB;
- **read + check**: `reader.read_roster` and `checks.check_and_normalize` on the CSV (every
  cell check, then normalization into `incoming`);
- **link**: `core.run_linkage` (Splink 5 on DuckDB: dedupe within the file, predict_between
  known and incoming, clustering, best known match per cluster).

The store side (loading the known people from the database, per-row classification and ORM
writes) is not timed here. Accuracy is counted against the synthetic truth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from calaim.exchange.linkage.checks import check_and_normalize
from calaim.exchange.linkage.core import LINKED, run_linkage
from calaim.exchange.linkage.model import linkage_model
from calaim.exchange.linkage.reader import read_roster

AS_OF = dt.date(2026, 1, 1)
SYLLABLES = [
    "an", "be", "ca", "do", "el", "fa", "gi", "ha", "is", "jo", "ka", "lu", "ma", "ne", "ol",
    "pa", "qu", "ra", "si", "to", "ur", "va", "wi", "xo", "ya", "ze", "mar", "son", "lin", "dez",
]  # fmt: skip


def _pick(seed: str, n: int = 3) -> str:
    """A name of `n` syllables chosen by hashes of the row id (30**n distinct names)."""
    parts = [f"s[1 + cast(hash(i, '{seed}{k}') % {len(SYLLABLES)} as bigint)]" for k in range(n)]
    return "upper(" + " || ".join(parts) + ")"


def _known_sql(people: int) -> str:
    syllables = "[" + ", ".join(f"'{s}'" for s in SYLLABLES) + "]"
    return f"""
    create table known as
    with s as (select {syllables} as s), ids as (select range as i from range({people}))
    select 'k' || i as unique_id, 'p:' || i as person_key,
        cast(10000000 + i as varchar) || chr(65 + cast(i % 26 as int)) as cin,
        {_pick("f", 2)} as first_name, {_pick("l", 3)} as last_name,
        date '1935-01-01' + cast(hash(i, 'b') % 29000 as int) as birth_date,
        case when hash(i, 'x') % 2 = 0 then 'M' else 'F' end as sex,
        '9' || lpad(cast(hash(i, 'z') % 6000 as varchar), 4, '0') as zip_code,
        cast(2000000000 + hash(i, 'p') % 7999999999 as varchar) as phone
    from ids, s
    """


def _noisy(seed: str) -> str:
    """One noisy roster row per selected known person (`r(x)`: a uniform draw in [0, 100))."""

    def r(tag: str) -> str:
        return f"hash(i, '{seed}{tag}') % 100"

    return f"""
    select person_key as truth,
        case when {r("c")} < 15 then null else cin end as cin,
        case when {r("s")} < 3 then last_name
             when {r("t")} < 8 then substr(first_name, 1, 1) || substr(first_name, 3, 1)
                 || substr(first_name, 2, 1) || substr(first_name, 4)
             else first_name end as first_name,
        case when {r("s")} < 3 then first_name else last_name end as last_name,
        strftime(birth_date, '%m/%d/%Y') as birth_date, sex,
        case when {r("m")} < 10 then '9' || lpad(cast(hash(i, '{seed}z') % 6000 as varchar), 4,
            '0') else zip_code end as zip_code,
        case when {r("p")} < 5 then cast(2000000000 + hash(i, '{seed}p') % 7999999999
            as varchar) else phone end as phone
    from known_ids where hash(i, 'drop') % 100 >= 2
    """


def synthesize(con: duckdb.DuckDBPyConnection, people: int, roster: Path) -> int:
    """Build `known`, and write the messy roster as CSV; the roster's row count."""
    con.execute(_known_sql(people))
    con.execute("create temp view known_ids as select *, cast(substr(unique_id, 2) as bigint) "
                "as i from known")  # fmt: skip
    new = """
    select null as truth, cast(50000000 + i as varchar) || 'N' as cin,
        first_name || 'A' as first_name, 'NEW' || last_name as last_name,
        strftime(birth_date + 3, '%m/%d/%Y') as birth_date, sex, zip_code,
        cast(3000000000 + i as varchar) as phone
    from known_ids where hash(i, 'new') % 100 < 3
    """
    dups = _noisy("d").replace("where hash(i, 'drop') % 100 >= 2", "where hash(i, 'dup') % 100 < 2")
    con.execute(
        f"""copy (select truth as "Member ID", cin as "CIN", first_name as "First Name",
            last_name as "Last Name", birth_date as "DOB", sex as "Sex", zip_code as "ZIP",
            phone as "Phone"
        from ({_noisy("a")} union all {dups} union all {new}) order by hash(truth, cin))
        to '{roster}' (header, delimiter ',')"""
    )
    return int(con.execute(f"select count(*) from read_csv('{roster}')").fetchall()[0][0])


def _connection(known: Path, threads: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    con.execute(f"create table known as from read_parquet('{known}')")
    return con


def baseline(known: Path, roster: Path, threads: int) -> float:
    """Exact CIN join of the normalized roster to the known people (seconds)."""
    con = _connection(known, threads)
    start = time.perf_counter()
    con.execute(
        f"create table exact as select r.*, k.person_key from read_csv('{roster}', "
        "all_varchar = true) r left join known k on k.cin = upper(trim(r.CIN))"
    )
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def calaim_run(known: Path, roster: Path, threads: int) -> tuple[float, float, dict[str, int]]:
    """read + check, then link (seconds each), and the accuracy counts."""
    con = _connection(known, threads)
    start = time.perf_counter()
    headers = read_roster(con, roster, roster.name)
    check_and_normalize(con, roster.name, headers, AS_OF)
    read = time.perf_counter() - start
    start = time.perf_counter()
    run_linkage(con, linkage_model())
    link = time.perf_counter() - start
    counts = accuracy(con)
    con.close()
    return read, link, counts


def accuracy(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows linked to their true person, to another, or left unmatched (threshold 0.9)."""
    threshold = linkage_model().thresholds.match
    row = con.execute(
        f"""select
        count(*) filter (where match_probability >= {threshold} and person_key = member_id),
        count(*) filter (where match_probability >= {threshold} and person_key <> member_id),
        count(*) filter (where member_id is not null
            and coalesce(match_probability, 0) < {threshold}),
        count(*) filter (where member_id is null and match_probability >= {threshold})
        from {LINKED}"""
    ).fetchall()[0]
    return dict(zip(("right", "wrong", "missed", "new_matched"), map(int, row), strict=True))


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({', '.join(f'{v:.1f}' for v in values)})"


def main() -> None:
    """Run the benchmark and print a Markdown line of results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="linkage-bench-") as folder:
        known, roster = Path(folder) / "known.parquet", Path(folder) / "roster.csv"
        con = duckdb.connect()
        start = time.perf_counter()
        rows = synthesize(con, args.people, roster)
        con.execute(f"copy known to '{known}' (format parquet)")
        con.close()
        print(f"synthesized {args.people} known, {rows} roster rows in "
              f"{time.perf_counter() - start:.1f} s; load {os.getloadavg()}")  # fmt: skip
        results = measure(known, roster, args.threads, args.repeat)
    base, read, link, counts = results
    total = [r + k for r, k in zip(read, link, strict=True)]
    ratio = statistics.median(total) / statistics.median(base)
    print(f"| {args.people:,} | {rows:,} | {_median(base)} | {_median(read)} | {_median(link)} "
          f"| {_median(total)} | {ratio:.0f}x | {counts} |")  # fmt: skip


def measure(
    known: Path, roster: Path, threads: int, repeat: int
) -> tuple[list[float], list[float], list[float], dict[str, int]]:
    """Alternate baseline and calaim runs; every time, and the last accuracy counts."""
    base: list[float] = []
    read: list[float] = []
    link: list[float] = []
    counts: dict[str, int] = {}
    for index in range(repeat):
        base.append(baseline(known, roster, threads))
        r, k, counts = calaim_run(known, roster, threads)
        read.append(r)
        link.append(k)
        print(f"run {index + 1}: baseline {base[-1]:.2f} s, read+check {r:.2f} s, link {k:.2f} s")
    return base, read, link, counts


if __name__ == "__main__":
    main()
