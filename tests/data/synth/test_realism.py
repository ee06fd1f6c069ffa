"""Realism bands on a 20k-member run: the shares the brief and policy-facts §6.3 call for."""

from __future__ import annotations

import duckdb

from calaim.data.synth.geography import COUNTIES
from calaim.data.synth.services import SERVICES

MEMBERS = "SELECT DISTINCT ON (person_id) * FROM eligibility ORDER BY person_id"


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    return float(con.execute(sql).fetchall()[0][0])


def test_age_sex_and_ethnicity(rcon: duckdb.DuckDBPyConnection) -> None:
    age = "date_diff('year', birth_date, DATE '2025-12-31')"
    assert 0.33 < _one(rcon, f"SELECT avg(({age} < 21)::INT) FROM ({MEMBERS})") < 0.41
    assert 0.08 < _one(rcon, f"SELECT avg(({age} >= 65)::INT) FROM ({MEMBERS})") < 0.12
    assert 0.50 < _one(rcon, f"SELECT avg((gender = 'female')::INT) FROM ({MEMBERS})") < 0.56
    hispanic = f"SELECT avg((ethnicity = 'hispanic or latino')::INT) FROM ({MEMBERS})"
    assert 0.46 < _one(rcon, hispanic) < 0.54
    english = f"SELECT avg((language IN ('en', 'English'))::INT) FROM ({MEMBERS})"
    assert 0.55 < _one(rcon, english) < 0.68


def test_county_and_plan_shares(rcon: duckdb.DuckDBPyConnection) -> None:
    for county in COUNTIES:
        share = _one(
            rcon,
            f"SELECT avg((county IN ('{county.name}', '{county.code}'))::INT) FROM ({MEMBERS})",
        )
        assert abs(share - county.share) < 0.025, county.name
        payers = {
            r[0]
            for r in rcon.execute(
                "SELECT DISTINCT payer FROM eligibility "
                f"WHERE county IN ('{county.name}', '{county.code}')"
            ).fetchall()
        }
        assert payers == {p for p, _ in county.plans}, county.name
    codes = _one(rcon, "SELECT avg(regexp_full_match(county, '[0-9]{2}')::INT) FROM eligibility")
    assert 0.01 < codes < 0.06


def test_enrollment_churn_and_deaths(rcon: duckdb.DuckDBPyConnection) -> None:
    multi = (
        "SELECT avg((n > 1)::INT) FROM (SELECT count(*) AS n FROM eligibility GROUP BY person_id)"
    )
    assert 0.05 < _one(rcon, multi) < 0.12
    deaths = f"SELECT avg((death_date IS NOT NULL)::INT) FROM ({MEMBERS})"
    assert 0.002 < _one(rcon, deaths) < 0.01


def test_claim_volume_is_heavy_tailed(rcon: duckdb.DuckDBPyConnection) -> None:
    per = "SELECT person_id, count(*) AS n FROM medical_claim GROUP BY person_id"
    mean = _one(rcon, "SELECT count(*) / 20000 FROM medical_claim")
    assert 18 < mean < 35
    median = _one(rcon, f"SELECT median(n) FROM ({per})")
    assert median < mean * 0.7
    assert _one(rcon, f"SELECT max(n) FROM ({per})") > 300


ED_VISITS = """
    SELECT DISTINCT person_id, claim_start_date AS d FROM medical_claim
    WHERE revenue_center_code IN ('0450', '0451', '0456', '0459') OR place_of_service_code = '23'"""


def test_ed_heavy_tail(rcon: duckdb.DuckDBPyConnection) -> None:
    # Visits in the window ending at each visit: >= 5 in 6 months (adults), >= 3 in 12 (kids).
    windows = f"""
    SELECT v.person_id,
      count(*) OVER (PARTITION BY v.person_id ORDER BY d RANGE BETWEEN INTERVAL 182 DAYS
        PRECEDING AND CURRENT ROW) AS in6,
      count(*) OVER (PARTITION BY v.person_id ORDER BY d RANGE BETWEEN INTERVAL 365 DAYS
        PRECEDING AND CURRENT ROW) AS in12,
      date_diff('year', m.birth_date, v.d) AS age
    FROM ({ED_VISITS}) v JOIN ({MEMBERS}) m USING (person_id)"""
    adults = f"SELECT count(DISTINCT person_id) FROM ({windows}) WHERE age >= 21 AND in6 >= 5"
    kids = f"SELECT count(DISTINCT person_id) FROM ({windows}) WHERE age < 21 AND in12 >= 3"
    n_adults = _one(
        rcon,
        f"SELECT count(*) FROM ({MEMBERS}) "
        "WHERE date_diff('year', birth_date, DATE '2025-12-31') >= 21",
    )
    n_kids = 20000 - n_adults
    assert 0.008 < _one(rcon, adults) / n_adults < 0.035
    assert 0.008 < _one(rcon, kids) / n_kids < 0.05


