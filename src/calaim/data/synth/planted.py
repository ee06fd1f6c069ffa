"""Planted effects: known service effects written into a synthetic population (off by default).

An evaluation method is only trusted once it recovers an effect whose size is known. A
scenario does two things, both after the ordinary generator steps, so a run without a scenario
is byte-identical to one made before this module existed:

1. **Uptake.** Extra adults start a service (`uptake`: share of adult members), at a random
   date that leaves a year of coverage on either side. Uptake depends only on traits an
   evaluation can see (age band and sex), so matching on them removes the selection.
2. **Effects.** For members with the service, a share (`reduction`) of their inpatient stays
   (with the SNF stay that followed) or ED visits is removed in the `months` calendar months
   from the month of their first service claim. `groups` limits an effect to members with the
   given value of `race`, `ethnicity`, `language` (ISO code) or `county` (name).

Removing a share `r` of the events leaves `1 - r` of the counterfactual, so the effect on the
treated is `-r / (1 - r)` times their observed rate in those months: what the tests check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import yaml

from calaim.data.synth.codes import Cat
from calaim.data.synth.config import SynthConfig
from calaim.data.synth.services import SERVICE_COLUMNS, SERVICES, services_values
from calaim.data.synth.sqlkit import lit

Outcome = Literal["inpatient", "ed"]
GROUP_COLUMNS = {
    "race": "race",
    "ethnicity": "ethnicity",
    "language": "lang_code",
    "county": "county",
}
ECM = "ecm"
# Day offsets of a planted start keep this many days of coverage before and after it.
MARGIN_DAYS = 366


@dataclass(frozen=True)
class PlantedEffect:
    """One known effect: a service removes a share of one outcome's events after its start."""

    service: str
    outcome: Outcome
    reduction: float
    months: int = 12
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """Extra uptake per service and the effects to plant."""

    uptake: dict[str, float]
    effects: tuple[PlantedEffect, ...]


# The documented default (docs/evaluation.md): recuperative care cuts inpatient stays by half
# for everyone and ED visits by 40% for Spanish-speaking members; medically tailored meals are
# taken up as often but change nothing.
DEFAULT = Scenario(
    uptake={"recuperative_care": 0.1, "medically_tailored_meals": 0.1},
    effects=(
        PlantedEffect("recuperative_care", "inpatient", 0.5),
        PlantedEffect("recuperative_care", "ed", 0.4, groups={"language": ("es",)}),
    ),
)


def load_scenario(source: str | Path) -> Scenario:
    """`default`, or a YAML file with `uptake:` (service: share) and `effects:` (a list)."""
    if str(source) == "default":
        return DEFAULT
    path = Path(source)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read the planted-effects file ({error})") from error
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping with 'uptake' and 'effects'")
    uptake = {str(k): float(v) for k, v in (raw.get("uptake") or {}).items()}
    effects = tuple(_effect(path, i, e) for i, e in enumerate(raw.get("effects") or []))
    scenario = Scenario(uptake, effects)
    check(scenario, str(path))
    return scenario


