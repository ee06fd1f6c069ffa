"""Estimates by race/ethnicity, language, county and Population of Focus, with suppression.

A comparison set belongs to the stratum of its cohort member. The cohort counts of one
dimension are suppressed as a breakdown of the cohort total (fewer than 11 shown as "<11",
with complementary suppression: `calaim.reports.suppression`), and a suppressed stratum shows
no estimates either, since its means would reveal its size.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calaim.reports.evaluation.did import Estimate, did_all
from calaim.reports.evaluation.spec import OUTCOMES, STRATA
from calaim.reports.suppression import Shown, suppress


@dataclass(frozen=True)
class StratumEstimate:
    """One stratum's cohort count as it may be shown, and its estimates unless suppressed."""

    dimension: str
    value: str
    treated_members: Shown
    suppressed: bool
    estimates: list[Estimate]


def stratified(panel: pd.DataFrame, units: pd.DataFrame) -> list[StratumEstimate]:
    """Every dimension's strata in order of cohort size (largest first)."""
    cohort = units[units["treated"].astype(bool)]
    total = int(cohort["person_id"].nunique())
    out: list[StratumEstimate] = []
    for dimension in STRATA:
        by_set = cohort.set_index("set_id")[dimension].astype(str)
        counts = cohort.groupby(dimension)["person_id"].nunique().sort_values(ascending=False)
        shown, _ = suppress([int(c) for c in counts], total)
        for (value, count), cell in zip(counts.items(), shown, strict=True):
            hidden = cell != count
            rows = panel[panel["set_id"].map(by_set) == str(value)]
            estimates = [] if hidden else did_all(rows, OUTCOMES, fast=True)
            out.append(StratumEstimate(dimension, str(value), cell, hidden, estimates))
    return out
