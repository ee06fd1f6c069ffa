"""A pipeline calibrated from the store's history: how many are assigned a month, how many are
reached and enroll, how long each step takes, how fast the enrolled leave."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from calaim.ops.payments.pipeline import Pipeline
from calaim.ops.payments.repository import Episode

DAYS_PER_MONTH = Decimal("30.4375")
FOUR = Decimal("0.0001")


def _ratio(part: int, whole: int) -> Decimal:
    return (Decimal(part) / whole).quantize(FOUR, rounding=ROUND_HALF_UP) if whole else Decimal(0)


def _months(days: list[int]) -> int:
    """Mean of `days` in whole months (half up)."""
    if not days:
        return 0
    mean = Decimal(sum(days)) / len(days) / DAYS_PER_MONTH
    return int(mean.to_integral_value(rounding=ROUND_HALF_UP))


def calibrate(history: list[Episode], since: dt.date, until: dt.date) -> Pipeline | None:
    """The pipeline the history shows (None without any episode)."""
    if not history:
        return None
    window = max(Decimal((until - since).days) / DAYS_PER_MONTH, Decimal(1))
    reached = [(e, e.reached_on or e.enrolled_on) for e in history]
    reach_days = [(on - e.assigned_on).days for e, on in reached if on is not None]
    enrolled = [(e, e.enrolled_on) for e in history if e.enrolled_on is not None]
    enroll_days = [(on - (e.reached_on or on)).days for e, on in enrolled]
    left = sum(1 for e, _ in enrolled if e.discontinued_on)
    member_days = sum(((e.discontinued_on or until) - on).days for e, on in enrolled)
    member_months = Decimal(member_days) / DAYS_PER_MONTH
    churn = (Decimal(left) / member_months).quantize(FOUR) if member_months else Decimal(0)
    return Pipeline(
        assigned_per_month=(Decimal(len(history)) / window).quantize(Decimal("0.01")),
        reach_rate=_ratio(len(reach_days), len(history)),
        reach_months=_months(reach_days),
        enroll_rate=_ratio(len(enrolled), len(reach_days)),
        enroll_months=_months(enroll_days),
        churn=min(churn, Decimal(1)),
    )
