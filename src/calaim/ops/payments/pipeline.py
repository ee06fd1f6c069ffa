"""The caseload pipeline, month by month: assigned → reached → enrolled, with churn (pure).

Each month `assigned_per_month` members are assigned. A cohort is in outreach for
`reach_months`; then `reach_rate` of it is reached (the rest is closed unable to reach). The
reached stay in outreach `enroll_months` more; then `enroll_rate` of them enroll. Each month
`churn` of the enrolled leave. Counts are Decimal (expected members), never rounded, so a
hand computation reproduces them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Pipeline:
    """How members move from assignment to enrollment, and how fast they leave."""

    assigned_per_month: Decimal
    reach_rate: Decimal
    reach_months: int
    enroll_rate: Decimal
    enroll_months: int
    churn: Decimal

    def check(self) -> list[str]:
        """What is out of range (fields named), empty when it is sound."""
        problems = []
        for name in ("reach_rate", "enroll_rate", "churn"):
            if not ZERO <= getattr(self, name) <= 1:
                problems.append(f"{name} must be between 0 and 1")
        for name in ("reach_months", "enroll_months"):
            if not 0 <= getattr(self, name) <= 24:
                problems.append(f"{name} must be from 0 to 24 months")
        if self.assigned_per_month < 0:
            problems.append("assigned_per_month must be 0 or more")
        return problems


@dataclass(frozen=True)
class Month:
    """The pipeline in one month (expected members)."""

    index: int
    assigned: Decimal  # newly assigned this month
    in_outreach: Decimal  # assigned or reached, not yet enrolled nor dropped
    newly_enrolled: Decimal
    enrolled: Decimal  # enrolled during the month (after this month's churn)


def run(pipeline: Pipeline, months: int) -> list[Month]:
    """The pipeline's first `months` months."""
    a = pipeline.assigned_per_month
    reached = a * pipeline.reach_rate
    enrolling = reached * pipeline.enroll_rate
    to_enroll = pipeline.reach_months + pipeline.enroll_months
    enrolled = ZERO
    found = []
    for t in range(months):
        cohorts = range(t + 1)  # cohorts assigned in months 0..t
        waiting = sum((a for s in cohorts if t - s < pipeline.reach_months), ZERO)
        waiting += sum(
            (reached for s in cohorts if pipeline.reach_months <= t - s < to_enroll), ZERO
        )
        new = enrolling if t >= to_enroll else ZERO
        enrolled = enrolled * (1 - pipeline.churn) + new
        found.append(Month(t, a, waiting, new, enrolled))
    return found
