"""Cell means of a saturated model with their member-clustered (sandwich) covariance.

An event study with one term per group × month is saturated: its fitted values are the
weighted cell means, and its clustered covariance is the sandwich over the cells, with
influence w·(y − mean)/W for each member-month. This computes exactly what statsmodels'
`WLS(...).fit(cov_type="cluster")` gives for that design (small-sample factor
G/(G−1)·(N−1)/(N−K), normal intervals; a test checks they agree), without building the
member-months × terms matrix that makes the general solver slow at a million rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class CellFit:
    """Weighted cell means and their clustered covariance."""

    means: np.ndarray
    cov: np.ndarray

    def contrast(self, weights: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
        """A linear combination of the means: its value and normal interval."""
        value = float(weights @ self.means)
        se = float(np.sqrt(max(float(weights @ self.cov @ weights), 0.0)))
        z = float(stats.norm.ppf(0.5 + level / 2))
        return value, value - z * se, value + z * se

    def wald_p(self, contrasts: np.ndarray) -> float:
        """p-value of the joint test that every row of `contrasts` is zero."""
        b = contrasts @ self.means
        v = contrasts @ self.cov @ contrasts.T
        rank = int(np.linalg.matrix_rank(v))
        if rank == 0:
            return float("nan")
        stat = float(b @ np.linalg.pinv(v) @ b)
        return float(stats.chi2.sf(stat, rank))


def cell_fit(
    y: np.ndarray, w: np.ndarray, cell: np.ndarray, groups: np.ndarray, cells: int
) -> CellFit:
    """Means of y per cell (0 .. cells-1) weighted by w, covariance clustered on `groups`."""
    total_w = np.bincount(cell, weights=w, minlength=cells)
    means = np.bincount(cell, weights=w * y, minlength=cells) / np.where(total_w > 0, total_w, 1)
    influence = w * (y - means[cell]) / np.where(total_w > 0, total_w, 1)[cell]
    codes = pd.factorize(groups)[0]
    g = int(codes.max()) + 1 if len(codes) else 0
    u = np.bincount(codes * cells + cell, weights=influence, minlength=g * cells)
    u = u.reshape(g, cells)
    n = len(y)
    factor = g / max(g - 1, 1) * (n - 1) / max(n - cells, 1)
    return CellFit(means, factor * (u.T @ u))