def _effect(path: Path, index: int, raw: object) -> PlantedEffect:
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: effects[{index}] must be a mapping")
    try:
        groups = {str(k): tuple(str(x) for x in v) for k, v in (raw.get("groups") or {}).items()}
        return PlantedEffect(
            str(raw["service"]),
            raw["outcome"],
            float(raw["reduction"]),
            int(raw.get("months", 12)),
            groups,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: effects[{index}]: {error!r}; see docs/evaluation.md") from error


def check(scenario: Scenario, where: str = "scenario") -> None:
    """Raise ValueError naming the first unknown service, outcome, group or bad share."""
    known = {s.key for s in SERVICES} | {ECM}
    for key, share in scenario.uptake.items():
        if key not in known:
            raise ValueError(f"{where}: uptake: unknown service {key!r}")
        if not 0 <= share <= 0.5:
            raise ValueError(f"{where}: uptake of {key}: give a share between 0 and 0.5")
    for e in scenario.effects:
        if e.service not in known:
            raise ValueError(f"{where}: effect: unknown service {e.service!r}")
        if e.outcome not in ("inpatient", "ed"):
            raise ValueError(f"{where}: effect on {e.service}: outcome is inpatient or ed")
        if not 0 < e.reduction < 1 or not 1 <= e.months <= 36:
            raise ValueError(f"{where}: effect on {e.service}: reduction in (0, 1), months 1-36")
        if unknown := set(e.groups) - set(GROUP_COLUMNS):
            raise ValueError(f"{where}: effect on {e.service}: unknown group {sorted(unknown)}")


def _planted_start(sid: int) -> str:
    # Uniform over coverage, a year in from either end when coverage allows it.
    return f"""clampcov(cs + {MARGIN_DAYS} + floor(u(idx, 7100 + {sid})
        * greatest(0, ce - cs - 2 * {MARGIN_DAYS}))::INTEGER, cs, ce, gs, gl)"""


def _chosen(sid: int, share: float) -> str:
    # Older adults take services up more often (an observable trait the matching sees).
    return f"""age >= 21 AND u(idx, 7000 + {sid}) < {share}
        * CASE WHEN age >= 50 THEN 1.5 ELSE 0.75 END * CASE WHEN gender = 'female' THEN 1.2
        ELSE 0.9 END"""


def add_episodes(con: duckdb.DuckDBPyConnection, cfg: SynthConfig, scenario: Scenario) -> None:
    """Add planted Community Supports and ECM episodes to `cs_ep` and `ecm_ep`."""
    sids = {s.key: i for i, s in enumerate(SERVICES, start=1)}
    cs = {k: v for k, v in scenario.uptake.items() if k != ECM and v > 0}
    if cs:
        parts = " UNION ALL ".join(_cs_rows(sids[k], share) for k, share in cs.items())
        con.execute(f"""
        CREATE OR REPLACE TEMP TABLE cs_ep AS
        SELECT * FROM (SELECT * FROM cs_ep UNION ALL BY NAME {parts}) ORDER BY idx, sid""")
    if scenario.uptake.get(ECM, 0) > 0:
        _add_ecm(con, cfg, scenario.uptake[ECM])


def _cs_rows(sid: int, share: float) -> str:
    return f"""
    SELECT idx, sid, key, hcpcs, modifier, price, units_lo, units_hi, every, per_diem,
      start_off,
      CASE WHEN per_diem THEN least(14 + floor(u3(idx, sid, 7200) * 77)::INTEGER,
        ce - start_off + 1) END AS days,
      CASE WHEN per_diem THEN ceil(days / 30)::INTEGER
           ELSE claims_lo + floor(u3(idx, sid, 7201) * (claims_hi - claims_lo + 1))::INTEGER
           END AS n_claims,
      ce, gs, gl
    FROM (SELECT p.idx, p.ce, p.gs, p.gl, svc.*, {_planted_start(sid)} AS start_off
          FROM person p, (SELECT * FROM ({services_values()}) s({SERVICE_COLUMNS})) svc
          WHERE svc.sid = {sid} AND {_chosen(sid, share)}
            AND p.idx NOT IN (SELECT idx FROM cs_ep WHERE sid = {sid}))"""


def _add_ecm(con: duckdb.DuckDBPyConnection, cfg: SynthConfig, share: float) -> None:
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE ecm_ep AS
    SELECT * FROM (
      SELECT * FROM ecm_ep
      UNION ALL BY NAME
      SELECT idx, start_off, months, ce, gs, gl,
        CASE WHEN start_off + months * 30 <= ce THEN start_off + months * 30 - 1 END AS end_off,
        least(months, ceil((ce - start_off + 1) / 30))::INTEGER AS billed_months,
        ce = {cfg.days - 1} AND death_off IS NULL AS active_at_end
      FROM (SELECT idx, ce, gs, gl, death_off, {_planted_start(0)} AS start_off,
              6 + floor(u(idx, 7300) * 13)::INTEGER AS months
            FROM person
            WHERE NOT dsnp AND NOT hospice AND {_chosen(0, share)}
              AND idx NOT IN (SELECT idx FROM ecm_ep))
    ) ORDER BY idx""")


def _starts_sql(service: str) -> str:
    if service == ECM:
        where = f"cat = {int(Cat.ECM)} AND svc_mod1 IN ('U1', 'U2')"
    else:
        svc = next(s for s in SERVICES if s.key == service)
        where = (
            f"cat = {int(Cat.COMMUNITY_SUPPORT)} AND svc_hcpcs = {lit(svc.hcpcs)} "
            f"AND svc_mod1 = {lit(svc.modifier)}"
        )
    return f"SELECT idx, min(s) AS s0 FROM enc WHERE {where} GROUP BY idx"


def _dropped_sql(cfg: SynthConfig, n: int, effect: PlantedEffect) -> str:
    start = lit(cfg.start_date)
    month0 = f"date_trunc('month', {start} + st.s0::INTEGER)"
    day = f"{start} + e.s::INTEGER"
    window = f"{day} >= {month0} AND {day} < {month0} + INTERVAL {effect.months} MONTH"
    cats = (
        (Cat.INPATIENT,)
        if effect.outcome == "inpatient"
        else (Cat.ED_FACILITY, Cat.ED_PROFESSIONAL)
    )
    groups = " AND ".join(
        f"p.{GROUP_COLUMNS[col]} IN ({', '.join(lit(v) for v in values)})"
        for col, values in effect.groups.items()
    )
    return f"""
    SELECT DISTINCT e.idx, e.k, {effect.outcome == "inpatient"} AS stay
    FROM enc e JOIN ({_starts_sql(effect.service)}) st USING (idx) JOIN person p USING (idx)
    WHERE e.cat IN ({", ".join(str(int(c)) for c in cats)}) AND {window}
      AND u3(e.idx, e.k, {7400 + n}) < {effect.reduction} {"AND " + groups if groups else ""}"""


def apply_effects(con: duckdb.DuckDBPyConnection, cfg: SynthConfig, scenario: Scenario) -> None:
    """Remove the planted share of events from `enc` (stays with their SNF follow-up)."""
    if not scenario.effects:
        return
    drops = " UNION ".join(_dropped_sql(cfg, n, e) for n, e in enumerate(scenario.effects))
    stay_cats = f"{int(Cat.INPATIENT)}, {int(Cat.SNF)}"
    ed_cats = f"{int(Cat.ED_FACILITY)}, {int(Cat.ED_PROFESSIONAL)}"
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE enc AS
    SELECT e.* FROM enc e
    WHERE NOT EXISTS (
      SELECT 1 FROM ({drops}) d WHERE d.idx = e.idx AND d.k = e.k
        AND ((d.stay AND e.cat IN ({stay_cats})) OR (NOT d.stay AND e.cat IN ({ed_cats}))))
    ORDER BY idx, s, cat, k""")
