"""The reentry dates calaim counts, read from dated parameters (`parameters/reentry.yaml`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calaim.ops.policy import shipped_policy


def _days(name: str, day: dt.date) -> int:
    path = f"reentry.{name}"
    found = shipped_policy().parameters[path].value_at(day)
    if found is None or found[1] is None:
        raise LookupError(f"parameter {path} has no value on {day}; add one to reentry.yaml")
    return int(found[1])


@dataclass(frozen=True)
class ReleaseDates:
    """The pre-release window and deadlines of one expected release date."""

    release_on: dt.date
    window_opens_on: dt.date
    assessment_due_on: dt.date
    care_plan_due_on: dt.date
    handoff_due_on: dt.date
    medication_days: int
    supply_grace_days: int

    def in_window(self, day: dt.date) -> bool:
        """Whether `day` is inside the pre-release window (up to and including release)."""
        return self.window_opens_on <= day <= self.release_on


def release_dates(release_on: dt.date) -> ReleaseDates:
    """The window and deadlines for a release on `release_on` (parameters as of that day)."""

    def before(name: str) -> dt.date:
        return release_on - dt.timedelta(days=_days(name, release_on))

    return ReleaseDates(
        release_on=release_on,
        window_opens_on=before("pre_release_window_days"),
        assessment_due_on=before("assessment_days_before_release"),
        care_plan_due_on=before("care_plan_days_before_release"),
        handoff_due_on=before("handoff_days_before_release"),
        medication_days=_days("release_medication_days", release_on),
        supply_grace_days=_days("supply_grace_days", release_on),
    )
