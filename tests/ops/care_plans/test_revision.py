"""One care plan revision rule: the task clock and the workspace's lists read the same days."""

from __future__ import annotations

import datetime as dt

import pytest

from calaim.ops.care_plans.revision import last_revised, revision_due_on, revision_due_soon
from calaim.ops.models import CarePlan, Enrollment

TODAY = dt.date(2025, 10, 1)
ENROLLED = dt.date(2025, 1, 10)


def enrollment() -> Enrollment:
    return Enrollment(status="enrolled", enrolled_on=ENROLLED)


def test_a_missing_plan_is_due_on_the_enrolled_day() -> None:
    assert last_revised(None) is None
    assert revision_due_on(enrollment(), None, TODAY) == ENROLLED


def test_a_plan_without_dates_is_due_on_the_enrolled_day_too() -> None:
    # The worklist once said "today" here while the task clock said the enrolled day.
    assert revision_due_on(enrollment(), CarePlan(), TODAY) == ENROLLED


def test_an_undated_enrollment_is_due_today() -> None:
    assert revision_due_on(Enrollment(status="enrolled"), None, TODAY) == TODAY


def test_the_latest_revision_counts_before_the_assessment() -> None:
    plan = CarePlan(
        assessment_completed_on=dt.date(2025, 2, 1), latest_revision_on=dt.date(2025, 5, 1)
    )
    assert revision_due_on(enrollment(), plan, TODAY) == dt.date(2025, 5, 1) + dt.timedelta(182)
    assessed = CarePlan(assessment_completed_on=dt.date(2025, 2, 1))
    assert revision_due_on(enrollment(), assessed, TODAY) == dt.date(2025, 8, 2)


@pytest.mark.parametrize(("days_ahead", "soon"), [(30, True), (31, False), (0, True), (-5, True)])
def test_due_soon_within_30_days_and_when_late(days_ahead: int, soon: bool) -> None:
    assert revision_due_soon(TODAY + dt.timedelta(days_ahead), TODAY) is soon
