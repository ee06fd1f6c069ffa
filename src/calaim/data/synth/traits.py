"""Latent member traits: housing, justice involvement, behavioral and chronic conditions,
programs, and the utilization rates that drive claim volumes.

Traits are drawn in dependency order so that they correlate the way they do in Medi-Cal data:
homelessness raises the odds of justice involvement, SMI and SUD; justice involvement raises
SMI/SUD; age drives chronic conditions, frailty and nursing-facility use; all of these raise
utilization, and a lognormal "intensity" gives the heavy tail of high utilizers.
"""

from __future__ import annotations

from calaim.data.synth import codes
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.sqlkit import layered, wpick

# Chronic conditions: code and prevalence by age (upper age bound exclusive, probability),
# roughly NHANES/CHIS-like rates in a low-income population.
CONDITIONS: dict[str, tuple[str, tuple[tuple[int, float], ...]]] = {
    "htn": ("I10", ((30, 0.0), (50, 0.12), (65, 0.35), (200, 0.60))),
    "dm": ("E119", ((30, 0.005), (50, 0.07), (65, 0.18), (200, 0.25))),
    "copd": ("J449", ((40, 0.0), (65, 0.05), (200, 0.10))),
    "asthma": ("J45909", ((21, 0.09), (200, 0.06))),
    "ckd": ("N184", ((50, 0.0), (65, 0.03), (200, 0.08))),
    "chf": ("I509", ((50, 0.0), (65, 0.02), (200, 0.08))),
    "dementia": ("G309", ((65, 0.0), (75, 0.03), (200, 0.10))),
    "depression": ("F329", ((12, 0.0), (200, 0.07))),
    "dd": ("F79", ((200, 0.005),)),
    "hiv": ("B20", ((18, 0.0), (200, 0.002))),
}

HOMELESS_STATUS_ADULT = {
    "unsheltered": 40,
    "sheltered": 30,
    "imminent_loss": 8,
    "exiting_institution": 7,
    "fleeing_violence": 6,
    "couch_surfing": 9,
}
# Youth homelessness is mostly doubled-up ("couch surfing"), per McKinney-Vento counts.
HOMELESS_STATUS_YOUTH = {
    "couch_surfing": 45,
    "sheltered": 25,
    "unsheltered": 12,
    "fleeing_violence": 8,
    "imminent_loss": 10,
}


def _by_age(bands: tuple[tuple[int, float], ...]) -> str:
    return "CASE " + " ".join(f"WHEN age < {a} THEN {p}" for a, p in bands) + " ELSE 0 END"


