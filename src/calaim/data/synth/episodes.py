"""Episodes that several tables share: pregnancies, Community Supports stays and ECM spells.

Claims and supplement tables are both derived from these temp tables, so a pregnancy in the
`pregnancy` table has prenatal and delivery claims, a recuperative-care stay in `facility_stay`
has T2033 U6 claims, and an `ecm` program enrollment has G9012/G9008 history.
"""

from __future__ import annotations

from datetime import date

import duckdb

from calaim.data.synth.config import SynthConfig
from calaim.data.synth.services import SERVICE_COLUMNS, services_values


def build_pregnancies(con: duckdb.DuckDBPyConnection, cfg: SynthConfig) -> None:
    """Create temp table `preg`: one row per pregnancy (offsets; end null when ongoing)."""
    nd = cfg.days
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE preg AS
    SELECT idx, k, start_off, loss, dur,
      CASE WHEN start_off + dur <= {nd - 1} THEN start_off + dur END AS end_off,
      -- Most pregnancies are known to the plan as facts too; some only through claims.
      u3(idx, k, 204) < 0.8 AS recorded
    FROM (
      SELECT idx, k,
        -- One slot of coverage per pregnancy keeps repeat pregnancies apart; the last slot
        -- may run to the end of coverage, so some pregnancies are still ongoing at the end.
        dmap(floor(k * covered / n_preg + u3(idx, k, 200) * CASE WHEN k = n_preg - 1
          THEN covered / n_preg ELSE greatest(0, covered / n_preg - 300) END)::INTEGER,
          cs, gs, gl)
          AS start_off,
        u3(idx, k, 201) < 0.15 AS loss,
        CASE WHEN loss THEN 50 + floor(u3(idx, k, 202) * 80)
             ELSE 259 + floor(u3(idx, k, 203) * 32) END::INTEGER AS dur,
        age_days
      FROM (SELECT *, unnest(range(n_preg)) AS k FROM person WHERE n_preg > 0)
    )
    -- No pregnancies before age 15.
    WHERE age_days - ({nd - 1} - start_off) >= 15 * 365.25
    ORDER BY idx, k""")


def _cs_candidates() -> str:
    # ~1% of members have Community Supports history, concentrated on homeless members
    # (housing supports are ~42% of CS use statewide) and frail or chronically ill members.
    return """
    SELECT idx, cs, ce, gs, gl, covered, hl_start, hl_end,
      (homeless AND u(idx, 130) < 0.22) OR (at_risk AND u(idx, 130) < 0.05) AS a_housing,
      frail AND u(idx, 131) < 0.05 AS a_elderly,
      (dm OR chf OR ckd) AND n_ip > 0 AND u(idx, 132) < 0.04 AS a_chronic,
      asthma AND u(idx, 133) < CASE WHEN age < 21 THEN 0.012 ELSE 0.003 END AS a_asthma,
      -- A few homeless members use recuperative care then post-hospitalization housing back
      -- to back, approaching the combined 6-months-in-12 limit (policy-facts §3.1).
      homeless AND a_housing AND u(idx, 135) < 0.12 AS combo
    FROM person"""


def build_cs_episodes(con: duckdb.DuckDBPyConnection, cfg: SynthConfig) -> None:
    """Create temp table `cs_ep`: one row per Community Supports episode of a member."""
    earliest = f"(earliest - DATE '{cfg.start_date.isoformat()}')"
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE cs_ep AS
    WITH svc AS (SELECT * FROM ({services_values()}) s({SERVICE_COLUMNS})),
    pick AS (
      SELECT c.*, svc.*,
        CASE WHEN audience = 'housing' THEN hl_start + floor(u3(idx, sid, 136)
               * (CASE WHEN key = 'tenancy_sustaining' THEN 0.2 ELSE 1 END)
               * (coalesce(hl_end, ce) - hl_start))::INTEGER
               + CASE WHEN key = 'tenancy_sustaining' THEN coalesce(hl_end - hl_start, 0) ELSE 0 END
             ELSE dmap(floor(u3(idx, sid, 136) * covered)::INTEGER, cs, gs, gl) END AS raw_start,
        CASE WHEN combo AND key = 'recuperative_care' THEN 75 + floor(u3(idx, sid, 137) * 16)
             WHEN combo AND key = 'post_hospitalization' THEN 75 + floor(u3(idx, sid, 137) * 16)
             ELSE 14 + floor(u3(idx, sid, 137) * 77) END::INTEGER AS stay_days
      FROM ({_cs_candidates()}) c JOIN svc ON
        (audience = 'housing' AND a_housing) OR (audience = 'elderly' AND a_elderly)
        OR (audience = 'chronic' AND a_chronic) OR (audience = 'asthma' AND a_asthma)
      WHERE u3(idx, sid, 134) < probability
         OR (combo AND key IN ('recuperative_care', 'post_hospitalization'))
    ),
    placed AS (
      SELECT *,
        clampcov(greatest(CASE WHEN combo AND key = 'post_hospitalization'
                          THEN lag_rc_end ELSE raw_start END,
                          coalesce({earliest}, -100000)), cs, ce, gs, gl) AS start_off
      FROM (SELECT *, max(CASE WHEN key = 'recuperative_care' THEN raw_start + stay_days END)
                        OVER (PARTITION BY idx) AS lag_rc_end FROM pick)
    )
    SELECT idx, sid, key, hcpcs, modifier, price, units_lo, units_hi, every, per_diem,
      start_off,
      CASE WHEN per_diem THEN least(stay_days, ce - start_off + 1) END AS days,
      CASE WHEN per_diem THEN ceil(days / 30)::INTEGER
           ELSE claims_lo + floor(u3(idx, sid, 138) * (claims_hi - claims_lo + 1))::INTEGER
           END AS n_claims,
      ce, gs, gl
    FROM placed
    WHERE coalesce({earliest}, -100000) <= ce
    ORDER BY idx, sid""")


