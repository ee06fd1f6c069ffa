"""The member-month panel of matched units, built in DuckDB from `ev_enrolled` and `ev_outcome`."""

from __future__ import annotations

import duckdb
import pandas as pd

from calaim.reports.evaluation.spec import OUTCOMES, EvaluationSpec


def long_panel(
    con: duckdb.DuckDBPyConnection, units: pd.DataFrame, spec: EvaluationSpec
) -> pd.DataFrame:
    """One row per unit and enrolled month from `pre_months` before to `post_months` after."""
    con.register("ev_matched", units[["unit", "set_id", "person_id", "m0", "treated", "weight"]])
    try:
        outcomes = ", ".join(f"coalesce(o.{name}, 0)::DOUBLE AS {name}" for name in OUTCOMES)
        frame = con.execute(f"""
        SELECT u.unit, u.set_id, u.person_id, u.treated, u.weight, e.m - u.m0 AS rel,
          {outcomes}, coalesce(o.service_paid, 0) AS service_paid
        FROM ev_matched u
        JOIN ev_enrolled e ON e.person_id = u.person_id
          AND e.m BETWEEN u.m0 - {spec.pre_months} AND u.m0 + {spec.post_months - 1}
        LEFT JOIN ev_outcome o ON o.person_id = u.person_id AND o.m = e.m
        ORDER BY u.unit, rel""").df()
    finally:
        con.unregister("ev_matched")
    frame["post"] = (frame["rel"] >= 0).astype(float)
    frame["treated"] = frame["treated"].astype(bool)
    return frame