def test_homelessness_share(rcon: duckdb.DuckDBPyConnection) -> None:
    homeless = """
    SELECT person_id FROM housing_status
    WHERE status NOT IN ('housed', 'at_risk', 'imminent_loss')
    UNION SELECT person_id FROM medical_claim
    WHERE 'Z590' IN (diagnosis_code_1, diagnosis_code_2, diagnosis_code_3)
       OR list_has_any(['Z5900', 'Z5901', 'Z5902'], [diagnosis_code_1, diagnosis_code_2,
          diagnosis_code_3, diagnosis_code_4, diagnosis_code_5])"""
    share = _one(rcon, f"SELECT count(*) / 20000 FROM ({homeless})")
    assert 0.02 < share < 0.05
    statuses = {r[0] for r in rcon.execute("SELECT DISTINCT status FROM housing_status").fetchall()}
    assert {"unsheltered", "sheltered", "couch_surfing", "housed", "at_risk"} <= statuses


def test_ecm_and_community_supports_history(rcon: duckdb.DuckDBPyConnection) -> None:
    pairs = {
        (r[0], r[1])
        for r in rcon.execute(
            "SELECT DISTINCT hcpcs_code, hcpcs_modifier_1 FROM medical_claim "
            "WHERE hcpcs_modifier_1 IS NOT NULL"
        ).fetchall()
    }
    assert {("G9008", "U1"), ("G9012", "U2"), ("G9012", "U8")} <= pairs
    cs_pairs = {(s.hcpcs, s.modifier) for s in SERVICES}
    assert pairs - {("G9008", "U1"), ("G9012", "U2"), ("G9012", "U8")} <= cs_pairs
    assert len(pairs & cs_pairs) >= 13
    in_list = ", ".join(f"('{c}', '{m}')" for c, m in cs_pairs)
    cs_members = f"""SELECT count(DISTINCT person_id) / 20000 FROM medical_claim
        WHERE (hcpcs_code, hcpcs_modifier_1) IN ({in_list})"""
    assert 0.005 < _one(rcon, cs_members) < 0.02
    assert _one(rcon, "SELECT count(*) FROM medical_claim WHERE hcpcs_modifier_2 = 'GQ'") > 0
    first_rent = (
        "SELECT min(claim_start_date)::VARCHAR FROM medical_claim WHERE hcpcs_code = 'H0040'"
    )
    assert rcon.execute(first_rent).fetchall()[0][0] >= "2025-07-01"


def test_supplement_volumes(rcon: duckdb.DuckDBPyConnection) -> None:
    def share(sql: str) -> float:
        return _one(rcon, f"SELECT count(DISTINCT person_id) / 20000 FROM ({sql})")

    assert 0.03 < share("SELECT * FROM program_enrollment WHERE program = 'smhs'") < 0.05
    assert 0.005 < share("SELECT * FROM program_enrollment WHERE program = 'ecm'") < 0.02
    assert 0.002 < share("SELECT * FROM incarceration") < 0.012
    assert 0.01 < share("SELECT * FROM pregnancy") < 0.06
    assert share("SELECT * FROM facility_stay WHERE facility_type = 'nursing_facility'") > 0
    still_there = "SELECT * FROM facility_stay WHERE discharge_date IS NULL"
    assert share(still_there) > 0
    programs = {
        r[0] for r in rcon.execute("SELECT DISTINCT program FROM program_enrollment").fetchall()
    }
    assert {"smhs", "dmc", "dsnp", "ccs", "ccs_wcm", "foster_care", "ecm", "ihss"} <= programs
