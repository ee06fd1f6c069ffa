"""generate(): write a deterministic synthetic Medi-Cal population in the input contract format.

The whole population is built inside one in-memory DuckDB connection with set-based SQL and
hash-based randomness, so a run is reproducible to the row and fast enough for a million
members. Each table is written with COPY to a temporary name and renamed once every table is
written, so a failed run leaves an existing output folder as it was.

With `partition_size`, members are built and written in partitions of that many, one fresh
connection each, so memory is bounded by the partition whatever the population: each table
becomes a folder of Parquet files (`medical_claim/part-00000.parquet`, ...), which `identify`
reads as one table. Randomness is keyed by member index, so the partitions hold exactly the
rows of the same population generated at once.

Row order is part of the promise: every supplement table ends in an explicit ORDER BY, and
medical_claim expands the claim table `enc` (itself built with ORDER BY person, date) through
order-preserving operators only, so the output does not depend on the thread count.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Literal

import duckdb

from calaim.data.synth import claims, episodes, facts, planted, population, supplements
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.sqlkit import install_macros

Format = Literal["parquet", "csv"]
Progress = Callable[[str, int, int], None]

TABLE_SQL: dict[str, Callable[[SynthConfig], str]] = {
    "eligibility": population.eligibility_sql,
    "medical_claim": claims.medical_claim_sql,
    "housing_status": supplements.housing_status_sql,
    "program_enrollment": supplements.program_enrollment_sql,
    "incarceration": supplements.incarceration_sql,
    "pre_release_service": supplements.pre_release_service_sql,
    "pregnancy": supplements.pregnancy_sql,
    "facility_stay": supplements.facility_stay_sql,
    "member_fact": facts.member_fact_sql,
}
Step = Callable[[duckdb.DuckDBPyConnection, SynthConfig], None]
BUILD_STEPS: tuple[tuple[str, Step], ...] = (
    ("members", population.build_person),
    ("pregnancies", episodes.build_pregnancies),
    ("community supports", episodes.build_cs_episodes),
    ("ecm", episodes.build_ecm_episodes),
    ("incarcerations", supplements.build_incarcerations),
    ("encounters", claims.build_encounters),
)
COPY_OPTIONS: dict[str, str] = {
    "parquet": "FORMAT parquet, COMPRESSION zstd",
    "csv": "FORMAT csv, HEADER true, DATEFORMAT '%Y-%m-%d'",
}


def generate(
    out: Path,
    *,
    members: int,
    seed: int,
    end_date: date = date(2025, 12, 31),
    years: int = 4,
    fmt: Format = "parquet",
    progress: Progress | None = None,
    scenario: planted.Scenario | None = None,
    partition_size: int | None = None,
) -> dict[str, int]:
    """Write a deterministic contract-format dataset to `out`; return row counts per table.

    `scenario` plants known service effects (see `planted`); without one the output is the
    ordinary population. `partition_size`: build and write that many members at a time
    (Parquet only), each table a folder of part files.
    """
    if members < 1:
        raise ValueError(f"members must be at least 1 (got {members})")
    if not 1 <= years <= 20:
        raise ValueError(f"years must be between 1 and 20 (got {years})")
    if fmt not in COPY_OPTIONS:
        raise ValueError(f"format must be 'parquet' or 'csv' (got {fmt!r})")
    cfg = SynthConfig(members=members, seed=seed, end_date=end_date, years=years)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if partition_size is not None:
        if partition_size < 1:
            raise ValueError(f"partition size must be at least 1 (got {partition_size})")
        if fmt != "parquet":
            raise ValueError("partitions are written as Parquet only")
        return _generate_partitioned(out, cfg, partition_size, progress, scenario)
    steps = _steps(scenario)
    total = len(steps) + len(TABLE_SQL)
    report = progress or (lambda _step, _done, _total: None)
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        install_macros(con, seed)
        for done, (name, build) in enumerate(steps):
            report(name, done, total)
            build(con, cfg)
        counts = _write_tables(con, cfg, out, fmt, report, len(steps), total)
    finally:
        con.close()
    report("done", total, total)
    return counts


def _generate_partitioned(
    out: Path,
    cfg: SynthConfig,
    size: int,
    progress: Progress | None,
    scenario: planted.Scenario | None,
) -> dict[str, int]:
    """Build and write `size` members at a time into `<table>/part-NNNNN.parquet` folders,
    renamed into place once every partition is written."""
    report = progress or (lambda _step, _done, _total: None)
    parts = -(-cfg.members // size)
    steps = _steps(scenario)
    staging = {name: out / f".{name}.parts.tmp" for name in TABLE_SQL}
    counts = dict.fromkeys(TABLE_SQL, 0)
    try:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        for part in range(parts):
            report(f"partition {part + 1} of {parts}", part, parts)
            first = part * size
            piece = replace(cfg, first=first, count=min(size, cfg.members - first))
            con = duckdb.connect()
            try:
                con.execute("SET preserve_insertion_order = true")
                install_macros(con, cfg.seed)
                for _name, build in steps:
                    build(con, piece)
                for name, sql in TABLE_SQL.items():
                    target = staging[name] / f"part-{part:05d}.parquet"
                    copy = f"COPY ({sql(piece)}) TO '{target}' ({COPY_OPTIONS['parquet']})"
                    counts[name] += int(con.execute(copy).fetchall()[0][0])
            finally:
                con.close()
    except BaseException:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for name, folder in staging.items():
        for stale in (out / f"{name}.parquet", out / f"{name}.csv"):
            stale.unlink(missing_ok=True)
        shutil.rmtree(out / name, ignore_errors=True)
        os.replace(folder, out / name)
    report("done", parts, parts)
    return counts


def _steps(scenario: planted.Scenario | None) -> list[tuple[str, Step]]:
    """The build steps, with the planted-effects steps around the encounters when asked."""
    if scenario is None:
        return list(BUILD_STEPS)
    planted.check(scenario)
    steps: list[tuple[str, Step]] = []
    for name, build in BUILD_STEPS:
        if name == "encounters":
            steps.append(("planted uptake", partial(_uptake, scenario=scenario)))
        steps.append((name, build))
    steps.append(("planted effects", partial(_effects, scenario=scenario)))
    return steps


def _uptake(
    con: duckdb.DuckDBPyConnection, cfg: SynthConfig, *, scenario: planted.Scenario
) -> None:
    planted.add_episodes(con, cfg, scenario)


def _effects(
    con: duckdb.DuckDBPyConnection, cfg: SynthConfig, *, scenario: planted.Scenario
) -> None:
    planted.apply_effects(con, cfg, scenario)


def _write_tables(
    con: duckdb.DuckDBPyConnection,
    cfg: SynthConfig,
    out: Path,
    fmt: Format,
    report: Progress,
    done: int,
    total: int,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    written: list[tuple[Path, Path]] = []
    try:
        for name, sql in TABLE_SQL.items():
            report(name, done + len(counts), total)
            final = out / f"{name}.{fmt}"
            tmp = out / f".{name}.{fmt}.tmp"
            rows = con.execute(f"COPY ({sql(cfg)}) TO '{tmp}' ({COPY_OPTIONS[fmt]})").fetchall()
            counts[name] = int(rows[0][0])
            written.append((tmp, final))
    except BaseException:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise
    other = "csv" if fmt == "parquet" else "parquet"
    for tmp, final in written:
        # A stale copy of the table in the other format would make the folder ambiguous.
        (final.parent / f"{final.stem}.{other}").unlink(missing_ok=True)
        os.replace(tmp, final)
    return counts
