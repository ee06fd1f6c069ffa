"""The evaluation panel in DuckDB: cohort, comparison pool, covariates and member-month outcomes.

Tables made on the connection (all temporary, prefixed `ev_`):
- `ev_first`: each member's first claim line of the evaluated program (HCPCS + modifier).
- `ev_enrolled`: enrolled member-months inside the evaluation window.
- `ev_units`: the cohort (first service in the period, enrolled in the start month and the one
  before) and a comparison pool per start month: members who never had the service, enrolled
  in that month and the one before, taken in a seeded hash order up to `pool_ratio` per
  cohort member.
- `ev_outcome`: outcomes per member and month for the units' members.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from calaim.engine.compile.sources import LINE_DATE, MODIFIER_COLUMNS, code_match_sql
from calaim.engine.loading.resolve import ResolvedPolicy
from calaim.reports.evaluation.spec import EvaluationError, EvaluationSpec, month_index

MONTH = "(year({d}) * 12 + month({d}) - 1)"
# The claim columns the outcomes read: `ev_claim` keeps only these, so the claims' other
# columns (25 diagnoses and more, each typed and normalized by the input view) are never built.
CLAIM_COLUMNS = (
    "person_id", "claim_id", "claim_type", "claim_start_date", "claim_end_date",
    "claim_line_start_date", "admission_date", "discharge_date", "bill_type_code",
    "revenue_center_code", "place_of_service_code", "hcpcs_code", *MODIFIER_COLUMNS,
    "paid_amount",
)  # fmt: skip


def service_codes(resolved: ResolvedPolicy, program_id: str) -> list[tuple[str, str]]:
    """The (HCPCS, modifier) pairs that mark a service of the program (ECM outreach excluded)."""
    pairs = sorted(
        {
            (c.hcpcs, c.modifier)
            for c in resolved.service_codes
            if c.program_id == program_id and c.unit != "attempt"
        }
    )
    if not pairs:
        known = sorted({c.program_id for c in resolved.service_codes})
        raise EvaluationError(
            f"--program {program_id!r} has no service codes; use one of: {', '.join(known)}"
        )
    return pairs


def is_service_sql(pairs: Sequence[tuple[str, str]]) -> str:
    """Condition: a claim line carries one of the program's code + modifier pairs."""
    mods = ", ".join(MODIFIER_COLUMNS)
    return " OR ".join(
        f"(hcpcs_code = '{code}' AND list_contains([{mods}], '{mod}'))" for code, mod in pairs
    )


def _month(column: str) -> str:
    return MONTH.format(d=column)


def build_units(
    con: duckdb.DuckDBPyConnection, spec: EvaluationSpec, pairs: Sequence[tuple[str, str]]
) -> None:
    """Create `ev_first`, `ev_enrolled` and `ev_units` (see the module docstring)."""
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ev_first AS
    SELECT person_id, min({LINE_DATE}) AS first_date FROM medical_claim
    WHERE ({is_service_sql(pairs)}) AND {LINE_DATE} <= DATE '{spec.as_of}'
    GROUP BY person_id""")
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ev_enrolled AS
    SELECT DISTINCT person_id, m FROM (
      SELECT person_id, unnest(range(
        greatest({_month("enrollment_start_date")}, {spec.first_month}),
        least({_month(f"coalesce(enrollment_end_date, DATE '{spec.as_of}')")},
              {spec.last_month}) + 1)) AS m
      FROM eligibility)""")
    start, end = month_index(spec.start), month_index(spec.end)
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ev_treated AS
    SELECT f.person_id, {_month("f.first_date")} AS m0 FROM ev_first f
    WHERE f.first_date BETWEEN DATE '{spec.start}' AND DATE '{spec.end}'
      AND EXISTS (SELECT 1 FROM ev_enrolled e WHERE e.person_id = f.person_id
                  AND e.m = {_month("f.first_date")})
      AND EXISTS (SELECT 1 FROM ev_enrolled e WHERE e.person_id = f.person_id
                  AND e.m = {_month("f.first_date")} - 1)""")
    treated = con.execute("SELECT count(*) FROM ev_treated").fetchall()[0][0]
    if treated == 0:
        raise EvaluationError(
            f"no member had a first {spec.program_id} service between {spec.start} and "
            f"{spec.end} while enrolled; choose another period or program"
        )
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ev_units AS
    WITH need AS (SELECT m0, count(*) * {spec.pool_ratio} AS n FROM ev_treated GROUP BY m0),
    pool AS (
      SELECT e.person_id, e.m AS m0,
        row_number() OVER (PARTITION BY e.m ORDER BY hash(e.person_id, e.m, {spec.seed}),
                           e.person_id) AS r
      FROM ev_enrolled e JOIN ev_enrolled b ON b.person_id = e.person_id AND b.m = e.m - 1
      WHERE e.m BETWEEN {start} AND {end}
        AND NOT EXISTS (SELECT 1 FROM ev_first f WHERE f.person_id = e.person_id))
    SELECT person_id, m0, true AS treated FROM ev_treated
    UNION ALL
    SELECT p.person_id, p.m0, false FROM pool p JOIN need USING (m0) WHERE p.r <= need.n
    ORDER BY treated DESC, m0, person_id""")


