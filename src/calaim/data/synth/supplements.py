"""CalAIM supplement tables: housing, programs, incarceration, pregnancy, facility stays, facts.

Each is derived from the same latent traits and episodes as the claims, so a member observed
unsheltered also has Z59 codes and more ED visits, a member released from jail has SUD/SMI
diagnoses, and a nursing-facility resident is old and frail. Not every fact appears in every
source (70% of homeless members have housing observations, 80% of pregnancies are recorded),
as in real plan data, so the engine's claims-based evidence matters too.
"""

from __future__ import annotations

import duckdb

from calaim.data.synth import traits
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.sqlkit import layered, wpick

SOURCES = {"hmis": 40, "assessment": 25, "referral": 20, "self_report": 15}


def _ordered(body: str, columns: str, order: str) -> str:
    return f"SELECT {columns} FROM ({body}) ORDER BY {order}"


def housing_status_sql(cfg: SynthConfig) -> str:
    """SELECT producing housing_status: observations during and after homeless episodes."""
    adult = wpick("u3(idx, j, 302)", traits.HOMELESS_STATUS_ADULT)
    youth = wpick("u3(idx, j, 302)", traits.HOMELESS_STATUS_YOUTH)
    risk = wpick("u3(idx, j, 304)", {"at_risk": 60, "imminent_loss": 40})
    obs = layered(
        """(SELECT idx, person_id, homeless, at_risk, hl_status, hl_start, hl_end, ce, age,
            unnest(range(1 + floor(u(idx, 301) * 4)::INTEGER)) AS j FROM person
            WHERE (homeless AND u(idx, 300) < 0.7) OR (at_risk AND u(idx, 300) < 0.6))""",
        [
            "hl_start + j * (90 + floor(u3(idx, j, 303) * 90)::INTEGER) AS d",
            f"""CASE WHEN at_risk THEN {risk}
               WHEN j = 0 OR u3(idx, j, 305) < 0.7 THEN hl_status
               WHEN age < 21 THEN {youth} ELSE {adult} END AS status""",
        ],
    )
    housed = f"""
    SELECT idx, person_id, hl_end + floor(u(idx, 306) * 30)::INTEGER AS d, 'housed' AS status,
      0 AS j
    FROM person WHERE homeless AND hl_end IS NOT NULL AND u(idx, 300) < 0.7
      AND u(idx, 307) < 0.8 AND hl_end + 30 <= {cfg.days - 1}"""
    # Members homeless before a jail or prison stay are "exiting an institution" on release.
    released = f"""
    SELECT i.idx, p.person_id, i.rel AS d, 'exiting_institution' AS status, 10 + i.j AS j
    FROM inc i JOIN person p USING (idx)
    WHERE p.homeless AND i.rel BETWEEN p.cs AND least(p.ce, {cfg.days - 1})
      AND u3(i.idx, i.j, 309) < 0.6"""
    body = f"""
    SELECT idx, person_id, d, status, j FROM ({obs})
    WHERE d <= least(coalesce(hl_end, ce), {cfg.days - 1})
    UNION ALL {housed}
    UNION ALL {released}"""
    cols = (
        f"person_id, {cfg.day('d')} AS observed_date, status, "
        f"{wpick('u3(idx, j * 7 + length(status), 308)', SOURCES)} AS source"
    )
    return _ordered(body, cols, "idx, d, status, j")


def _program(name: str, where: str, start: str, end: str = "NULL") -> str:
    return (
        f"SELECT idx, person_id, '{name}' AS program, {start} AS so, {end} AS eo "
        f"FROM person WHERE {where}"
    )


