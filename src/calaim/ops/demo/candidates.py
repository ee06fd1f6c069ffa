"""Members the demo's recuperative care stories can serve: homeless and just out of hospital.

The synthetic population seldom has one: L.A. Care's overlay (plans/LACARE.yaml) wants a
member in a hospital or nursing facility now, or discharged from one in the last 14 days
(`plans.lacare.recuperative_care_discharge_days`), on top of the statewide rule
(rules/cs/recuperative_care.yaml: homeless or unstably housed, and recovering from an acute
illness or injury). So before identification the demo adds, for a few adult L.A. Care members
with no housing history (speaking English or Spanish, as the stories need), what a hospital's
discharge planner would have recorded: sleeping outside last month, and a hospital stay that
ended a week before the demo's date. The engine then finds them eligible like anyone else;
nothing here decides eligibility.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

PLAN = "LACARE"
RECUPERATIVE_CARE = "cs.recuperative_care"
# The recuperative care stories take 7 members (referrals, stays, the network's routing and its
# August), two of them by language; 6 of each language leave spares whichever the others take.
CANDIDATES = {"en": 6, "es": 6}
# Days before the demo's date: the street outreach that found them, admission, discharge.
OUTREACH_DAYS, ADMITTED_DAYS, DISCHARGED_DAYS = 30, 12, 7
HOUSING_COLUMNS = ("person_id", "observed_date", "status", "source")
STAY_COLUMNS = ("person_id", "facility_type", "admission_date", "discharge_date")


def plant_recuperative_care(
    data: Path, as_of: dt.date, quotas: dict[str, int] | None = None
) -> list[str]:
    """Add housing and hospital records for members (how many per language: `quotas`);
    return their person ids."""
    tables = {name: data / f"{name}.parquet" for name in ("eligibility", "housing_status")}
    tables["facility_stay"] = data / "facility_stay.parquet"
    con = duckdb.connect()
    try:
        chosen = [
            person
            for language, count in (quotas or CANDIDATES).items()
            for person in _chosen(con, tables, as_of, language, count)
        ]
        housing = _housing_rows(chosen, as_of)
        stays = _stay_rows(chosen, as_of)
        _append(con, tables["housing_status"], HOUSING_COLUMNS, housing)
        _append(con, tables["facility_stay"], STAY_COLUMNS, stays)
    finally:
        con.close()
    return chosen


def _chosen(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, Path],
    as_of: dt.date,
    language: str,
    count: int,
) -> list[str]:
    # Adults 26-64 enrolled in L.A. Care only (one member record, so a referrer's look-up by
    # CIN finds one), alive and covered on the date, with no housing or facility history of
    # their own that a planted row would contradict.
    rows = con.execute(
        """
        WITH spans AS (SELECT * FROM read_parquet($eligibility))
        SELECT person_id FROM spans
        GROUP BY person_id
        HAVING count(DISTINCT payer) = 1 AND min(payer) = $plan AND min(language) = $language
          AND bool_or(enrollment_start_date <= $as_of
                      AND coalesce(enrollment_end_date, $as_of) >= $as_of)
          AND bool_and(death_date IS NULL OR death_date > $as_of)
          AND min(date_diff('year', birth_date, $as_of)) BETWEEN 26 AND 64
          AND person_id NOT IN (SELECT person_id FROM read_parquet($housing))
          AND person_id NOT IN (SELECT person_id FROM read_parquet($stays))
        ORDER BY person_id
        LIMIT $count
        """,
        {
            "eligibility": str(tables["eligibility"]),
            "housing": str(tables["housing_status"]),
            "stays": str(tables["facility_stay"]),
            "plan": PLAN,
            "language": language,
            "as_of": as_of,
            "count": count,
        },
    ).fetchall()
    return [str(person_id) for (person_id,) in rows]


def _housing_rows(people: list[str], as_of: dt.date) -> list[tuple[object, ...]]:
    seen = as_of - dt.timedelta(days=OUTREACH_DAYS)
    return [(person, seen, "unsheltered", "street medicine outreach") for person in people]


def _stay_rows(people: list[str], as_of: dt.date) -> list[tuple[object, ...]]:
    admitted = as_of - dt.timedelta(days=ADMITTED_DAYS)
    discharged = as_of - dt.timedelta(days=DISCHARGED_DAYS)
    return [(person, "acute_hospital", admitted, discharged) for person in people]


def _append(
    con: duckdb.DuckDBPyConnection,
    table: Path,
    columns: tuple[str, ...],
    rows: list[tuple[object, ...]],
) -> None:
    """Rewrite `table` with `rows` (values of `columns`) added: to a temporary file, renamed."""
    if not rows:
        return
    source = f"read_parquet('{table}')"
    con.execute(f"CREATE OR REPLACE TEMP TABLE added AS SELECT * FROM {source} LIMIT 0")
    marks = ", ".join("?" for _ in columns)
    con.executemany(f"INSERT INTO added ({', '.join(columns)}) VALUES ({marks})", rows)
    tmp = table.with_name(f".{table.name}.tmp")
    union = f"SELECT * FROM {source} UNION ALL SELECT * FROM added"
    con.execute(f"COPY ({union}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
    os.replace(tmp, table)
