"""Encounters: one row per claim, by category, before the claim is split into lines.

Every category yields the same columns (unioned BY NAME, so a category leaves out what it
does not use): member `idx`, category `cat`, sequence `k`, day offsets `s`/`e` (claim span),
`adm`/`dis` (stays), UB-04 codes, place of service, primary diagnosis `dx1`, line count `nl`,
an optional first-line catalog code, and for ECM/CS the service code, modifier and units.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from calaim.data.synth import codes
from calaim.data.synth.codes import Cat
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.services import (
    ECM_CLINICAL,
    ECM_CLINICAL_SHARE,
    ECM_NONCLINICAL,
    ECM_OUTREACH,
    TELEPHONIC_SHARE,
)
from calaim.data.synth.sqlkit import layered, lit, wpick

OFFICE_POS = {"11": 85, "02": 8, "10": 4, "22": 3}
UNIFORM_DAY = "dmap(floor(r(1) * covered)::INTEGER, cs, gs, gl)"
# Member columns every encounter carries: coverage (to place dates), diagnoses, and what the
# claim header needs (county, payers, Z-code episode), so no join back to `person` is needed.
MEMBER = (
    *("idx", "cs", "ce", "gs", "gl", "covered", "age", "age_days", "person_dx", "smi_dx"),
    *("sud_dx", "z59", "ci", "payer1", "payer2", "switch_off", "hl_start", "hl_end"),
    "food_insecure",
)
MEMBER_COLS = ", ".join(MEMBER)


def _cols(prefix: str) -> str:
    return ", ".join(f"{prefix}.{c}" for c in MEMBER)


def _expand(count: str, cat: Cat, extra: str = "") -> str:
    cols = f"{MEMBER_COLS}{', ' + extra if extra else ''}"
    return (
        f"(SELECT {cols}, {int(cat)} AS cat, unnest(range({count})) AS k "
        f"FROM person WHERE {count} > 0)"
    )


def _r(sql: str) -> str:
    """Replace the shorthand r(n) with the claim-level uniform for stream n."""
    return re.sub(r"\br\(", "u3(idx, cat * 100000 + k, ", sql)


def _chronic_or(acute: Mapping[str, float], share: float, stream: int) -> str:
    return (
        f"CASE WHEN len(person_dx) > 0 AND r({stream}) < {share} "
        f"THEN person_dx[1 + floor(r({stream + 1}) * len(person_dx))::INTEGER] "
        f"ELSE {wpick(f'r({stream + 1})', acute)} END"
    )


def ambulatory_sql() -> str:
    """Office, preventive, lab, behavioral and SUD treatment encounters (professional)."""
    prev_code = (
        "CASE WHEN age_at < 1 THEN '99381' WHEN age_at < 5 THEN '99392' WHEN age_at < 12 "
        "THEN '99393' WHEN age_at < 18 THEN '99394' WHEN age_at < 40 THEN '99395' "
        "WHEN age_at < 65 THEN '99396' ELSE '99397' END"
    )
    parts = [
        layered(
            _expand("n_office", Cat.OFFICE),
            [
                f"{UNIFORM_DAY} AS s",
                f"{wpick('r(2)', OFFICE_POS)} AS pos",
                "geom(r(3), 0.45, 6) AS nl",
                f"{_chronic_or(codes.OFFICE_ACUTE, 0.6, 4)} AS dx1",
            ],
        ),
        layered(
            _expand("n_prev", Cat.PREVENTIVE),
            [f"{UNIFORM_DAY} AS s", "'11' AS pos", "geom(r(3), 0.5, 6) AS nl"],
            ["(age_days - (ce - s)) / 365.25 AS age_at"],
            [
                f"{prev_code} AS first_key",
                "CASE WHEN age_at < 18 THEN 'Z00129' ELSE 'Z0000' END AS dx1",
            ],
        ),
        layered(
            _expand("n_lab", Cat.LAB),
            [
                f"{UNIFORM_DAY} AS s",
                f"{wpick('r(2)', {'81': 70, '11': 20, '22': 10})} AS pos",
                "geom(r(3), 0.5, 8) AS nl",
                f"{_chronic_or(codes.LAB_DX, 0.5, 4)} AS dx1",
            ],
        ),
        layered(
            _expand("n_bh", Cat.BEHAVIORAL),
            [
                f"{UNIFORM_DAY} AS s",
                f"{wpick('r(2)', {'11': 50, '53': 35, '02': 15})} AS pos",
                "1 AS nl",
                "coalesce(smi_dx, 'F329') AS dx1",
            ],
        ),
        layered(
            _expand("n_sud", Cat.SUD_TREATMENT),
            [
                f"{UNIFORM_DAY} AS s",
                f"{wpick('r(2)', {'57': 70, '11': 20, '02': 10})} AS pos",
                "1 AS nl",
                "sud_dx AS dx1",
            ],
        ),
    ]
    return _r(
        " UNION ALL BY NAME ".join(
            f"SELECT * EXCLUDE (age_at) FROM ({p})" if "age_at" in p else p for p in parts
        )
    )


def ed_sql() -> str:
    """ED visits: a facility claim (bill type 131, revenue 045x), a professional claim (POS
    23, CPT 9928x), or both on the same day, as when hospital and physician both bill."""
    visit = layered(
        _expand("n_ed", Cat.ED_FACILITY, "n_ed, crisis_off, asthma"),
        [
            # Half of a frequent user's visits fall in a ~6-month crisis window.
            """CASE WHEN n_ed >= 3 AND r(1) < 0.5
               THEN clampcov(crisis_off - 90 + floor(r(2) * 180)::INTEGER, cs, ce, gs, gl)
               ELSE dmap(floor(r(2) * covered)::INTEGER, cs, gs, gl) END AS s""",
            f"""CASE WHEN smi_dx IS NOT NULL AND r(4) < 0.3 THEN smi_dx
               WHEN sud_dx IS NOT NULL AND r(4) < 0.45 THEN sud_dx
               WHEN asthma AND r(4) < 0.15 THEN 'J45901'
               ELSE {wpick("r(5)", codes.ED_ACUTE)} END AS dx1""",
            "r(6) < 0.85 AS has_facility",
            "r(6) >= 0.85 OR r(7) < 0.7 AS has_professional",
        ],
    )
    cols = f"{MEMBER_COLS}, k, s, dx1"
    return _r(f"""
    SELECT {cols}, {int(Cat.ED_FACILITY)} AS cat, '131' AS bill, geom(r(3), 0.55, 8) AS nl
    FROM ({visit}) WHERE has_facility
    UNION ALL BY NAME
    SELECT {cols}, {int(Cat.ED_PROFESSIONAL)} AS cat, '23' AS pos, geom(r(8), 0.15, 3) AS nl
    FROM ({visit}) WHERE has_professional""")


def inpatient_sql() -> str:
    """Acute inpatient stays (bill type 111), and SNF stays (211) after discharges to SNF."""
    dispo_old = {"01": 50, "06": 20, "03": 22, "07": 3, "62": 5}
    dispo_young = {"01": 80, "06": 8, "07": 5, "03": 2, "02": 3, "65": 2}
    stays = layered(
        _expand("n_ip", Cat.INPATIENT),
        [
            f"{UNIFORM_DAY} AS adm",
            # Length of stay: exponential, mean ~4.5 days, capped at 30.
            "least(30, 1 + floor(-ln(1 - r(2)) * 3.5))::INTEGER AS los",
            # Mostly unplanned (1 emergency, 2 urgent); some elective (3).
            f"{wpick('r(3)', {'1': 55, '2': 28, '3': 17})} AS admit_type",
            f"""CASE WHEN age >= 65 THEN {wpick("r(4)", dispo_old)}
               ELSE {wpick("r(4)", dispo_young)} END AS dispo""",
            f"""CASE WHEN smi_dx IS NOT NULL AND r(5) < 0.25 THEN smi_dx
               WHEN sud_dx IS NOT NULL AND r(5) < 0.35 THEN sud_dx
               ELSE {wpick("r(6)", codes.INPATIENT_DX)} END AS dx1""",
        ],
        [
            "clampcov(adm + los, cs, ce, gs, gl) AS dis",
            """CASE WHEN admit_type = '1' AND r(7) < 0.75 THEN '7' WHEN admit_type = '3'
               THEN '1' WHEN r(7) < 0.1 THEN '4' ELSE '1' END AS admit_src""",
        ],
    )
    snf_los = "least(100, 5 + floor(-ln(1 - r(9)) * 20))::INTEGER"
    return _r(f"""
    SELECT *, adm AS s, dis AS e, '111' AS bill, 2 + floor(r(8) * 6)::INTEGER AS nl
    FROM ({stays})
    UNION ALL BY NAME
    SELECT * EXCLUDE (cat, adm, dis, admit_type, admit_src, dispo, dx1, los, nl, bill), cat,
      dis AS adm, clampcov(dis + {snf_los}, cs, ce, gs, gl) AS dis, dis AS s,
      clampcov(dis + {snf_los}, cs, ce, gs, gl) AS e,
      {wpick("r(10)", {"3": 60, "2": 30, "1": 10})} AS admit_type, '4' AS admit_src,
      {wpick("r(11)", {"01": 55, "06": 35, "62": 10})} AS dispo,
      {wpick("r(12)", codes.SNF_DX)} AS dx1, '211' AS bill, 1 + geom(r(13), 0.5, 4) AS nl
    FROM (SELECT * REPLACE ({int(Cat.SNF)} AS cat), '111' AS bill, 0 AS nl FROM ({stays}))
    WHERE dispo = '03' AND dis < ce""")


def maternity_sql(cfg: SynthConfig) -> str:
    """Prenatal visits (~monthly), a postpartum visit and the delivery stay of pregnancies."""
    cols = _cols("p")
    visits = f"""
    SELECT {cols}, {int(Cat.PRENATAL)} AS cat, q.k * 100 + v AS k, q.start_off, q.end_off,
      q.loss, v, floor(q.dur / 30)::INTEGER AS nv
    FROM preg q JOIN person p USING (idx),
      unnest(range(floor(q.dur / 30)::INTEGER + 1)) t(v)"""
    prenatal = layered(
        f"({visits})",
        [
            """CASE WHEN v < nv THEN start_off + 21 + v * 30 + floor(r(1) * 10)::INTEGER
               ELSE end_off + 35 + floor(r(1) * 15)::INTEGER END AS s""",
            f"{wpick('r(2)', {'11': 80, '22': 20})} AS pos",
            "CASE WHEN v < nv THEN geom(r(3), 0.4, 4) ELSE 1 END AS nl",
            "CASE WHEN v = nv THEN '59430' END AS first_key",
            f"CASE WHEN v < nv THEN {wpick('r(4)', codes.PRENATAL_DX)} ELSE 'Z391' END AS dx1",
        ],
    )
    births = layered(
        f"""(SELECT {cols}, {int(Cat.DELIVERY)} AS cat, q.k, q.end_off AS adm
            FROM preg q JOIN person p USING (idx) WHERE NOT q.loss AND q.end_off <= p.ce)""",
        [
            # Vaginal births stay ~2 days, cesareans (~32%) 3-4.
            """least(ce, adm + CASE WHEN r(1) < 0.68 THEN 2 ELSE 3 + floor(r(2) * 2) END)::INTEGER
               AS dis""",
            f"{wpick('r(3)', {'1': 40, '2': 35, '3': 25})} AS admit_type",
            "'1' AS admit_src",
            "'01' AS dispo",
            "'111' AS bill",
            "'Z370' AS extra_dx",
            f"{wpick('r(4)', codes.DELIVERY_DX)} AS dx1",
            "3 + floor(r(5) * 4)::INTEGER AS nl",
        ],
    )
    return _r(f"""
    SELECT * EXCLUDE (start_off, end_off, loss, v, nv) FROM ({prenatal})
    WHERE (v < nv OR (NOT loss AND end_off IS NOT NULL)) AND s <= ce AND s <= {cfg.days - 1}
      AND NOT (s >= gs AND s < gs + gl)
    UNION ALL BY NAME
    SELECT *, adm AS s, dis AS e FROM ({births})""")


def ecm_sql() -> str:
    """ECM history: an outreach claim (G9012 U8), then monthly ECM claims (G9008 U1 by
    clinical staff or G9012 U2 by non-clinical staff), each with 1-4 dated contacts."""
    months = f"""
    SELECT {_cols("p")},
      {int(Cat.ECM)} AS cat, m AS k, x.start_off
    FROM ecm_ep x JOIN person p USING (idx), unnest(range(x.billed_months + 1)) t(m)"""
    clinical = f"r(3) < {ECM_CLINICAL_SHARE}"
    return _r(
        layered(
            f"({months})",
            [
                """CASE WHEN k = 0 THEN clampcov(start_off - 30 + floor(r(1) * 16)::INTEGER,
               cs, ce, gs, gl) ELSE start_off + (k - 1) * 30 END AS s""",
                f"""CASE WHEN k = 0 THEN {lit(ECM_OUTREACH[0])} WHEN {clinical}
               THEN {lit(ECM_CLINICAL[0])} ELSE {lit(ECM_NONCLINICAL[0])} END AS svc_hcpcs""",
                f"""CASE WHEN k = 0 THEN {lit(ECM_OUTREACH[1])} WHEN {clinical}
               THEN {lit(ECM_CLINICAL[1])} ELSE {lit(ECM_NONCLINICAL[1])} END AS svc_mod1""",
                f"""CASE WHEN k = 0 THEN {ECM_OUTREACH[2]} WHEN {clinical}
               THEN {ECM_CLINICAL[2]} ELSE {ECM_NONCLINICAL[2]} END AS svc_price""",
                f"CASE WHEN k = 0 THEN 0.4 ELSE {TELEPHONIC_SHARE} END AS gq_p",
                "1 + floor(r(4) * CASE WHEN k = 0 THEN 3 ELSE 4 END)::INTEGER AS nl",
                "1 AS svc_units",
                "true AS spread",
                f"{wpick('r(5)', {'12': 35, '11': 25, '99': 25, '02': 15})} AS pos",
                "coalesce(z59, smi_dx, sud_dx, person_dx[1], 'Z659') AS dx1",
            ],
            ["least(ce, s + CASE WHEN k = 0 THEN 13 ELSE 29 END) AS e"],
        )
    )


HOME_BASED = (
    "'respite', 'personal_care', 'home_modifications', 'alf_transition', "
    "'community_transition', 'medically_tailored_meals'"
)


def cs_sql() -> str:
    """Community Supports claims: per-diem stays in 30-day chunks, other services dated."""
    chunks = f"""
    SELECT {_cols("p")},
      {int(Cat.COMMUNITY_SUPPORT)} AS cat, x.sid * 1000 + c AS k, c, x.*
      EXCLUDE (idx, ce, gs, gl)
    FROM cs_ep x JOIN person p USING (idx), unnest(range(x.n_claims)) t(c)"""
    pos = wpick("r(2)", {"99": 50, "04": 30, "11": 20})
    claims = layered(
        f"({chunks})",
        [
            """CASE WHEN per_diem THEN start_off + 30 * c
               ELSE start_off + c * every + floor(r(1) * 3)::INTEGER END AS s""",
            "hcpcs AS svc_hcpcs",
            "modifier AS svc_mod1",
            "price AS svc_price",
            "1 AS nl",
            "0.0 AS gq_p",
            "false AS spread",
            # Home-based supports are delivered at home (POS 12); housing supports in the
            # field, at shelters (04) or at the provider's office.
            f"""CASE WHEN key IN ({HOME_BASED}, 'asthma_remediation') THEN '12'
               ELSE {pos} END AS pos""",
            f"""CASE WHEN key = 'asthma_remediation' THEN 'J45909'
               WHEN key IN ({HOME_BASED}) THEN coalesce(person_dx[1], 'R54')
               ELSE coalesce(z59, 'Z5900') END AS dx1""",
        ],
        [
            """least(ce, CASE WHEN per_diem THEN least(s + 29, start_off + days - 1)
               WHEN key = 'transitional_rent' THEN s + 29 ELSE s END) AS e""",
        ],
        [
            """CASE WHEN per_diem THEN e - s + 1
               ELSE units_lo + floor(r(3) * (units_hi - units_lo + 1))::INTEGER END
               AS svc_units""",
        ],
    )
    drop = "c, sid, key, hcpcs, modifier, price, units_lo, units_hi, every, per_diem, start_off"
    return _r(f"""
    SELECT * EXCLUDE ({drop}, days, n_claims) FROM ({claims})
    WHERE s <= ce AND NOT (s >= gs AND s < gs + gl)""")
