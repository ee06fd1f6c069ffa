"""The ILOS cost ratio: the service's cost against the cost it is estimated to have avoided.

Both are per cohort member-month after the start. The cost of the service is what was paid on
the program's own claim lines; the avoided cost is minus the DiD estimate of total paid on
all other lines. A ratio of 1 or more means the service paid for itself in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from calaim.reports.evaluation.did import Estimate

CENT = Decimal("0.01")


def money(value: float) -> Decimal:
    """A float amount as Decimal dollars and cents (banker's rounding)."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class CostRatio:
    """Service cost and avoided cost per member-month (Decimal), and their ratio."""

    service_cost: Decimal
    avoided: Decimal
    avoided_low: Decimal
    avoided_high: Decimal
    ratio: Decimal | None
    ratio_low: Decimal | None
    ratio_high: Decimal | None


def _ratio(avoided: Decimal, cost: Decimal) -> Decimal | None:
    return (avoided / cost).quantize(CENT) if cost > 0 else None


def cost_ratio(panel: pd.DataFrame, estimates: list[Estimate]) -> CostRatio | None:
    """The cost ratio, or None without a total-paid estimate or cohort follow-up months."""
    paid = next((e for e in estimates if e.outcome == "total_paid"), None)
    after = panel[panel["treated"] & (panel["post"] > 0)]
    if paid is None or after.empty:
        return None
    cost = money(float(np.mean(after["service_paid"].astype(float))))
    avoided = money(-paid.estimate)
    low, high = money(-paid.ci_high), money(-paid.ci_low)
    return CostRatio(
        cost, avoided, low, high, _ratio(avoided, cost), _ratio(low, cost), _ratio(high, cost)
    )
