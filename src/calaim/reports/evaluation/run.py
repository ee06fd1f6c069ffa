"""evaluate(): from an input folder to matched DiD estimates, event study, strata and costs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from calaim.data.contract import INPUT_TABLES
from calaim.data.reader import open_inputs
from calaim.data.sources import parquet_parts
from calaim.engine.loading.policy import Policy
from calaim.reports.evaluation.costs import CostRatio, cost_ratio
from calaim.reports.evaluation.covariates import covariates
from calaim.reports.evaluation.did import Estimate, EventStudy, did_all, event_study
from calaim.reports.evaluation.long_panel import long_panel
from calaim.reports.evaluation.matching import match
from calaim.reports.evaluation.panel import build_outcomes, build_units, service_codes
from calaim.reports.evaluation.spec import OUTCOMES, EvaluationError, EvaluationSpec
from calaim.reports.evaluation.strata import StratumEstimate, stratified


@dataclass(frozen=True)
class Evaluation:
    """Everything one evaluation found, with what is needed to reproduce it."""

    spec: EvaluationSpec
    policy_hash: str
    input_fingerprint: str
    estimates: list[Estimate]
    events: list[EventStudy]
    strata: list[StratumEstimate]
    balance: pd.DataFrame
    cost: CostRatio | None
    cohort: int
    """Members who started in the period (before matching)."""
    unmatched: int
    panel: pd.DataFrame


def _table_files(folder: Path) -> list[Path]:
    """The folder's table files, sorted; a table given as a folder of Parquet parts (as
    `calaim synth --partition-size` writes it) contributes each part."""
    found: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in (".csv", ".parquet"):
            found.append(path)
        elif path.is_dir() and path.name.lower().removesuffix(".parquet") in INPUT_TABLES:
            found += parquet_parts(path)
    return found


def input_fingerprint(folder: Path) -> str:
    """SHA-256 over the names (relative to the folder) and bytes of its table files."""
    digest = hashlib.sha256()
    for path in _table_files(Path(folder)):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\n")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:32]


def evaluate(data: Path, spec: EvaluationSpec, policy: Policy) -> Evaluation:
    """Run one evaluation over the input folder `data` (see docs/evaluation.md)."""
    spec.check()
    resolved = policy.resolve(spec.as_of)
    pairs = service_codes(resolved, spec.program_id)
    con = duckdb.connect()
    try:
        open_inputs(Path(data), con)
        build_units(con, spec, pairs)
        build_outcomes(con, spec, resolved, pairs)
        frame = covariates(con, spec)
        matched = match(frame, spec)
        if matched.units.empty:
            raise EvaluationError("no cohort member found a comparable member; try a longer period")
        panel = long_panel(con, matched.units, spec)
    finally:
        con.close()
    estimates = did_all(panel, OUTCOMES)
    return Evaluation(
        spec=spec,
        policy_hash=resolved.policy_hash,
        input_fingerprint=input_fingerprint(Path(data)),
        estimates=estimates,
        events=[event_study(panel, name) for name in OUTCOMES],
        strata=stratified(panel, matched.units),
        balance=matched.balance,
        cost=cost_ratio(panel, estimates),
        cohort=int(frame["treated"].sum()),
        unmatched=matched.unmatched,
        panel=panel,
    )
