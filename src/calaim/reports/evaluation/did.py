"""Difference-in-differences and the event study (WLS, standard errors clustered by member).

DiD (statsmodels): y = a + b·treated + c·post + d·treated·post, weighted by the matching
weights; d is the effect per member-month. Event study: one treated × month-from-start term
per month (the month before the start is the reference), so each coefficient is the
treated-minus-comparison change from that reference month; the pre-start coefficients test
parallel trends. That design is saturated, so it is fitted from cell means (`cluster`)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from calaim.reports.evaluation.cluster import cell_fit

LEVEL = 0.95
REFERENCE = -1


@dataclass(frozen=True)
class Estimate:
    """One DiD estimate per member-month, with its interval and the four cell means."""

    outcome: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    treated_members: int
    control_members: int
    treated_pre: float
    treated_post: float
    control_pre: float
    control_post: float


def _cell_means(frame: pd.DataFrame, y: np.ndarray) -> list[float]:
    """Weighted means of y for treated pre, treated post, comparison pre, comparison post."""
    t = frame["treated"].to_numpy(dtype=bool)
    post = frame["post"].to_numpy() > 0
    w = frame["weight"].to_numpy(dtype=float)
    means = []
    for mask in (t & ~post, t & post, ~t & ~post, ~t & post):
        means.append(float(np.average(y[mask], weights=w[mask])) if mask.any() else float("nan"))
    return means


def did_all(frame: pd.DataFrame, outcomes: Iterable[str], *, fast: bool = False) -> list[Estimate]:
    """The 2×2 DiD of each outcome, clustered by member; none if a group or period is empty.

    statsmodels WLS by default; `fast` fits the same saturated 2×2 model from cell means
    (identical numbers, tested), for the many small fits of the strata.
    """
    if frame.empty or frame["treated"].nunique() < 2 or frame["post"].nunique() < 2:
        return []
    t = frame["treated"].to_numpy(dtype=float)
    post = frame["post"].to_numpy(dtype=float)
    groups = pd.factorize(frame["person_id"])[0]
    w = frame["weight"].to_numpy(dtype=float)
    counts = (
        int(frame.loc[frame["treated"], "person_id"].nunique()),
        int(frame.loc[~frame["treated"], "person_id"].nunique()),
    )
    out = []
    for outcome in outcomes:
        y = frame[outcome].to_numpy(dtype=float)
        fit = _cells_did(y, t, post, w, groups) if fast else _statsmodels_did(y, t, post, w, groups)
        out.append(Estimate(outcome, *fit, *counts, *_cell_means(frame, y)))
    return out


Fitted = tuple[float, float, float, float, float]  # estimate, se, low, high, p


def _statsmodels_did(
    y: np.ndarray, t: np.ndarray, post: np.ndarray, w: np.ndarray, groups: np.ndarray
) -> Fitted:
    x = np.column_stack([np.ones_like(t), t, post, t * post])
    with warnings.catch_warnings():
        # An outcome that is zero in every cell (no SNF days at all) has no variance to report.
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sm.WLS(y, x, weights=w).fit(cov_type="cluster", cov_kwds={"groups": groups})
    low, high = np.asarray(res.conf_int(1 - LEVEL))[3]
    return (
        float(np.asarray(res.params)[3]),
        float(np.asarray(res.bse)[3]),
        float(low),
        float(high),
        float(np.asarray(res.pvalues)[3]),
    )


def _cells_did(
    y: np.ndarray, t: np.ndarray, post: np.ndarray, w: np.ndarray, groups: np.ndarray
) -> Fitted:
    cell = (t * 2 + post).astype(int)  # 0 control pre, 1 control post, 2 treated pre, 3 post
    fit = cell_fit(y, w, cell, groups, 4)
    value, low, high = fit.contrast(np.array([1.0, -1.0, -1.0, 1.0]), LEVEL)
    se = (high - value) / float(stats.norm.ppf(0.5 + LEVEL / 2))
    p = float(2 * stats.norm.sf(abs(value) / se)) if se > 0 else float("nan")
    return value, se, low, high, p


@dataclass(frozen=True)
class EventStudy:
    """Effects by month from the start, and the pre-period (parallel trends) test."""

    outcome: str
    table: pd.DataFrame
    """rel, estimate, ci_low, ci_high (the reference month is 0 with no interval)."""
    pretrend_p: float
    """p-value of the joint test that every pre-start effect is zero (NaN if untestable)."""


def event_study(frame: pd.DataFrame, outcome: str) -> EventStudy:
    """Month-by-month effects around the start (see the module docstring)."""
    rels = sorted(int(r) for r in frame["rel"].unique())
    if REFERENCE not in rels or frame["treated"].nunique() < 2:
        empty = pd.DataFrame(columns=["rel", "estimate", "ci_low", "ci_high"])
        return EventStudy(outcome, empty, float("nan"))
    n = len(rels)
    position = {r: i for i, r in enumerate(rels)}
    rel_idx = frame["rel"].map(position).to_numpy()
    cell = frame["treated"].to_numpy(dtype=int) * n + rel_idx
    groups = pd.factorize(frame["person_id"])[0]
    y = frame[outcome].to_numpy(dtype=float)
    fit = cell_fit(y, frame["weight"].to_numpy(dtype=float), cell, groups, 2 * n)
    ref = position[REFERENCE]
    rows, pre = [], []
    for r in rels:
        weights = np.zeros(2 * n)
        if r != REFERENCE:
            weights[[n + position[r], ref]] = 1.0
            weights[[n + ref, position[r]]] = -1.0
        value, low, high = fit.contrast(weights, LEVEL)
        if r == REFERENCE:
            low = high = float("nan")
        elif r < REFERENCE:
            pre.append(weights)
        rows.append((r, value, low, high))
    table = pd.DataFrame(rows, columns=["rel", "estimate", "ci_low", "ci_high"])
    pretrend = fit.wald_p(np.array(pre)) if pre else float("nan")
    return EventStudy(outcome, table, pretrend)