def _program_parts() -> list[str]:
    """One SELECT per program: who is enrolled, start and end day offsets."""
    rnd = "dmap(floor(u(idx, {s}) * covered)::INTEGER, cs, gs, gl)"
    late = "(ce - 30 - floor(u(idx, {s}) * 300))::INTEGER"
    ended = "CASE WHEN u(idx, {s}) < {p} THEN so + 180 + floor(u(idx, {t}) * 540)::INTEGER END"
    parts = [
        # Access criteria for county specialty mental health (~4%) and DMC (~2%) services.
        _program(
            "smhs",
            "smi OR (depression AND u(idx, 310) < 0.1)",
            "cs",
            ended.format(s=311, p=0.2, t=312),
        ),
        _program(
            "dmc",
            "sud OR (smi AND u(idx, 313) < 0.05)",
            rnd.format(s=314),
            ended.format(s=315, p=0.3, t=316),
        ),
        _program("ihss", "frail AND age >= 50 AND u(idx, 317) < 0.1", rnd.format(s=318)),
        _program(
            "hospice",
            "hospice",
            "CASE WHEN death_off IS NOT NULL THEN greatest(cs, "
            "death_off - 10 - floor(u(idx, 319) * 80)::INTEGER) ELSE "
            + late.format(s=319)
            + " END",
            "death_off",
        ),
        _program("pace", "frail AND age >= 55 AND u(idx, 320) < 0.03", rnd.format(s=321)),
        _program(
            "ccm",
            "u(idx, 322) < CASE WHEN ncond >= 3 THEN 0.05 WHEN ed_rate > 1 "
            "THEN 0.03 ELSE 0.006 END",
            rnd.format(s=323),
            ended.format(s=324, p=0.5, t=325),
        ),
        _program("cct", "nf_resident AND u(idx, 326) < 0.05", late.format(s=327)),
        _program("waiver_hcba", "frail AND u(idx, 328) < 0.02", rnd.format(s=329)),
        _program("waiver_alw", "frail AND age >= 65 AND u(idx, 330) < 0.01", rnd.format(s=331)),
        _program("waiver_mssp", "frail AND age >= 65 AND u(idx, 332) < 0.02", rnd.format(s=333)),
        _program("waiver_hcbs_dd", "dd AND u(idx, 334) < 0.6", "cs"),
        _program("waiver_sdp", "dd AND u(idx, 335) < 0.05", rnd.format(s=336)),
        _program("waiver_hiv_aids", "hiv AND u(idx, 337) < 0.1", rnd.format(s=338)),
        _program("dsnp", "dsnp", "cs"),
        # CCS children in a Whole Child Model county are enrolled through the plan.
        _program("ccs", "ccs AND county_code <> '42'", "cs"),
        _program("ccs_wcm", "ccs AND county_code = '42'", "cs"),
        _program("foster_care", "foster", rnd.format(s=339), ended.format(s=340, p=0.5, t=341)),
        _program(
            "child_welfare_services",
            "child_welfare",
            rnd.format(s=342),
            ended.format(s=343, p=0.6, t=344),
        ),
        _program("adoption_assistance", "adoption", "cs"),
        _program(
            "housing_support_plan",
            "homeless AND u(idx, 345) < 0.3",
            "least(ce, hl_start + 30 + floor(u(idx, 346) * 150)::INTEGER)",
        ),
        _program(
            "coordinated_entry",
            "homeless AND u(idx, 347) < 0.25",
            "least(ce, hl_start + floor(u(idx, 348) * 120)::INTEGER)",
            "hl_end",
        ),
        """SELECT x.idx, p.person_id, 'ecm' AS program, x.start_off AS so,
           CASE WHEN x.end_off IS NOT NULL THEN x.end_off WHEN x.active_at_end THEN NULL
           ELSE x.ce END AS eo
           FROM ecm_ep x JOIN person p USING (idx)""",
    ]
    return parts


def program_enrollment_sql(cfg: SynthConfig) -> str:
    """SELECT producing program_enrollment rows (start/end day offsets, null end = ongoing)."""
    nd = cfg.days
    parts = _program_parts()
    body = f"""
    SELECT idx, person_id, program, least(so, {nd - 1}) AS so,
      CASE WHEN eo IS NULL OR eo > {nd - 1} THEN NULL ELSE greatest(eo, least(so, {nd - 1}))
      END AS eo
    FROM ({" UNION ALL ".join(parts)})"""
    cols = f"person_id, program, {cfg.day('so')} AS start_date, {cfg.day('eo')} AS end_date"
    return _ordered(body, cols, "idx, so, program")