def build_ecm_episodes(con: duckdb.DuckDBPyConnection, cfg: SynthConfig) -> None:
    """Create temp table `ecm_ep`: members with an ECM spell (about 1% of members)."""
    go_live = max(0, cfg.offset_of(date(2022, 1, 1)))
    nd = cfg.days
    # DHCS reports ~0.9% of members using ECM in 2024; spells go to members who plausibly
    # qualify (homeless, justice-involved, SMI/SUD, frequent ED users, foster youth), never
    # to D-SNP or hospice members (excluded from ECM).
    p_ecm = """greatest(CASE WHEN homeless THEN 0.12 ELSE 0 END, CASE WHEN justice THEN 0.15
        ELSE 0 END, CASE WHEN smi OR sud THEN 0.05 ELSE 0 END, CASE WHEN ed_rate > 2 THEN 0.1
        ELSE 0 END, CASE WHEN foster THEN 0.05 ELSE 0 END, 0.002)"""
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ecm_ep AS
    SELECT idx, start_off, months, ce, gs, gl,
      CASE WHEN start_off + months * 30 <= ce THEN start_off + months * 30 - 1 END AS end_off,
      least(months, ceil((ce - start_off + 1) / 30))::INTEGER AS billed_months,
      ce = {nd - 1} AND death_off IS NULL AS active_at_end
    FROM (
      SELECT idx, ce, gs, gl, death_off,
        -- Enrollment grew every year since launch, so later starts are more likely.
        clampcov(greatest(cs, {go_live}) + floor(sqrt(u(idx, 141))
          * greatest(0, ce - greatest(cs, {go_live})))::INTEGER, cs, ce, gs, gl) AS start_off,
        3 + floor(u(idx, 142) * 16)::INTEGER AS months
      FROM person
      WHERE NOT dsnp AND NOT hospice AND ce >= {go_live} AND u(idx, 140) < {p_ecm}
    )
    ORDER BY idx""")