def build_outcomes(
    con: duckdb.DuckDBPyConnection,
    spec: EvaluationSpec,
    resolved: ResolvedPolicy,
    pairs: Sequence[tuple[str, str]],
) -> None:
    """Create `ev_outcome`: per member and month, ED visits, stays, days and paid amounts."""
    d = resolved.value_sets
    ed = " OR ".join(
        (
            code_match_sql("revenue_center_code", d["ed_revenue_codes"]),
            code_match_sql("place_of_service_code", d["ed_place_of_service"]),
            code_match_sql("hcpcs_code", d["ed_procedure_codes"]),
        )
    )
    acute = code_match_sql("bill_type_code", d["inpatient_bill_types"])
    snf = code_match_sql("bill_type_code", d["snf_bill_types"])
    window = f"BETWEEN {spec.first_month} AND {spec.last_month}"
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ev_claim AS
    SELECT {", ".join(f"c.{name}" for name in CLAIM_COLUMNS)} FROM medical_claim c
    WHERE c.person_id IN (SELECT DISTINCT person_id FROM ev_units)
      AND {_month(LINE_DATE)} {window} AND {LINE_DATE} <= DATE '{spec.as_of}'""")
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ev_outcome AS
    WITH lines AS (
      SELECT person_id, {_month(LINE_DATE)} AS m,
        CASE WHEN ({ed}) THEN {LINE_DATE} END AS ed_date,
        coalesce(paid_amount, 0) AS paid, coalesce({is_service_sql(pairs)}, false) AS service
      FROM ev_claim),
    money AS (
      SELECT person_id, m, count(DISTINCT ed_date) AS ed_visits,
        sum(paid) FILTER (WHERE NOT service) AS total_paid,
        sum(paid) FILTER (WHERE service) AS service_paid
      FROM lines GROUP BY ALL),
    stays AS (
      SELECT person_id, claim_id, bool_or({acute}) AS acute,
        min(coalesce(admission_date, claim_start_date)) AS adm,
        max(coalesce(discharge_date, claim_end_date, claim_start_date)) AS dis
      FROM ev_claim WHERE claim_type <> 'professional' AND (({acute}) OR ({snf}))
      GROUP BY ALL),
    stay_months AS (
      SELECT person_id, {_month("adm")} AS m,
        count(DISTINCT adm) FILTER (WHERE acute) AS ip_admits,
        sum(greatest(1, dis - adm)) FILTER (WHERE acute) AS ip_days,
        sum(greatest(1, dis - adm)) FILTER (WHERE NOT acute) AS snf_days
      FROM stays GROUP BY ALL)
    SELECT person_id, m, coalesce(ed_visits, 0) AS ed_visits,
      coalesce(ip_admits, 0) AS ip_admits, coalesce(ip_days, 0) AS ip_days,
      coalesce(snf_days, 0) AS snf_days,
      coalesce(total_paid, 0)::DECIMAL(18, 2) AS total_paid,
      coalesce(service_paid, 0)::DECIMAL(18, 2) AS service_paid
    FROM money FULL JOIN stay_months USING (person_id, m)""")
