"""Score and tier every member enrolled on one as-of date, and write the outputs.

Outputs, beside each other:
- `FILE` (.csv or .parquet): one row per member: each factor's value, met flag and points,
  the score, the tier and the policy hash;
- `FILE.summary.csv`: members by tier (all members and by county);
- `FILE.equity.csv`: the tier distribution by race/ethnicity, language and county with the
  disparity summary, small cells suppressed (calaim.engine.phm.equity).

The score reuses the eligibility engine: the factors are criteria over the same features,
compiled by the same pipeline and run by the same backend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calaim.engine.compile.pipeline import Step
from calaim.engine.identify import OutputPathError, Progress, compile_for, opened, run_steps
from calaim.engine.loading.policy import Policy
from calaim.engine.phm.equity import EquityRow, equity_rows, write_equity
from calaim.engine.phm.model import ResolvedModel, load_model, resolve_model
from calaim.engine.phm.score_sql import scored_sql

SUFFIXES = (".csv", ".parquet")


@dataclass
class TiersResult:
    """What a run wrote and found."""

    as_of: dt.date
    policy_hash: str
    out: Path
    summary_file: Path
    equity_file: Path
    members: int
    by_tier: list[dict[str, Any]] = field(default_factory=list)
    equity: list[EquityRow] = field(default_factory=list)
    model: ResolvedModel | None = None


def tier_paths(out: Path) -> tuple[Path, Path]:
    """(summary, equity) paths beside the tiers file."""
    if out.suffix.lower() not in SUFFIXES:
        raise OutputPathError(f"{out}: the output must end in .csv or .parquet")
    stem = out.with_suffix("")
    return Path(f"{stem}.summary.csv"), Path(f"{stem}.equity.csv")


def resolved_model(policy: Policy, as_of: dt.date) -> ResolvedModel:
    """The risk model in force on `as_of`."""
    return resolve_model(policy, load_model(policy), as_of)


def score_members(
    data: Path,
    as_of: dt.date,
    *,
    policy: Policy,
    person: str | None = None,
    county: str | None = None,
) -> tuple[ResolvedModel, list[dict[str, Any]]]:
    """Score members in memory (one person with `person`): for explanations and tests."""
    model = resolved_model(policy, as_of)
    with opened(data, county=county) as (backend, inputs):
        pipeline = compile_for(policy, model.policy, inputs, backend, person=person)
        run_steps(backend, pipeline, None)
        return model, backend.rows(scored_sql(model))


def compute_tiers(
    data: Path,
    as_of: dt.date,
    out: Path,
    *,
    policy: Policy | None = None,
    progress: Progress | None = None,
    memory_limit: str | None = None,
    county: str | None = None,
) -> TiersResult:
    """Score and tier every member enrolled on `as_of`; write the tiers, summary and equity."""
    summary_path, equity_path = tier_paths(out)
    policy = policy or Policy.load()
    model = resolved_model(policy, as_of)
    with opened(data, memory_limit=memory_limit, county=county) as (backend, inputs):
        pipeline = compile_for(policy, model.policy, inputs, backend)
        run_steps(backend, pipeline, progress)
        backend.materialize(Step("risk_tiers", scored_sql(model)))
        members = backend.export("SELECT * FROM risk_tiers", out)
        summary_sql = _summary_sql(model)
        backend.export(summary_sql, summary_path)
        counts = backend.rows(
            "SELECT 'race_ethnicity' AS dimension, race_ethnicity AS grp, tier, count(*) AS n "
            "FROM risk_tiers GROUP BY ALL UNION ALL "
            "SELECT 'language', language, tier, count(*) FROM risk_tiers GROUP BY ALL UNION ALL "
            "SELECT 'county', coalesce(county, 'unknown'), tier, count(*) FROM risk_tiers "
            "GROUP BY ALL"
        )
        equity = equity_rows(counts, model)
        write_equity(equity_path, equity)
        return TiersResult(
            as_of=as_of,
            policy_hash=model.policy_hash,
            out=out,
            summary_file=summary_path,
            equity_file=equity_path,
            members=members,
            by_tier=backend.rows(_by_tier_sql(model)),
            equity=equity,
            model=model,
        )


def _tier_order(model: ResolvedModel) -> str:
    whens = " ".join(f"WHEN '{t.tier}' THEN {rank}" for rank, t in enumerate(model.tiers))
    return f"CASE tier {whens} ELSE {len(model.tiers)} END"


def _by_tier_sql(model: ResolvedModel) -> str:
    return (
        f"SELECT tier, count(*) AS members, {_tier_order(model)} AS tier_rank "
        "FROM risk_tiers GROUP BY tier ORDER BY tier_rank"
    )


def _summary_sql(model: ResolvedModel) -> str:
    return f"""
SELECT 'all' AS county, tier, count(*) AS members, {_tier_order(model)} AS tier_rank
FROM risk_tiers GROUP BY tier
UNION ALL
SELECT coalesce(county, 'unknown'), tier, count(*), {_tier_order(model)}
FROM risk_tiers GROUP BY ALL
ORDER BY county = 'all' DESC, county, tier_rank"""
