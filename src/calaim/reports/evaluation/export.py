"""The estimates as tables (CSV and Parquet): every row carries the run's provenance.

Three tables: `estimates` (overall and per stratum; a suppressed stratum keeps its row with
"<11" and no numbers), `event_study` (effects by month from the start) and `balance` (SMD
before and after matching). Estimates are Decimal: money to the cent, rates to 6 places.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from calaim.reports.evaluation.costs import CENT, money
from calaim.reports.evaluation.did import Estimate
from calaim.reports.evaluation.run import Evaluation
from calaim.reports.evaluation.spec import MONEY_OUTCOMES

RATE = Decimal("0.000001")
NUMBERS = ("estimate", "se", "ci_low", "ci_high")


def number(outcome: str, value: float) -> Decimal | None:
    """An estimate as Decimal: dollars and cents for money, 6 places for counts and days."""
    if value != value:  # NaN
        return None
    if outcome in MONEY_OUTCOMES:
        return money(value)
    return Decimal(repr(float(value))).quantize(RATE)


def provenance(ev: Evaluation) -> dict[str, str]:
    """The columns that make every row reproducible."""
    s = ev.spec
    return {
        "program_id": s.program_id,
        "cohort_start": s.start.isoformat(),
        "cohort_end": s.end.isoformat(),
        "as_of": s.as_of.isoformat(),
        "pre_months": str(s.pre_months),
        "post_months": str(s.post_months),
        "policy_hash": ev.policy_hash,
        "input_fingerprint": ev.input_fingerprint,
    }


def _row(dimension: str, value: str, shown: object, e: Estimate | None) -> dict[str, object]:
    row: dict[str, object] = {"stratum": dimension, "value": value, "treated_members": shown}
    row["outcome"] = e.outcome if e else None
    for name in NUMBERS:
        row[name] = number(e.outcome, getattr(e, name)) if e else None
    row["p_value"] = round(e.p_value, 6) if e else None
    row["control_members"] = e.control_members if e else None
    for cell in ("treated_pre", "treated_post", "control_pre", "control_post"):
        row[cell] = number(e.outcome, getattr(e, cell)) if e else None
    return row


def estimates_table(ev: Evaluation) -> pd.DataFrame:
    """Overall estimates, then every stratum's (suppressed strata with "<11" and no numbers)."""
    rows = [_row("all", "all", e.treated_members, e) for e in ev.estimates]
    for s in ev.strata:
        chosen: Iterable[Estimate | None] = s.estimates or [None]
        rows += [_row(s.dimension, s.value, str(s.treated_members), e) for e in chosen]
    frame = pd.DataFrame(rows)
    frame["treated_members"] = frame["treated_members"].astype(str)
    frame["control_members"] = frame["control_members"].astype("Int64")
    return frame.assign(**provenance(ev))


def event_table(ev: Evaluation) -> pd.DataFrame:
    """Effects by month from the start, one row per outcome and month."""
    parts = []
    for study in ev.events:
        t = study.table.copy()
        t.insert(0, "outcome", study.outcome)
        for name in ("estimate", "ci_low", "ci_high"):
            t[name] = [number(study.outcome, v) for v in t[name]]
        t["pretrend_p"] = (
            round(study.pretrend_p, 6) if study.pretrend_p == study.pretrend_p else None
        )
        parts.append(t)
    return pd.concat(parts, ignore_index=True).assign(**provenance(ev))


def balance_table(ev: Evaluation) -> pd.DataFrame:
    """Standardized mean differences before and after matching."""
    return ev.balance.round(4).assign(**provenance(ev))


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    schema = pa.schema(
        pa.field(f.name, pa.decimal128(20, 6)) if pa.types.is_decimal(f.type) else f
        for f in table.schema
    )
    pq.write_table(table.cast(schema), path)


def write_tables(ev: Evaluation, folder: Path) -> list[Path]:
    """Write estimates, event_study and balance as CSV and Parquet into `folder`."""
    written = []
    for name, frame in (
        ("estimates", estimates_table(ev)),
        ("event_study", event_table(ev)),
        ("balance", balance_table(ev)),
    ):
        csv_path, parquet_path = folder / f"{name}.csv", folder / f"{name}.parquet"
        frame.to_csv(csv_path, index=False)
        _parquet(frame, parquet_path)
        written += [csv_path, parquet_path]
    return written


__all__ = ["CENT", "write_tables"]