def build_incarcerations(con: duckdb.DuckDBPyConnection, cfg: SynthConfig) -> None:
    """Create temp table `inc`: stays in jail, prison or youth facilities of justice members."""
    nd = cfg.days
    age_at = f"(age_days - ({nd - 1} - adm0)) / 365.25"
    stays = layered(
        """(SELECT idx, cs, ce, gs, gl, covered, age_days, unnest(range(
           CASE WHEN u(idx, 350) < 0.65 THEN 1 WHEN u(idx, 350) < 0.9 THEN 2 ELSE 3 END))
           AS j FROM person WHERE justice)""",
        ["dmap(floor(u3(idx, j, 351) * covered)::INTEGER, cs, gs, gl) AS adm0"],
        [
            # Adults: county jail mostly (short stays), state prison for some (years).
            f"""CASE WHEN {age_at} < 18 THEN 'youth_facility'
               WHEN u3(idx, j, 352) < 0.15 THEN 'prison' ELSE 'jail' END AS facility_type""",
        ],
        [
            """CASE WHEN facility_type = 'prison' AND u3(idx, j, 353) < 0.4
               THEN adm0 - floor(u3(idx, j, 354) * 900)::INTEGER ELSE adm0 END AS adm""",
            """CASE facility_type
               WHEN 'jail' THEN least(365, 2 + floor(-ln(1 - u3(idx, j, 355)) * 35))
               WHEN 'prison' THEN 365 + floor(u3(idx, j, 355) * 1460)
               ELSE 30 + floor(u3(idx, j, 355) * 335) END::INTEGER AS dur""",
        ],
    )
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE inc AS
    SELECT idx, j, facility_type, adm,
      CASE WHEN adm + dur <= {nd - 1} THEN adm + dur END AS rel
    FROM ({stays})
    ORDER BY idx, adm, j""")


def incarceration_sql(cfg: SynthConfig) -> str:
    """SELECT producing incarceration rows (release null = still incarcerated)."""
    return f"""
    SELECT p.person_id, i.facility_type, {cfg.day("i.adm")} AS admission_date,
      {cfg.day("i.rel")} AS release_date
    FROM inc i JOIN person p USING (idx) ORDER BY i.idx, i.adm, i.j"""


def pre_release_service_sql(cfg: SynthConfig) -> str:
    """SELECT producing pre-release services: for half of the releases from Oct 1 2024 (the
    go-live), reentry care management 30 days before release and the release supply."""
    return f"""
    SELECT p.person_id, {cfg.day("i.rel - s.before")} AS service_date, s.service,
      i.facility_type
    FROM inc i JOIN person p USING (idx)
    CROSS JOIN (VALUES ('reentry_care_management', 30), ('release_medication_supply', 0))
      AS s(service, before)
    WHERE i.rel IS NOT NULL AND u3(i.idx, i.j, 356) < 0.5
      AND {cfg.day("i.rel")} >= DATE '2024-10-01'
    ORDER BY i.idx, i.adm, i.j, s.before DESC"""


def pregnancy_sql(cfg: SynthConfig) -> str:
    """SELECT producing the pregnancies known to the plan (end null = ongoing)."""
    return f"""
    SELECT p.person_id, {cfg.day("q.start_off")} AS start_date,
      {cfg.day("q.end_off")} AS end_date
    FROM preg q JOIN person p USING (idx) WHERE q.recorded ORDER BY q.idx, q.start_off, q.k"""


def facility_stay_sql(cfg: SynthConfig) -> str:
    """SELECT producing facility stays (discharge null = still there)."""
    nd = cfg.days
    stay = (
        "SELECT idx, person_id, '{t}' AS facility_type, {a} AS adm, {d} AS dis "
        "FROM person WHERE {w}"
    )
    parts = [
        # Long-stay nursing facility residents; 40% were admitted before the period began.
        stay.format(
            t="nursing_facility",
            w="nf_resident",
            a="CASE WHEN u(idx, 360) < 0.4 THEN -floor(u(idx, 361) * 1000)::INTEGER "
            "ELSE dmap(floor(u(idx, 361) * covered * 0.7)::INTEGER, cs, gs, gl) END",
            # A quarter leave (home or elsewhere) within 3-18 months; the rest stay.
            d="coalesce(death_off, CASE WHEN u(idx, 362) < 0.25 "
            "THEN adm + 90 + floor(u(idx, 375) * 450)::INTEGER END)",
        ),
        stay.format(
            t="psychiatric_inpatient",
            w="smi AND u(idx, 363) < 0.08",
            a="dmap(floor(u(idx, 364) * covered)::INTEGER, cs, gs, gl)",
            d="adm + 7 + floor(u(idx, 365) * 24)::INTEGER",
        ),
        stay.format(
            t="sud_residential",
            w="sud AND u(idx, 366) < 0.1",
            a="dmap(floor(u(idx, 367) * covered)::INTEGER, cs, gs, gl)",
            d="adm + 30 + floor(u(idx, 368) * 60)::INTEGER",
        ),
        stay.format(
            t="assisted_living",
            w="frail AND age >= 65 AND u(idx, 369) < 0.02",
            a="dmap(floor(u(idx, 370) * covered)::INTEGER, cs, gs, gl)",
            d="death_off",
        ),
        stay.format(
            t="acute_hospital",
            w="u(idx, 371) < 0.001",
            a="dmap(floor(u(idx, 372) * covered)::INTEGER, cs, gs, gl)",
            d="adm + 1 + floor(u(idx, 373) * 10)::INTEGER",
        ),
        # Half of the claimed recuperative-care / post-hospitalization stays are also reported
        # here by the CS provider.
        """SELECT x.idx, p.person_id, CASE x.key WHEN 'recuperative_care' THEN 'recuperative_care'
           ELSE 'post_hospitalization_housing' END AS facility_type, x.start_off AS adm,
           x.start_off + x.days - 1 AS dis
           FROM cs_ep x JOIN person p USING (idx)
           WHERE x.key IN ('recuperative_care', 'post_hospitalization')
             AND u3(x.idx, x.sid, 374) < 0.5""",
    ]
    body = f"""
    SELECT idx, person_id, facility_type, adm, CASE WHEN dis IS NULL OR dis > {nd - 1} THEN NULL
      ELSE greatest(dis, adm) END AS dis
    FROM ({" UNION ALL ".join(parts)})"""
    cols = (
        f"person_id, facility_type, {cfg.day('adm')} AS admission_date, "
        f"{cfg.day('dis')} AS discharge_date"
    )
    return _ordered(body, cols, "idx, adm, facility_type")
