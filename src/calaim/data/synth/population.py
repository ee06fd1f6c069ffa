"""The member table: demographics, enrollment and the latent traits that drive every table.

One row per member in the temp table `person`, built in stages (each a SELECT over the one
before, using DuckDB's reuse of select-list aliases). Random draws use `u(idx, stream)`; stream
numbers are unique per draw so adding a draw never shifts the others.
"""

from __future__ import annotations

import duckdb

from calaim.data.contract import ELIGIBILITY
from calaim.data.synth import geography, names, traits
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.sqlkit import layered, list_lit, lit, pick, wpick

ELIGIBILITY_COLUMNS = ELIGIBILITY.column_names

# Age at the end of the period, in bands (low, high, weight). Medi-Cal is young: about 37%
# are under 21 and about 10% are 65 or older (DHCS enrollment dashboards, rounded).
AGE_BANDS = (
    (0, 5, 9),
    (5, 13, 13),
    (13, 21, 15),
    (21, 35, 20),
    (35, 50, 17),
    (50, 65, 16),
    (65, 75, 6),
    (75, 91, 4),
)

# Race given ethnicity. Chosen so the marginals land near the brief's Medi-Cal mix: white 35%,
# other race 25%, asian 10%, black 8%, AI/AN 1%, NH/PI 0.5%, unknown the rest; Hispanic members
# mostly report "other race" or white, as in DHCS data.
RACE_HISPANIC = {
    "white": 35,
    "other race": 45,
    "unknown": 18,
    "black or african american": 1,
    "american indian or alaska native": 1,
}
RACE_OTHER = {
    "white": 35,
    "black or african american": 15,
    "asian": 20,
    "unknown": 23,
    "other race": 5,
    "american indian or alaska native": 1,
    "native hawaiian or other pacific islander": 1,
}

# Preferred language given ethnicity/race: about 60% English, 30% Spanish overall.
LANG_HISPANIC = {"es": 58, "en": 42}
LANG_ASIAN = {"en": 50, "zh": 18, "vi": 15, "tl": 9, "ko": 8}
LANG_WHITE = {"en": 86, "hy": 5, "ru": 3, "fa": 3, "ar": 3}
LANG_OTHER = {"en": 97, "es": 2, "ar": 1}

# Enrollment patterns: most members are continuously enrolled; ~10% churn (a gap, or a span
# that ends mid-period); new enrollees join mid-period; a few change plans within the county.
ENROLL_STABLE, ENROLL_LATE, ENROLL_GAP, ENROLL_ENDED, ENROLL_SWITCH = 0, 1, 2, 3, 4
ENROLL_THRESHOLDS = (
    (0.79, ENROLL_STABLE),
    (0.87, ENROLL_LATE),
    (0.92, ENROLL_GAP),
    (0.97, ENROLL_ENDED),
    (1.01, ENROLL_SWITCH),
)


def _demographics(cfg: SynthConfig) -> str:
    counties = geography.COUNTIES
    lo = list_lit([b[0] for b in AGE_BANDS])
    width = list_lit([b[1] - b[0] for b in AGE_BANDS])
    plans = "[" + ", ".join(list_lit([p for p, _ in c.plans]) for c in counties) + "]"
    plan_pick = " ".join(
        f"WHEN {i + 1} THEN "
        + wpick("u(idx, 7)", [(str(j + 1), w) for j, (_, w) in enumerate(c.plans)])
        for i, c in enumerate(counties)
    )
    band = wpick("u(idx, 2)", [(str(i + 1), b[2]) for i, b in enumerate(AGE_BANDS)])
    county = wpick("u(idx, 6)", [(str(i + 1), c.share) for i, c in enumerate(counties)])
    lang_names = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in names.LANGUAGE_NAMES.items())
    return layered(
        f"range({cfg.first}, {cfg.first + cfg.built}) t(idx)",
        [
            f"'P' || lpad((idx + 1)::VARCHAR, {cfg.id_width}, '0') AS person_id",
            """CASE WHEN u(idx, 1) < 0.53 THEN 'female' WHEN u(idx, 1) < 0.998 THEN 'male'
               ELSE 'unknown' END AS gender""",
            f"{band}::INTEGER AS band",
            """CASE WHEN u(idx, 4) < 0.50 THEN 'hispanic or latino'
               WHEN u(idx, 4) < 0.95 THEN 'not hispanic or latino' ELSE 'unknown' END
               AS ethnicity""",
            f"{county}::INTEGER AS ci",
        ],
        [
            f"floor(({lo}[band] + u(idx, 3) * {width}[band]) * 365.25)::INTEGER AS age_days",
            f"""CASE WHEN ethnicity = 'hispanic or latino' THEN {wpick("u(idx, 5)", RACE_HISPANIC)}
               ELSE {wpick("u(idx, 5)", RACE_OTHER)} END AS race""",
            f"(CASE ci {plan_pick} END)::INTEGER AS pi",
            f"{plans}[ci] AS county_plans",
            f"""CASE WHEN u(idx, 18) < {geography.COUNTY_CODE_SHARE}
               THEN {list_lit([c.code for c in counties])}[ci]
               ELSE {list_lit([c.name for c in counties])}[ci] END AS county""",
            f"{list_lit([c.code for c in counties])}[ci] AS county_code",
        ],
        [
            f"{lit(cfg.end_date)} - age_days AS birth_date",
            "floor(age_days / 365.25)::INTEGER AS age",
            "len(county_plans) AS nplans",
            "county_plans[pi] AS payer1",
            """county_plans[((pi + floor(u(idx, 17) * (len(county_plans) - 1))::INTEGER)
               % len(county_plans)) + 1] AS payer2""",
            f"""CASE WHEN ethnicity = 'hispanic or latino' THEN {wpick("u(idx, 8)", LANG_HISPANIC)}
               WHEN race = 'asian' THEN {wpick("u(idx, 8)", LANG_ASIAN)}
               WHEN race = 'white' THEN {wpick("u(idx, 8)", LANG_WHITE)}
               ELSE {wpick("u(idx, 8)", LANG_OTHER)} END AS lang_code""",
        ],
        [
            f"""CASE WHEN u(idx, 9) < 0.02 THEN CASE lang_code {lang_names} END
               ELSE lang_code END AS language""",
        ],
    )


