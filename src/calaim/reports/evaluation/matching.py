"""Propensity-score matching within start month, and the balance it achieves (SMD).

A logistic regression (scikit-learn) predicts starting the service from the covariates; each
cohort member is matched, with replacement, to its `neighbours` nearest pool members of the
same start month on the logit of that score, within `caliper` standard deviations of it.
Each match weighs 1/k (k = matches the cohort member got); unmatched cohort members are left
out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

from calaim.reports.evaluation.covariates import CATEGORICAL, NUMERIC
from calaim.reports.evaluation.spec import EvaluationSpec

# Levels rarer than this (in treated and pool together) are pooled as "other" in the model.
MIN_LEVEL = 20


@dataclass(frozen=True)
class Matched:
    """The matched units and what matching did."""

    units: pd.DataFrame
    """unit, set_id, person_id, m0, treated, weight and the covariates."""
    balance: pd.DataFrame
    """covariate, smd_before, smd_after."""
    unmatched: int


def design(frame: pd.DataFrame) -> pd.DataFrame:
    """The model matrix: numeric covariates (paid on a log scale) and one-hot categories."""
    numeric = frame[list(NUMERIC)].copy()
    numeric["pre_paid"] = np.log1p(numeric["pre_paid"].clip(lower=0))
    cats = frame[list(CATEGORICAL)].astype(str).copy()
    for column in cats:
        counts = cats[column].value_counts()
        rare = counts[counts < MIN_LEVEL].index
        cats.loc[cats[column].isin(rare), column] = "other"
    dummies = pd.get_dummies(cats, prefix_sep="=", dtype=float)
    return pd.concat([numeric, dummies], axis=1)


def propensity(x: pd.DataFrame, treated: np.ndarray) -> np.ndarray:
    """Logit of the propensity score from a standardized logistic regression."""
    scale = x.std(ddof=0).replace(0, 1)
    z = ((x - x.mean()) / scale).to_numpy()
    model = LogisticRegression(max_iter=2000, C=1.0)
    model.fit(z, treated)
    p = np.clip(model.predict_proba(z)[:, 1], 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


def smd(x: pd.DataFrame, treated: np.ndarray, weights: np.ndarray) -> pd.Series:
    """Standardized mean differences (pooled SD of the unweighted groups as denominator)."""
    t, c = x[treated], x[~treated]
    wc = weights[~treated]
    sd = np.sqrt((t.var(ddof=0) + c.var(ddof=0)) / 2).replace(0, np.nan)
    mean_c = (c.mul(wc, axis=0)).sum() / max(wc.sum(), 1e-12)
    return ((t.mean() - mean_c) / sd).fillna(0.0)


def match(frame: pd.DataFrame, spec: EvaluationSpec) -> Matched:
    """Match cohort members to pool members of their start month (see the module docstring)."""
    x = design(frame)
    treated = frame["treated"].to_numpy(dtype=bool)
    logit = propensity(x, treated)
    width = spec.caliper * float(np.std(logit))
    picks: list[tuple[int, int, float]] = []  # (set index, row index, weight)
    unmatched = 0
    for _, rows in frame.groupby("m0").groups.items():
        idx = np.asarray(rows)
        t_idx, c_idx = idx[treated[idx]], idx[~treated[idx]]
        found = _nearest(logit, t_idx, c_idx, spec.neighbours, width)
        unmatched += len(t_idx) - len(found)
        for t, controls in found.items():
            picks.append((t, t, 1.0))
            picks += [(t, c, 1.0 / len(controls)) for c in controls]
    sets, rows_, weights = (
        (np.array(v) for v in zip(*picks, strict=True)) if picks else ([], [], [])
    )
    units = (
        frame.iloc[rows_]
        .reset_index(drop=True)
        .assign(set_id=np.asarray(sets, dtype=int), weight=np.asarray(weights, dtype=float))
    )
    units.insert(0, "unit", np.arange(len(units)))
    all_w = np.ones(len(frame))
    xm = x.iloc[np.asarray(rows_, dtype=int)].reset_index(drop=True)
    balance = pd.DataFrame(
        {
            "smd_before": smd(x, treated, all_w),
            "smd_after": smd(xm, units["treated"].to_numpy(dtype=bool), units["weight"].to_numpy())
            if len(units)
            else np.nan,
        }
    )
    balance.index.name = "covariate"
    return Matched(units, balance.reset_index(), unmatched)


def _nearest(
    logit: np.ndarray, t_idx: np.ndarray, c_idx: np.ndarray, k: int, width: float
) -> dict[int, list[int]]:
    if len(t_idx) == 0 or len(c_idx) == 0:
        return {}
    k = min(k, len(c_idx))
    nn = NearestNeighbors(n_neighbors=k).fit(logit[c_idx].reshape(-1, 1))
    dist, pos = nn.kneighbors(logit[t_idx].reshape(-1, 1))
    found: dict[int, list[int]] = {}
    for t, d_row, p_row in zip(t_idx, dist, pos, strict=True):
        chosen = [int(c_idx[p]) for d, p in zip(d_row, p_row, strict=True) if d <= width]
        if chosen:
            found[int(t)] = chosen
    return found
