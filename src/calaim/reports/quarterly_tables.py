"""The quarterly report's ECM breakdowns, counted in DuckDB with GROUPING SETS.

The report hands over plain columns: one row per member (the breakdown fields), one per member
and measure, one per member and eligible Population of Focus. One grouped query counts the
distinct members of each measure in total and by adult/child, age band, county, language and
sex; a second counts them by Population of Focus (a member eligible for several counts in
each; members of a measure with no eligible population count as "unknown").
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from calaim.ops.read_models.quarterly import MemberRow

ADULT_AGE = 21
AGE_BANDS = ((0, 20), (21, 34), (35, 49), (50, 64), (65, 200))
UNKNOWN = "unknown"
BREAKDOWNS = ("adult_child", "age_band", "county", "language", "sex")
Counts = dict[str, int]  # measure -> distinct members
Tables = dict[str, dict[str, Counts]]  # table -> row key -> measure -> members


def band_label(low: int, high: int) -> str:
    """The age band key, e.g. `21-34` (the last is `65+`)."""
    return f"{low}+" if high >= 200 else f"{low}-{high}"


def _band_sql() -> str:
    whens = " ".join(
        f"WHEN age BETWEEN {low} AND {high} THEN '{band_label(low, high)}'"
        for low, high in AGE_BANDS
    )
    return f"CASE {whens} ELSE '{UNKNOWN}' END"


def _people(members: Sequence[MemberRow]) -> pa.Table:
    """The members as an Arrow table keyed by their position (no per-row strings)."""
    return pa.table({
        "member": pa.array(range(len(members)), pa.int64()),
        "birth_date": pa.array([m.birth_date for m in members], pa.date32()),
        "county": pa.array([m.county for m in members], pa.string()),
        "language": pa.array([m.language for m in members], pa.string()),
        "sex": pa.array([m.sex for m in members], pa.string()),
    })  # fmt: skip


def _pairs(
    index: dict[uuid.UUID, int], rows: Iterable[tuple[uuid.UUID, str]], name: str
) -> pa.Table:
    listed = [(index[m], value) for m, value in rows if m in index]
    return pa.table({
        "member": pa.array([m for m, _ in listed], pa.int64()),
        name: pa.array([v for _, v in listed], pa.string()),
    })  # fmt: skip


def ecm_tables(
    members: Sequence[MemberRow],
    facts: Iterable[tuple[uuid.UUID, str]],
    populations: Iterable[tuple[uuid.UUID, str]],
    end: dt.date,
) -> tuple[Tables, Counts]:
    """The breakdown tables and the total of each measure (see the module docstring)."""
    index = {m.id: position for position, m in enumerate(members)}
    people = _people(members)
    fact = _pairs(index, facts, "measure")
    pops = _pairs(index, populations, "population")
    con = duckdb.connect()
    try:
        for name, frame in (("people", people), ("fact", fact), ("pops", pops)):
            con.register(name, frame)
        grouped = con.execute(f"""
        WITH f AS (
          SELECT fact.member, fact.measure,
            date_sub('year', people.birth_date, DATE '{end}') AS age,
            people.county, people.language, people.sex
          FROM fact JOIN people USING (member)),
        k AS (
          SELECT member, measure,
            CASE WHEN age >= {ADULT_AGE} THEN 'adult' ELSE 'child' END AS adult_child,
            {_band_sql()} AS age_band,
            coalesce(nullif(county, ''), '{UNKNOWN}') AS county,
            coalesce(nullif(lower(trim(language)), ''), '{UNKNOWN}') AS language,
            coalesce(nullif(upper(sex), ''), 'U') AS sex
          FROM f)
        SELECT measure, {", ".join(BREAKDOWNS)}, count(DISTINCT member)
        FROM k GROUP BY GROUPING SETS ((measure),
          {", ".join(f"(measure, {b})" for b in BREAKDOWNS)})""").fetchall()
        by_population = con.execute(f"""
        SELECT fact.measure, coalesce(pops.population, '{UNKNOWN}'),
          count(DISTINCT fact.member)
        FROM fact JOIN people USING (member) LEFT JOIN pops USING (member)
        GROUP BY ALL""").fetchall()
    finally:
        con.close()
    tables: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(dict))
    totals: Counts = {}
    for measure, *keys, count in grouped:
        found = [(name, key) for name, key in zip(BREAKDOWNS, keys, strict=True) if key is not None]
        if not found:
            totals[measure] = int(count)
        for name, key in found:
            tables[name][key][measure] = int(count)
    for measure, population, count in by_population:
        tables["population"][population][measure] = int(count)
    return {name: dict(rows) for name, rows in tables.items()}, totals