def _contact(cfg: SynthConfig, source: str) -> str:
    counties = geography.COUNTIES
    hisp = "ethnicity = 'hispanic or latino'"
    places = [c.places for c in counties]
    cities = "[" + ", ".join(list_lit([p[0] for p in pl]) for pl in places) + "]"
    zips = "[" + ", ".join(list_lit([p[1] for p in pl]) for pl in places) + "]"
    areas = "[" + ", ".join(list_lit(c.area_codes) for c in counties) + "]"
    street = (
        f"{pick('u(idx, 34)', names.STREETS)} || ' ' || {pick('u(idx, 35)', names.STREET_SUFFIXES)}"
    )
    unit = f"{pick('u(idx, 37)', names.UNIT_PREFIXES)}"
    return layered(
        source,
        [
            f"""CASE WHEN gender = 'female' AND {hisp}
               THEN {pick("u(idx, 30)", names.FEMALE_HISPANIC)}
               WHEN gender = 'female' THEN {pick("u(idx, 30)", names.FEMALE_OTHER)}
               WHEN {hisp} THEN {pick("u(idx, 30)", names.MALE_HISPANIC)}
               ELSE {pick("u(idx, 30)", names.MALE_OTHER)} END AS first_name""",
            f"""CASE WHEN {hisp} AND u(idx, 31) < 0.85
               THEN {pick("u(idx, 32)", names.SURNAMES_HISPANIC)}
               ELSE {pick("u(idx, 32)", names.SURNAMES_OTHER)} END AS last_name""",
            f"""(100 + floor(u(idx, 33) * 19900))::INTEGER::VARCHAR || ' ' || {street}
               || CASE WHEN u(idx, 36) < 0.4 THEN ' ' || {unit} || ' '
               || (1 + floor(u(idx, 38) * 40))::INTEGER::VARCHAR ELSE '' END AS address""",
            f"1 + floor(u(idx, 39) * len({cities}[ci]))::INTEGER AS place",
            f"""CASE WHEN u(idx, 40) < 0.9
               THEN {areas}[ci][1 + floor(u(idx, 41) * len({areas}[ci]))::INTEGER]
               || '-' || (200 + floor(u(idx, 42) * 800))::INTEGER::VARCHAR
               || '-' || lpad(floor(u(idx, 43) * 10000)::INTEGER::VARCHAR, 4, '0') END AS phone""",
            # CIN: '9' + 8 digits + a letter. idx * 73939133 is a bijection mod 10^8 (the
            # multiplier is coprime to it), so CINs are unique for up to 100M members.
            f"""'9' || lpad(((idx * 73939133 + {cfg.seed % 100_000_000}) % 100000000)::VARCHAR,
               8, '0') || chr(65 + floor(u(idx, 47) * 26)::INTEGER) AS member_id""",
        ],
        [
            f"{cities}[ci][place] AS city",
            f"{zips}[ci][place] AS zip_code",
            f"""CASE WHEN u(idx, 44) < 0.25 THEN replace(lower(first_name || '.' || last_name),
               ' ', '') || floor(u(idx, 45) * 100)::INTEGER::VARCHAR || '@'
               || {pick("u(idx, 46)", names.EMAIL_DOMAINS)} END AS email""",
        ],
    )


