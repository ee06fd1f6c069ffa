"""medical_claim: encounters joined to their member, then split into claim lines.

Lines take their revenue code, HCPCS/CPT and price from the catalog in `codes` (or, for ECM
and Community Supports, from the service on the encounter). Diagnoses are claim-level and
repeated on every line, as in the Tuva input layer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

import duckdb

from calaim.data.synth import codes, encounters
from calaim.data.synth.codes import CATALOG, CATALOG_IDS, Cat
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.sqlkit import layered, list_lit, wpick

INSTITUTIONAL = (Cat.ED_FACILITY, Cat.INPATIENT, Cat.SNF, Cat.DELIVERY)
NPI_POOLS = {"rendering": 2000, "billing": 300, "facility": 60}


def npi_pool(seed: int, size: int, salt: str) -> list[str]:
    """Deterministic fictitious NPIs with a valid Luhn check digit (prefix 80840)."""
    rng = random.Random(f"{seed}:{salt}")
    pool = []
    for _ in range(size):
        body = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
        digits = [int(d) for d in "80840" + body]
        total = 0
        for i, d in enumerate(reversed(digits)):
            total += sum(divmod(d * 2, 10)) if i % 2 == 0 else d
        pool.append(body + str((10 - total % 10) % 10))
    return pool


def _union(cfg: SynthConfig) -> str:
    union = " UNION ALL BY NAME ".join(
        f"SELECT * FROM ({sql})"
        for sql in (
            encounters.ambulatory_sql(),
            encounters.ed_sql(),
            encounters.inpatient_sql(),
            encounters.maternity_sql(cfg),
            encounters.ecm_sql(),
            encounters.cs_sql(),
        )
    )
    keys = list_lit(list(CATALOG_IDS))
    return f"""
    SELECT idx, cat, k, s, coalesce(e, s) AS e, adm, dis, admit_type, admit_src, dispo, pos,
      bill, dx1, nl,
      CASE WHEN first_key IS NOT NULL THEN list_position({keys}, first_key) END AS first_code,
      extra_dx, svc_hcpcs, svc_mod1, svc_price, svc_units,
      coalesce(gq_p, 0) AS gq_p, coalesce(spread, false) AS spread, ci,
      CASE WHEN switch_off IS NOT NULL AND s >= switch_off THEN payer2 ELSE payer1 END AS payer,
      -- Z codes ride along as secondary diagnoses while the member is homeless or at risk.
      CASE WHEN z59 IS NOT NULL AND s >= hl_start AND s <= coalesce(hl_end, s)
           AND u3(idx, cat * 100000 + k, 60) < 0.45 AND dx1 <> z59 THEN z59 END AS zdx,
      CASE WHEN food_insecure AND u3(idx, cat * 100000 + k, 61) < 0.1
           THEN '{codes.FOOD_INSECURITY_Z}' END AS fdx,
      person_dx
    FROM ({union})"""


def build_encounters(con: duckdb.DuckDBPyConnection, cfg: SynthConfig) -> None:
    """Create temp table `enc`: one row per claim, sorted, with every claim-level column.

    Everything that is the same on all lines of a claim (ids, dates, codes, diagnoses,
    NPIs) is computed here, once per claim, so the line expansion stays cheap.
    """
    pools = {name: npi_pool(cfg.seed, n, name) for name, n in NPI_POOLS.items()}
    inst = ", ".join(str(int(c)) for c in INSTITUTIONAL)
    stays = f"{int(Cat.INPATIENT)}, {int(Cat.SNF)}, {int(Cat.DELIVERY)}"
    day = cfg.day
    dx = ", ".join(
        f"CASE WHEN ndx >= {i} THEN dxs[{i - 1}] END AS diagnosis_code_{i}" for i in range(2, 6)
    )
    rendering = list_lit(pools["rendering"])
    billing = list_lit(pools["billing"])
    facility = list_lit(pools["facility"])
    sql = layered(
        f"({_union(cfg)})",
        [
            f"cat IN ({inst}) AS inst",
            # Secondary diagnoses: delivery/Z codes first, then the member's conditions other
            # than the primary. Written without lambdas (CASE only pays for the rare rows).
            """CASE WHEN extra_dx IS NULL AND zdx IS NULL AND fdx IS NULL THEN []::VARCHAR[]
               ELSE list_filter([extra_dx, zdx, fdx], lambda x: x IS NOT NULL) END
               || CASE WHEN list_position(person_dx, dx1) IS NULL THEN person_dx
               ELSE list_concat(person_dx[:list_position(person_dx, dx1) - 1],
                                person_dx[list_position(person_dx, dx1) + 1:]) END AS dxs""",
            # Claims list 1-5 diagnoses; labs, behavioral visits and services fewer.
            """least(1 + floor(u3(idx, cat * 100000 + k, 62) * 5)::INTEGER,
               CASE WHEN cat IN (2, 7, 8, 11, 12) THEN 2 ELSE 5 END) AS ndx0""",
        ],
        [
            f"""lpad((idx + 1)::VARCHAR, {cfg.id_width}, '0') || lpad(cat::VARCHAR, 2, '0')
               || lpad(k::VARCHAR, 6, '0') AS claim_id""",
            "CASE WHEN inst THEN 'institutional' ELSE 'professional' END AS claim_type",
            f"'P' || lpad((idx + 1)::VARCHAR, {cfg.id_width}, '0') AS person_id",
            f"{day('s')} AS claim_start_date",
            f"{day('e')} AS claim_end_date",
            f"{day('adm')} AS admission_date",
            f"{day('dis')} AS discharge_date",
            "CASE WHEN NOT inst THEN pos END AS place_of_service_code",
            "least(ndx0, len(dxs) + 1) AS ndx",
            f"""CASE WHEN NOT inst OR cat IN ({stays}) THEN
               {rendering}[1 + (hash(idx, cat) % {NPI_POOLS["rendering"]})::INTEGER]
               END AS rendering_npi""",
            f"""CASE WHEN inst THEN {facility}[(ci - 1) * 12 + 1 + (hash(idx, 7) % 12)::INTEGER]
               ELSE {billing}[1 + (hash(idx, cat, 3) % {NPI_POOLS["billing"]})::INTEGER]
               END AS billing_npi""",
        ],
        [dx],
    )
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE enc AS
    SELECT * EXCLUDE (person_dx, dxs, zdx, fdx, extra_dx, pos, ndx0, ndx, ci) FROM ({sql})
    ORDER BY idx, s, cat, k""")