def conditions_sql(cfg: SynthConfig, source: str) -> str:
    """SELECT over `source` adding housing, justice, behavioral, chronic and child traits."""
    conds = [
        f"u(idx, {100 + i}) < {_by_age(bands)} * "
        f"(CASE WHEN homeless THEN {2 if name in ('copd', 'hiv') else 1} ELSE 1 END) AS {name}"
        for i, (name, (_, bands)) in enumerate(CONDITIONS.items())
    ]
    dx_list = ", ".join(f"CASE WHEN {n} THEN '{c}' END" for n, (c, _) in CONDITIONS.items())
    youth_status = wpick("u(idx, 64)", HOMELESS_STATUS_YOUTH)
    adult_status = wpick("u(idx, 64)", HOMELESS_STATUS_ADULT)
    return layered(
        source,
        [
            "age >= 21 AS adult",
            # Ever homeless in the period: ~3.5% overall, highest among working-age adults.
            """u(idx, 50) < CASE WHEN age < 18 THEN 0.02 WHEN age < 21 THEN 0.05
               WHEN age < 65 THEN 0.045 ELSE 0.025 END AS homeless""",
            "age < 21 AND u(idx, 59) < 0.03 AS ccs",
        ],
        [
            "NOT homeless AND u(idx, 51) < 0.015 AS at_risk",
            # Justice involvement: ~1% of adults, mostly men, far more among homeless members.
            """u(idx, 52) < CASE WHEN age >= 18
               THEN 0.008 * (CASE gender WHEN 'male' THEN 1.6 ELSE 0.4 END)
               WHEN age >= 13 THEN 0.004 ELSE 0 END
               * (CASE WHEN homeless THEN 4 ELSE 1 END) AS justice""",
            *conds,
            "u(idx, 63) < CASE WHEN homeless THEN 0.5 ELSE 0.08 END AS food_insecure",
            "age < 21 AND u(idx, 60) < 0.01 * (CASE WHEN homeless THEN 3 ELSE 1 END) AS foster",
            f"""CASE WHEN NOT homeless THEN NULL WHEN age < 21 THEN {youth_status}
               ELSE {adult_status} END AS hl_status""",
        ],
        [
            """u(idx, 53) < (CASE WHEN age >= 18 THEN 0.035 WHEN age >= 6 THEN 0.025 ELSE 0 END)
               * (CASE WHEN homeless THEN 3.5 ELSE 1 END)
               * (CASE WHEN justice THEN 3 ELSE 1 END) AS smi""",
            """u(idx, 54) < (CASE WHEN age >= 18 THEN 0.02 WHEN age >= 14 THEN 0.01 ELSE 0 END)
               * (CASE WHEN homeless THEN 5 ELSE 1 END)
               * (CASE WHEN justice THEN 4 ELSE 1 END) AS sud""",
            # Frailty (needs help with daily activities) rises steeply with age and dementia.
            """u(idx, 57) < CASE WHEN age >= 75 THEN 0.30 WHEN age >= 65 THEN 0.15
               WHEN age >= 50 THEN 0.03 ELSE 0 END
               * (CASE WHEN dementia THEN 2.5 ELSE 1 END) AS frail""",
            "age < 21 AND (foster OR u(idx, 61) < 0.005) AS child_welfare",
            "age < 18 AND NOT foster AND u(idx, 62) < 0.003 AS adoption",
            f"""CASE WHEN at_risk THEN {wpick("u(idx, 65)", codes.AT_RISK_Z)}
               WHEN NOT homeless THEN NULL WHEN u(idx, 65) < 0.2 THEN 'Z590'
               WHEN hl_status = 'unsheltered' THEN 'Z5902'
               WHEN hl_status = 'sheltered' THEN 'Z5901' ELSE 'Z5900' END AS z59""",
            # Homeless episode: 40% already homeless when first seen; a third housed later.
            """CASE WHEN NOT (homeless OR at_risk) THEN NULL WHEN u(idx, 66) < 0.4 THEN cs
               ELSE dmap(floor(u(idx, 67) * covered)::INTEGER, cs, gs, gl) END AS hl_start""",
        ],
        [
            f"""CASE WHEN smi AND adult THEN {wpick("u(idx, 55)", codes.SMI_ADULT)}
               WHEN smi THEN {wpick("u(idx, 55)", codes.SMI_CHILD)} END AS smi_dx""",
            f"CASE WHEN sud THEN {wpick('u(idx, 56)', codes.SUD_DX)} END AS sud_dx",
            "frail AND age >= 65 AND u(idx, 58) < 0.15 AS nf_resident",
            """CASE WHEN hl_start IS NOT NULL AND u(idx, 68) < 0.35
               AND hl_start + 60 + floor(u(idx, 69) * 700) < ce
               THEN (hl_start + 60 + floor(u(idx, 69) * 700))::INTEGER END AS hl_end""",
        ],
        [
            f"""list_filter([{dx_list}, smi_dx, sud_dx], lambda x: x IS NOT NULL)
               AS person_dx""",
        ],
    )