def _enrollment(cfg: SynthConfig, source: str) -> str:
    nd = cfg.days
    kind = " ".join(f"WHEN u(idx, 11) < {t} THEN {k}" for t, k in ENROLL_THRESHOLDS)
    # Deaths (~0.5% over the period) are concentrated among older members.
    p_death = "CASE WHEN age >= 75 THEN 0.045 WHEN age >= 65 THEN 0.02 ELSE 0.002 END"
    return layered(
        source,
        [
            f"{nd} - 1 - age_days AS birth_off",
            f"greatest(0, {nd} - 1 - age_days) AS s0",
            f"CASE {kind} END AS kind0",
        ],
        [
            f"""CASE WHEN kind0 = {ENROLL_GAP} AND s0 > {nd - 400} THEN {ENROLL_STABLE}
               WHEN kind0 = {ENROLL_SWITCH} AND (nplans = 1 OR s0 > {nd - 90})
               THEN {ENROLL_STABLE} ELSE kind0 END AS kind""",
        ],
        [
            f"""CASE WHEN kind = {ENROLL_LATE}
               THEN greatest(s0, floor(u(idx, 12) * {nd - 30})::INTEGER) ELSE s0 END AS cs""",
        ],
        [
            f"""CASE WHEN kind = {ENROLL_ENDED}
               THEN cs + floor(u(idx, 13) * ({nd} - 1 - cs))::INTEGER
               ELSE {nd - 1} END AS ce0""",
            f"""CASE WHEN kind = {ENROLL_GAP}
               THEN cs + 30 + floor(u(idx, 13) * ({nd - 400} - cs))::INTEGER END AS gap_start""",
            f"""CASE WHEN kind = {ENROLL_GAP} THEN 30 + floor(u(idx, 14) * 150)::INTEGER
               ELSE 0 END AS gl""",
            f"""CASE WHEN kind = {ENROLL_SWITCH}
               THEN cs + 30 + floor(u(idx, 13) * ({nd - 60} - cs))::INTEGER END AS switch0""",
        ],
        [
            "coalesce(gap_start, 1000000000) AS gs",
            f"""CASE WHEN kind <> {ENROLL_GAP} AND u(idx, 15) < {p_death}
               THEN cs + floor(u(idx, 16) * (ce0 - cs + 1))::INTEGER END AS death_off""",
        ],
        ["coalesce(death_off, ce0) AS ce"],
        [
            "CASE WHEN switch0 < ce THEN switch0 END AS switch_off",
            "ce - cs + 1 - gl AS covered",
            "(ce - cs + 1 - gl) / 365.25 AS cov_years",
            # Active members mostly have an open-ended span; some feeds close it at extract date.
            f"ce = {nd - 1} AND death_off IS NULL AND u(idx, 19) < 0.9 AS open_ended",
        ],
    )


def build_person(con: duckdb.DuckDBPyConnection, cfg: SynthConfig) -> None:
    """Create the temp table `person`: demographics, enrollment and latent traits."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE p_base AS {_demographics(cfg)}")
    base = _enrollment(cfg, f"({_contact(cfg, 'p_base')})")
    sql = traits.utilization_sql(cfg, f"({traits.conditions_sql(cfg, f'({base})')})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE person AS {sql} ORDER BY idx")
    con.execute("DROP TABLE p_base")


def eligibility_sql(cfg: SynthConfig) -> str:
    """SELECT producing the eligibility table: one row per enrollment span."""
    cols = """person_id, member_id, birth_date, {d} AS death_date, gender, race, ethnicity,
      {s} AS enrollment_start_date, {e} AS enrollment_end_date, {payer} AS payer,
      'medicaid' AS payer_type, 'MEDI-CAL' AS plan,
      CASE WHEN dsnp THEN '02' ELSE '00' END AS dual_status_code, county, language,
      first_name, last_name, address, city,
      'CA' AS state, zip_code, phone, email,
      CASE WHEN hospice THEN 'Y' ELSE 'N' END AS hospice_flag,
      CASE WHEN dsnp THEN 'D-SNP' END AS snp_type"""
    death = cfg.day("death_off")
    last_end = f"CASE WHEN open_ended THEN NULL ELSE {cfg.day('ce')} END"
    first_end = (
        f"CASE WHEN switch_off IS NOT NULL THEN {cfg.day('switch_off - 1')} "
        f"WHEN gap_start IS NOT NULL THEN {cfg.day('gap_start - 1')} ELSE {last_end} END"
    )
    first = cols.format(d=death, s=cfg.day("cs"), e=first_end, payer="payer1")
    second_start = cfg.day("coalesce(switch_off, gap_start + gl)")
    second_payer = "CASE WHEN switch_off IS NOT NULL THEN payer2 ELSE payer1 END"
    second = cols.format(d=death, s=second_start, e=last_end, payer=second_payer)
    names_ = ", ".join(ELIGIBILITY_COLUMNS)
    return f"""
    SELECT {names_} FROM (
      SELECT {first}, idx, 0 AS span FROM person
      UNION ALL
      SELECT {second}, idx, 1 AS span FROM person
      WHERE switch_off IS NOT NULL OR gap_start IS NOT NULL
    ) ORDER BY idx, span"""
