"""The date of an enrollment's latest step, on an ORM `Enrollment` or on plain column values.

Bulk paths (an RTF of 100k plain status moves, exchange/filespecs) read enrollments as column
tuples instead of ORM objects; they check a new step's date with the same rule as the service
(`check_date(..., not_before=last_step_on(...))`) through this one function.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class StepDates(Protocol):
    """What the rule reads: the dates of the enrollment's steps so far."""

    @property
    def assigned_on(self) -> dt.date: ...

    @property
    def outreach_started_on(self) -> dt.date | None: ...

    @property
    def enrolled_on(self) -> dt.date | None: ...


def last_step_on(enrollment: StepDates) -> dt.date:
    """The date of the enrollment's latest step so far (assigned, outreach, enrolled)."""
    dates = [enrollment.assigned_on, enrollment.outreach_started_on, enrollment.enrolled_on]
    return max(date for date in dates if date is not None)
