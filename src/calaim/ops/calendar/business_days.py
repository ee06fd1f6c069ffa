"""Business days in California and the decision clock of an authorization request.

Business days are counted in America/Los_Angeles (the holiday file's `time_zone`): Monday to
Friday except the state holidays that close state offices. A request is *received* on the
local date it arrives if that is a business day and it arrives before 17:00 local time; a
request at 17:00 or later, or on a weekend or holiday, is received on the next business day.

- routine: due at 17:00 local on the Nth business day after the day of receipt
  (`authorization.timelines.routine_business_days`), but never later than
  `routine_max_calendar_days` calendar days (exact clock time) after the request;
- expedited: due `expedited_hours` clock hours after the request, weekends and holidays
  included (the 72-hour clock does not stop).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from calaim.engine.loading.policy import Policy
from calaim.ops.calendar.holidays import california_holidays

# The hour business closes, local time; a request from this hour on counts the next business day.
CLOSE_OF_BUSINESS = dt.time(17, 0)


@cache
def _closures(year: int) -> dict[dt.date, str]:
    return california_holidays().closures(year)


def local_zone() -> ZoneInfo:
    """The time zone business days are counted in."""
    return ZoneInfo(california_holidays().time_zone)


def holiday_name(day: dt.date) -> str | None:
    """The state holiday observed on `day`, if state offices are closed for one."""
    return _closures(day.year).get(day)


def is_business_day(day: dt.date) -> bool:
    """Whether `day` is a weekday on which state offices are open."""
    return day.weekday() < 5 and holiday_name(day) is None


def next_business_day(day: dt.date) -> dt.date:
    """The first business day strictly after `day`."""
    day += dt.timedelta(days=1)
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int) -> dt.date:
    """The `count`th business day after `day` (`day` itself is not counted; 0 returns it)."""
    if count < 0:
        raise ValueError("count must be zero or more")
    for _ in range(count):
        day = next_business_day(day)
    return day


def receipt_date(requested_at: dt.datetime) -> dt.date:
    """The business day a request counts as received (see the module docstring)."""
    local = _aware(requested_at).astimezone(local_zone())
    if is_business_day(local.date()) and local.time() < CLOSE_OF_BUSINESS:
        return local.date()
    return next_business_day(local.date())


@dataclass(frozen=True)
class Timelines:
    """The decision clock's numbers in force on one date."""

    routine_business_days: int
    routine_max_calendar_days: int
    expedited_hours: int

    @classmethod
    def at(cls, policy: Policy, as_of: dt.date) -> Timelines:
        """Read the dated `authorization.timelines.*` parameters in force on `as_of`."""

        def number(name: str) -> int:
            found = policy.parameters[f"authorization.timelines.{name}"].value_at(as_of)
            if found is None:
                raise LookupError(f"authorization.timelines.{name} has no value on {as_of}")
            return int(found[1])

        return cls(
            routine_business_days=number("routine_business_days"),
            routine_max_calendar_days=number("routine_max_calendar_days"),
            expedited_hours=number("expedited_hours"),
        )


def decision_due_at(
    requested_at: dt.datetime, expedited: bool, timelines: Timelines
) -> dt.datetime:
    """When the plan's decision is due, in UTC."""
    # Clock arithmetic in UTC: adding hours to a Los Angeles time would add wall-clock hours.
    requested_at = _aware(requested_at).astimezone(dt.UTC)
    if expedited:
        return (requested_at + dt.timedelta(hours=timelines.expedited_hours)).astimezone(dt.UTC)
    due_day = add_business_days(receipt_date(requested_at), timelines.routine_business_days)
    due = dt.datetime.combine(due_day, CLOSE_OF_BUSINESS, tzinfo=local_zone())
    # APL 21-011 / H&S 1367.01 (RECALLED): never later than 14 calendar days from the request.
    latest = requested_at + dt.timedelta(days=timelines.routine_max_calendar_days)
    return min(due, latest).astimezone(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone (UTC); got a naive datetime")
    return moment
