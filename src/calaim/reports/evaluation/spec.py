"""What one evaluation asks: the program, the cohort period, the windows and the matching."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

OUTCOMES: dict[str, str] = {
    "ed_visits": "ED visits",
    "ip_admits": "Hospital admissions",
    "ip_days": "Hospital days",
    "snf_days": "Nursing facility (SNF) days",
    "total_paid": "Total paid, other care ($)",
}
MONEY_OUTCOMES = frozenset({"total_paid"})
STRATA: dict[str, str] = {
    "race_ethnicity": "Race and ethnicity",
    "language": "Language",
    "county": "County",
    "pof": "Population of Focus",
}


class EvaluationError(ValueError):
    """A request that cannot be evaluated, naming the field and what to do."""


def month_index(day: dt.date) -> int:
    """Months since year 0: consecutive calendar months are consecutive integers."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    """The first day of the month with this index."""
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class EvaluationSpec:
    """One evaluation: members whose first service claim falls in [start, end]."""

    program_id: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    pre_months: int = 12
    post_months: int = 12
    neighbours: int = 4
    pool_ratio: int = 20
    caliper: float = 0.2
    seed: int = 1

    def check(self) -> None:
        """Raise EvaluationError naming the first field that cannot work."""
        if self.start > self.end:
            raise EvaluationError(f"--start {self.start} is after --end {self.end}")
        for name, months in (
            ("--pre-months", self.pre_months),
            ("--post-months", self.post_months),
        ):
            if not 6 <= months <= 12:
                raise EvaluationError(f"{name} {months}: give 6 to 12 months")
        if self.last_month_end > self.as_of:
            raise EvaluationError(
                f"--as-of {self.as_of}: the follow-up of members starting by {self.end} runs to "
                f"{self.last_month_end}; give an as-of date on or after it, or an earlier --end"
            )
        if not 1 <= self.neighbours <= 5:
            raise EvaluationError(f"--neighbours {self.neighbours}: give 1 to 5")

    @property
    def first_month(self) -> int:
        """The first month of any unit's window (the pre-period of the earliest start)."""
        return month_index(self.start) - self.pre_months

    @property
    def last_month(self) -> int:
        """The last month of any unit's window (the follow-up of the latest start)."""
        return month_index(self.end) + self.post_months - 1

    @property
    def last_month_end(self) -> dt.date:
        """The last day of the follow-up of the latest start."""
        return month_start(self.last_month + 1) - dt.timedelta(days=1)
