"""member_fact: screening and assessment results for the members a plan would have assessed.

Who is assessed follows care-management practice: homeless and behavioral-health members get
social-needs and complex-need assessments; older and frail members get functional (ADL/IADL)
and caregiver assessments; asthma patients get trigger assessments and Asthma Control Test
scores; about 12% of everyone gets a routine social-needs screen (food, transportation).
"""

from __future__ import annotations

from calaim.data.synth.config import SynthConfig


def _bool(expr: str) -> str:
    return f"CASE WHEN {expr} THEN 'true' ELSE 'false' END"


# (fact, who is assessed, value expression, stream). Values use u(idx, stream + 1..).
FACTS: tuple[tuple[str, str, str, int], ...] = (
    (
        "complex_health_need",
        "(homeless AND u(idx, 400) < 0.75) OR ((smi OR sud OR ncond >= 2) AND u(idx, 400) < 0.3)",
        _bool(
            "u(idx, 401) < CASE WHEN homeless AND (smi OR sud OR ncond >= 1 OR ed_rate > 1) "
            "THEN 0.9 WHEN homeless THEN 0.5 ELSE 0.6 END"
        ),
        400,
    ),
    (
        "food_insecurity",
        "u(idx, 410) < 0.12 OR (homeless AND u(idx, 410) < 0.75)",
        "CASE WHEN food_insecure THEN 'true' ELSE 'false' END",
        410,
    ),
    (
        "transportation_barrier",
        "u(idx, 410) < 0.12 OR (homeless AND u(idx, 410) < 0.75)",
        _bool("u(idx, 421) < CASE WHEN homeless THEN 0.5 ELSE 0.15 END"),
        420,
    ),
    (
        "law_enforcement_contact",
        "(justice AND u(idx, 430) < 0.8) OR ((homeless OR smi OR sud) AND u(idx, 430) < 0.3)",
        _bool("justice OR u(idx, 431) < CASE WHEN homeless THEN 0.25 ELSE 0.15 END"),
        430,
    ),
    (
        "crisis_contact",
        "(smi OR sud) AND u(idx, 440) < 0.5",
        _bool("u(idx, 441) < 0.4"),
        440,
    ),
    (
        "adl_deficits",
        "{elder}",
        "(CASE WHEN frail THEN 2 + floor(u(idx, 451) * 5) "
        "ELSE floor(u(idx, 451) * 2) END)::INTEGER::VARCHAR",
        450,
    ),
    (
        "iadl_deficits",
        "{elder}",
        "(CASE WHEN frail THEN 3 + floor(u(idx, 461) * 6) "
        "ELSE floor(u(idx, 461) * 3) END)::INTEGER::VARCHAR",
        460,
    ),
    ("lives_alone", "{elder}", _bool("u(idx, 471) < 0.3"), 470),
    (
        "unpaid_caregiver",
        "{elder}",
        _bool("u(idx, 481) < CASE WHEN frail THEN 0.6 ELSE 0.2 END"),
        480,
    ),
    (
        "nf_level_of_care",
        "frail AND (nf_resident OR u(idx, 490) < 0.5)",
        _bool("nf_resident OR u(idx, 491) < 0.4"),
        490,
    ),
    (
        "wants_community_transition",
        "nf_resident AND u(idx, 500) < 0.8",
        _bool("u(idx, 501) < 0.3"),
        500,
    ),
    ("asthma_trigger_assessment", "asthma AND u(idx, 510) < 0.3", _bool("u(idx, 511) < 0.7"), 510),
    # Asthma Control Test: 5-25, 19 or less means poorly controlled.
    (
        "asthma_control_test_score",
        "asthma AND u(idx, 520) < 0.4",
        "(5 + floor(u(idx, 521) * 21))::INTEGER::VARCHAR",
        520,
    ),
    # Household: homeless adults of parenting age are asked whether their children live with
    # them (ECM PoF 1b for the adults of homeless families).
    (
        "lives_with_dependent_children",
        "homeless AND age >= 21 AND age < 55 AND u(idx, 530) < 0.6",
        _bool("u(idx, 531) < 0.35"),
        530,
    ),
    ("formal_supports", "{elder}", _bool("u(idx, 541) < 0.4"), 540),
    (
        "inadequate_caregiving",
        "{elder}",
        _bool("u(idx, 551) < CASE WHEN frail THEN 0.25 ELSE 0.08 END"),
        550,
    ),
    ("communication_difficulty", "{elder}", _bool("u(idx, 561) < 0.12"), 560),
    ("conservatorship_need", "frail AND u(idx, 570) < 0.5", _bool("u(idx, 571) < 0.1"), 570),
    ("skilled_nursing_need", "frail AND u(idx, 580) < 0.6", _bool("u(idx, 581) < 0.35"), 580),
    # Adverse childhood experiences screen (0-10; 4 or more is high risk, ACEs Aware).
    (
        "ace_score",
        "(smi OR sud OR homeless) AND u(idx, 590) < 0.35",
        "(floor(u(idx, 591) * u(idx, 592) * 11))::INTEGER::VARCHAR",
        590,
    ),
)
ELDER = "age >= 60 AND (frail OR u(idx, 455) < 0.3)"


def member_fact_sql(cfg: SynthConfig) -> str:
    """SELECT producing member_fact rows, booleans as 'true'/'false' and integers as text."""
    parts = []
    for fact, who, value, stream in FACTS:
        # Homeless members are assessed during their episode; others anywhere in coverage.
        when = (
            f"CASE WHEN homeless THEN hl_start + floor(u(idx, {stream + 8}) "
            f"* (coalesce(hl_end, ce) - hl_start))::INTEGER "
            f"ELSE dmap(floor(u(idx, {stream + 8}) * covered)::INTEGER, cs, gs, gl) END"
        )
        parts.append(
            f"SELECT idx, person_id, {when} AS d, '{fact}' AS fact, {value} AS value "
            f"FROM person WHERE {who.format(elder=ELDER)}"
        )
    return f"""
    SELECT person_id, {cfg.day("d")} AS observed_date, fact, value
    FROM ({" UNION ALL ".join(parts)}) ORDER BY idx, d, fact"""