def _line_code() -> str:
    def branch(table: dict[Cat, Mapping[str, float]]) -> str:
        return " ".join(
            f"WHEN {int(cat)} THEN "
            + wpick("lu(1)", {str(CATALOG_IDS[c]): w for c, w in w8.items()}, 200)
            for cat, w8 in table.items()
        )

    return f"""CASE WHEN svc_hcpcs IS NOT NULL THEN NULL
      WHEN j = 0 AND first_code IS NOT NULL THEN first_code
      WHEN j = 0 THEN (CASE cat {branch(codes.FIRST_LINE)} END)::INTEGER
      ELSE (CASE cat {branch(codes.OTHER_LINES)} ELSE '1' END)::INTEGER END AS cid"""


def medical_claim_sql(cfg: SynthConfig) -> str:
    """SELECT producing medical_claim lines in contract column order.

    No ORDER BY: a scan of the sorted `enc` table, unnest and projections keep its order
    (checked with 1 and 2 threads at 150k members), and sorting 25M wide lines would cost more
    than the rest of the run. Keep joins and aggregates out of this query.
    """
    cat_ = list(CATALOG.values())
    day = cfg.day
    nulls = ", ".join(f"NULL::VARCHAR AS diagnosis_code_{i}" for i in range(6, 26))
    lines = layered(
        "(SELECT *, unnest(range(nl)) AS j FROM enc)",
        [_line_code(), "CASE WHEN spread THEN s + floor(lu(2) * (e - s + 1))::INTEGER END AS ld"],
        [
            f"{list_lit([c.rev for c in cat_])}[cid] AS revenue_center_code",
            f"coalesce(svc_hcpcs, {list_lit([c.hcpcs for c in cat_])}[cid]) AS hcpcs_code",
            f"""CASE WHEN svc_units IS NOT NULL THEN svc_units
               WHEN {list_lit([c.per_diem for c in cat_])}[cid] THEN greatest(1, e - s)
               ELSE 1 END AS units""",
            f"coalesce(svc_price, {list_lit([c.price for c in cat_])}[cid]) AS price",
        ],
        ["round(price * units * (0.8 + 0.4 * lu(3)), 2)::DECIMAL(12, 2) AS allowed"],
    )
    lines = re.sub(r"\blu\(", "u3(idx, (cat * 100000 + k) * 64 + j, ", lines)
    return f"""
    SELECT claim_id, j + 1 AS claim_line_number, claim_type, person_id, payer,
      claim_start_date, claim_end_date,
      CASE WHEN ld IS NULL THEN claim_start_date ELSE {day("ld")} END AS claim_line_start_date,
      CASE WHEN ld IS NULL THEN claim_end_date ELSE {day("ld")} END AS claim_line_end_date,
      admission_date, discharge_date, admit_type AS admit_type_code,
      admit_src AS admit_source_code, dispo AS discharge_disposition_code,
      place_of_service_code, bill AS bill_type_code, revenue_center_code, hcpcs_code,
      svc_mod1 AS hcpcs_modifier_1,
      CASE WHEN gq_p > 0 AND u3(idx, (cat * 100000 + k) * 64 + j, 4) < gq_p THEN 'GQ' END
        AS hcpcs_modifier_2,
      NULL::VARCHAR AS hcpcs_modifier_3, NULL::VARCHAR AS hcpcs_modifier_4,
      NULL::VARCHAR AS hcpcs_modifier_5,
      units AS service_unit_quantity, 'icd-10-cm' AS diagnosis_code_type,
      dx1 AS diagnosis_code_1, diagnosis_code_2, diagnosis_code_3, diagnosis_code_4,
      diagnosis_code_5, {nulls}, rendering_npi, billing_npi,
      -- About 3% of lines are denied (paid 0); the rest pay 85-100% of allowed.
      CASE WHEN u3(idx, (cat * 100000 + k) * 64 + j, 5) < 0.03 THEN 0.00::DECIMAL(12, 2)
           ELSE round(allowed * (0.85 + 0.15 * u3(idx, (cat * 100000 + k) * 64 + j, 6)), 2)
           ::DECIMAL(12, 2) END AS paid_amount,
      allowed AS allowed_amount
    FROM ({lines})"""