def utilization_sql(cfg: SynthConfig, source: str) -> str:
    """SELECT over `source` adding utilization intensity and per-category claim counts."""
    ncond = " + ".join(f"{n}::INTEGER" for n in CONDITIONS)
    return layered(
        source,
        [
            # Lognormal intensity with mean 1 (sigma 1.15): most members use little care, a
            # tail uses a great deal. Capped so one member cannot dominate a small run.
            "least(40.0, exp(1.15 * znorm(idx, 80) - 0.66)) AS intensity",
            # ED propensity shares part of the intensity draw (correlation 0.6).
            "0.6 * znorm(idx, 80) + 0.8 * znorm(idx, 82) AS z_ed",
            f"{ncond} AS ncond",
            # A crisis period concentrates half of a frequent ED user's visits into ~6
            # months, inside the homeless episode for homeless members.
            """CASE WHEN homeless THEN hl_start + floor(u(idx, 97)
               * (coalesce(hl_end, ce) - hl_start))
               ELSE dmap(floor(u(idx, 97) * covered)::INTEGER, cs, gs, gl) END::INTEGER
               AS crisis_off""",
            # Pregnancies: ~4% of women 15-45 per year, peaking in the twenties.
            """CASE WHEN gender <> 'female' THEN 0
               ELSE sround(cov_years * CASE WHEN age BETWEEN 15 AND 19 THEN 0.03
               WHEN age BETWEEN 20 AND 34 THEN 0.075 WHEN age BETWEEN 35 AND 44 THEN 0.03
               WHEN age BETWEEN 45 AND 48 THEN 0.005 ELSE 0 END, idx, 98) END AS n_preg""",
            # D-SNP: dual-eligible older members in a Medicare D-SNP (excluded from ECM).
            "age >= 65 AND u(idx, 99) < 0.05 AS dsnp",
            """(age >= 75 OR death_off IS NOT NULL AND age >= 60)
               AND u(idx, 120) < CASE WHEN death_off IS NOT NULL THEN 0.4 ELSE 0.01 END
               AS hospice""",
        ],
        [
            # ED rate per year: lognormal around a Medi-Cal-like 0.3 visits/member-year;
            # children's spread is narrower, so ~1-2% reach 3 visits in 12 months, as ~1-2%
            # of adults reach 5 in 6 months (the avoidable-utilization thresholds).
            """(CASE WHEN age < 21 THEN 0.15 * least(60.0, exp(1.0 * z_ed - 0.5))
               ELSE (CASE WHEN age < 65 THEN 0.27 ELSE 0.32 END)
                    * least(60.0, exp(1.3 * z_ed - 0.845)) END)
               * (CASE WHEN homeless THEN 3 ELSE 1 END) * (CASE WHEN smi THEN 1.8 ELSE 1 END)
               * (CASE WHEN sud THEN 2 ELSE 1 END) * (CASE WHEN justice THEN 1.3 ELSE 1 END)
               AS ed_rate""",
            """(CASE WHEN age >= 65 THEN 0.12 WHEN age >= 21 THEN 0.04 ELSE 0.015 END)
               * (1 + 0.4 * ncond) * pow(intensity, 0.6)
               * (CASE WHEN homeless THEN 2 ELSE 1 END)
               * (CASE WHEN smi OR sud THEN 1.5 ELSE 1 END) AS ip_rate""",
            "sround(cov_years * 1.7 * intensity * (1 + 0.25 * ncond), idx, 90) AS n_office",
            "sround(cov_years * (CASE WHEN age < 21 THEN 0.7 ELSE 0.25 END), idx, 91) AS n_prev",
            "sround(cov_years * 0.6 * intensity * (1 + 0.3 * ncond), idx, 92) AS n_lab",
            """CASE WHEN smi THEN sround(cov_years * 4 * sqrt(intensity), idx, 95)
               WHEN depression THEN sround(cov_years * 1.0, idx, 95) ELSE 0 END AS n_bh""",
            """CASE WHEN sud THEN sround(cov_years * 6 * sqrt(intensity), idx, 96) ELSE 0 END
               AS n_sud""",
        ],
        [
            "sround(cov_years * ed_rate, idx, 93) AS n_ed",
            "sround(cov_years * ip_rate, idx, 94) AS n_ip",
        ],
    )
