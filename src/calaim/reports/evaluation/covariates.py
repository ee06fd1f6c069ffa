"""Covariates of each unit at its start month: who the member is and their prior-period use.

Population of Focus is a proxy read from the data contract (not the engine's determination,
which needs a full identification run per start month): the first that applies of
experiencing homelessness (a housing status other than `housed` in the pre-period), justice
involved (released from incarceration in the pre-period), serious mental illness or substance
use disorder (`smhs` or `dmc` program enrollment), high utilizer (5+ ED visits or 3+ hospital
admissions in the pre-period), child or youth (under 21), else `none of these`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from calaim.reports.evaluation.spec import EvaluationSpec

NUMERIC = ("age", "pre_ed_visits", "pre_ip_admits", "pre_ip_days", "pre_snf_days", "pre_paid")
CATEGORICAL = ("age_band", "sex", "race_ethnicity", "language", "county", "pof")
# Language names as plans record them, read as the ISO 639-1 codes the contract prefers.
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "chinese": "zh",
    "cantonese": "zh",
    "mandarin": "zh",
    "vietnamese": "vi",
    "tagalog": "tl",
    "korean": "ko",
    "russian": "ru",
    "arabic": "ar",
    "armenian": "hy",
    "farsi": "fa",
    "persian": "fa",
    "hmong": "hmn",
    "khmer": "km",
    "cambodian": "km",
    "punjabi": "pa",
    "japanese": "ja",
    "lao": "lo",
    "hindi": "hi",
    "portuguese": "pt",
    "thai": "th",
    "ukrainian": "uk",
}
START = "make_date((u.m0 // 12)::INTEGER, (u.m0 % 12 + 1)::INTEGER, 1)"


def _optional(con: duckdb.DuckDBPyConnection, table: str, sql: str, empty: str) -> str:
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    names |= {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    return sql if table in names else empty


def _pof_sql(con: duckdb.DuckDBPyConnection, spec: EvaluationSpec) -> str:
    pre = f"{START} - INTERVAL {spec.pre_months} MONTH"
    homeless = _optional(
        con,
        "housing_status",
        f"""EXISTS (SELECT 1 FROM housing_status h WHERE h.person_id = u.person_id
            AND h.status <> 'housed' AND h.observed_date >= {pre} AND h.observed_date < {START})""",
        "false",
    )
    justice = _optional(
        con,
        "incarceration",
        f"""EXISTS (SELECT 1 FROM incarceration i WHERE i.person_id = u.person_id
            AND i.release_date >= {pre} AND i.release_date < {START})""",
        "false",
    )
    smi = _optional(
        con,
        "program_enrollment",
        f"""EXISTS (SELECT 1 FROM program_enrollment g WHERE g.person_id = u.person_id
            AND g.program IN ('smhs', 'dmc') AND g.start_date < {START}
            AND coalesce(g.end_date, {START}) >= {pre})""",
        "false",
    )
    return f"""CASE WHEN {homeless} THEN 'experiencing homelessness'
      WHEN {justice} THEN 'justice involved' WHEN {smi} THEN 'mental illness or SUD'
      WHEN pre_ed_visits >= 5 OR pre_ip_admits >= 3 THEN 'high utilizer'
      WHEN age < 21 THEN 'child or youth' ELSE 'none of these' END"""


def covariates(con: duckdb.DuckDBPyConnection, spec: EvaluationSpec) -> pd.DataFrame:
    """One row per unit: person, start month, treated flag, demographics, prior use, PoF."""
    pre = f"o.m BETWEEN u.m0 - {spec.pre_months} AND u.m0 - 1"
    base = f"""
    SELECT u.person_id, u.m0, u.treated,
      any_value(floor(date_diff('day', s.birth_date, {START}) / 365.25)) AS age,
      any_value(coalesce(s.gender, 'unknown')) AS sex,
      any_value(CASE WHEN s.ethnicity = 'hispanic or latino' THEN 'hispanic or latino'
        ELSE coalesce(s.race, 'unknown') END) AS race_ethnicity,
      any_value(lower(trim(coalesce(s.language, 'unknown')))) AS language,
      any_value(coalesce(s.county, 'unknown')) AS county
    FROM ev_units u JOIN eligibility s ON s.person_id = u.person_id
      AND s.enrollment_start_date <= {START} + INTERVAL 1 MONTH - INTERVAL 1 DAY
      AND coalesce(s.enrollment_end_date, {START}) >= {START} - INTERVAL 1 MONTH
    GROUP BY u.person_id, u.m0, u.treated"""
    prior = f"""
    SELECT u.person_id, u.m0, coalesce(sum(o.ed_visits), 0) AS pre_ed_visits,
      coalesce(sum(o.ip_admits), 0) AS pre_ip_admits, coalesce(sum(o.ip_days), 0) AS pre_ip_days,
      coalesce(sum(o.snf_days), 0) AS pre_snf_days,
      coalesce(sum(o.total_paid), 0)::DOUBLE AS pre_paid
    FROM ev_units u LEFT JOIN ev_outcome o ON o.person_id = u.person_id AND {pre}
    GROUP BY u.person_id, u.m0"""
    sql = f"""
    SELECT u.*, {_pof_sql(con, spec)} AS pof,
      CASE WHEN age < 21 THEN '0-20' WHEN age < 35 THEN '21-34' WHEN age < 50 THEN '35-49'
        WHEN age < 65 THEN '50-64' ELSE '65+' END AS age_band
    FROM (SELECT b.*, p.* EXCLUDE (person_id, m0) FROM ({base}) b
          JOIN ({prior}) p USING (person_id, m0)) u
    ORDER BY u.treated DESC, u.m0, u.person_id"""
    frame = con.execute(sql).df()
    frame["language"] = frame["language"].map(lambda v: LANGUAGE_CODES.get(v, v))
    for column in ("age", *NUMERIC[1:]):
        frame[column] = frame[column].astype(float)
    return frame
