"""California state holidays, business days and the authorization decision clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from calaim.engine.loading.policy import Policy
from calaim.ops.calendar.business_days import (
    Timelines,
    add_business_days,
    decision_due_at,
    holiday_name,
    is_business_day,
    receipt_date,
)
from calaim.ops.calendar.holidays import california_holidays, nth_weekday, observed_date

LA = ZoneInfo("America/Los_Angeles")
DEFAULT = Timelines(routine_business_days=5, routine_max_calendar_days=14, expedited_hours=72)


def local(*args: int) -> dt.datetime:
    """A Los Angeles wall-clock time."""
    return dt.datetime(*args, tzinfo=LA)


def due_local(
    requested: dt.datetime, expedited: bool = False, t: Timelines = DEFAULT
) -> dt.datetime:
    """The due time, shown in Los Angeles time."""
    due = decision_due_at(requested, expedited, t)
    assert due.utcoffset() == dt.timedelta(0)
    return due.astimezone(LA)


# CalHR's published 2024 list of state holidays, dates as observed.
CALHR_2024 = {
    dt.date(2024, 1, 1), dt.date(2024, 1, 15), dt.date(2024, 2, 19), dt.date(2024, 4, 1),
    dt.date(2024, 5, 27), dt.date(2024, 7, 4), dt.date(2024, 9, 2), dt.date(2024, 11, 11),
    dt.date(2024, 11, 28), dt.date(2024, 11, 29), dt.date(2024, 12, 25),
}  # fmt: skip


def test_2024_closures_equal_calhrs_published_list() -> None:
    assert set(california_holidays().closures(2024)) == CALHR_2024


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2024, 4, 1), "Cesar Chavez Day"),  # March 31 2024 was a Sunday
        (dt.date(2023, 11, 10), "Veterans Day"),  # Nov 11 2023 a Saturday: Friday observed
        (dt.date(2022, 12, 26), "Christmas Day"),  # Sunday: Monday observed
        (dt.date(2023, 1, 2), "New Year's Day"),
        (dt.date(2025, 11, 28), "Day after Thanksgiving"),
        (dt.date(2026, 5, 25), "Memorial Day"),  # last Monday of May
    ],
)
def test_observed_holidays(day: dt.date, name: str) -> None:
    assert holiday_name(day) == name
    assert not is_business_day(day)


def test_saturday_holidays_other_than_veterans_day_close_no_weekday() -> None:
    # July 4 2026 is a Saturday: state employees get holiday credit, Friday July 3 stays open.
    assert is_business_day(dt.date(2026, 7, 3))
    # Jan 1 2022 was a Saturday: Friday Dec 31 2021 was a business day.
    assert is_business_day(dt.date(2021, 12, 31))


def test_holidays_that_do_not_close_offices_are_business_days() -> None:
    assert is_business_day(dt.date(2025, 6, 19))  # Juneteenth (RECALLED: offices open)
    assert is_business_day(dt.date(2025, 9, 26))  # Native American Day, 4th Friday of Sept
    assert is_business_day(dt.date(2025, 2, 12))  # Lincoln Day
    assert is_business_day(dt.date(2025, 10, 13))  # Columbus Day


def test_every_rule_carries_a_confidence_and_the_uncertain_ones_are_recalled() -> None:
    rules = {holiday.id: holiday for holiday in california_holidays().holidays}
    assert rules["juneteenth"].confidence == "recalled"
    assert rules["native_american_day"].confidence == "recalled"
    assert rules["cesar_chavez_day"].confidence == "verified"


def test_nth_weekday_and_observance_helpers() -> None:
    assert nth_weekday(2025, 9, 4, 4) == dt.date(2025, 9, 26)
    assert nth_weekday(2025, 5, 0, -1) == dt.date(2025, 5, 26)
    assert nth_weekday(2025, 11, 3, 4) == dt.date(2025, 11, 27)
    assert observed_date(dt.date(2026, 7, 4), {"saturday": "none"}) is None


def test_add_business_days_skips_weekends_and_holidays() -> None:
    assert add_business_days(dt.date(2025, 11, 24), 0) == dt.date(2025, 11, 24)
    # Thanksgiving week: Mon + 3 business days skips Thu/Fri and the weekend.
    assert add_business_days(dt.date(2025, 11, 24), 3) == dt.date(2025, 12, 1)
    # Year end: Dec 31 2025 + 1 = Fri Jan 2 2026 (New Year's Day on Thursday).
    assert add_business_days(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 2)
    with pytest.raises(ValueError, match="zero or more"):
        add_business_days(dt.date(2025, 1, 6), -1)


@pytest.mark.parametrize(
    ("requested", "received"),
    [
        (local(2025, 3, 4, 16, 59, 59), dt.date(2025, 3, 4)),  # one second before close
        (local(2025, 3, 4, 17, 0, 0), dt.date(2025, 3, 5)),  # exactly at 5pm: next day
        (local(2025, 3, 8, 10, 0), dt.date(2025, 3, 10)),  # Saturday: Monday
        (local(2025, 3, 28, 18, 0), dt.date(2025, 4, 1)),  # Fri after hours, Mon Mar 31 holiday
        (local(2025, 3, 4, 0, 0), dt.date(2025, 3, 4)),  # midnight counts that day
    ],
)
def test_receipt_date(requested: dt.datetime, received: dt.date) -> None:
    assert receipt_date(requested) == received


def test_receipt_uses_los_angeles_time_not_utc() -> None:
    # 2025-03-05 00:30 UTC is 16:30 on March 4 in Los Angeles (PST): still March 4.
    assert receipt_date(dt.datetime(2025, 3, 5, 0, 30, tzinfo=dt.UTC)) == dt.date(2025, 3, 4)
    # 01:30 UTC is 17:30 in Los Angeles: after close, so March 5.
    assert receipt_date(dt.datetime(2025, 3, 5, 1, 30, tzinfo=dt.UTC)) == dt.date(2025, 3, 5)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        receipt_date(dt.datetime(2025, 3, 4, 10, 0))


def test_routine_due_five_business_days_at_close_of_business() -> None:
    assert due_local(local(2025, 3, 4, 9, 0)) == local(2025, 3, 11, 17, 0)


def test_routine_request_on_friday_before_monday_holiday() -> None:
    # Fri Jan 17 2025 10:00 (MLK Day Mon Jan 20): Fri is day 0; Tue 21 .. Mon 27 = 5 days.
    assert due_local(local(2025, 1, 17, 10, 0)) == local(2025, 1, 27, 17, 0)
    # Same Friday after 5pm: received Tue 21; due Tue 28.
    assert due_local(local(2025, 1, 17, 17, 0)) == local(2025, 1, 28, 17, 0)


def test_routine_request_in_thanksgiving_week() -> None:
    # Wed Nov 26 2025 at 10:00: Mon Dec 1 is day 1 (Thu/Fri closed), Fri Dec 5 is day 5.
    assert due_local(local(2025, 11, 26, 10, 0)) == local(2025, 12, 5, 17, 0)


def test_routine_request_at_year_end() -> None:
    # Wed Dec 24 2025: Fri 26, Mon 29, Tue 30, Wed 31, Fri Jan 2 (Jan 1 closed).
    assert due_local(local(2025, 12, 24, 9, 0)) == local(2026, 1, 2, 17, 0)


def test_routine_never_later_than_the_calendar_cap() -> None:
    requested = local(2025, 11, 26, 10, 0)
    # 14 calendar days from the request is Wed Dec 10 10:00.
    # 8 business days (Thanksgiving Thu/Fri closed) would be Dec 10 17:00: the cap wins.
    eight = Timelines(routine_business_days=8, routine_max_calendar_days=14, expedited_hours=72)
    assert due_local(requested, t=eight) == local(2025, 12, 10, 10, 0)
    # One business day fewer, Dec 9 17:00, is earlier than the cap and stands.
    seven = Timelines(routine_business_days=7, routine_max_calendar_days=14, expedited_hours=72)
    assert due_local(requested, t=seven) == local(2025, 12, 9, 17, 0)


def test_expedited_counts_clock_hours_through_weekends_and_holidays() -> None:
    requested = local(2025, 11, 26, 18, 30)
    assert due_local(requested, expedited=True) == local(2025, 11, 29, 18, 30)


def test_expedited_hours_across_the_dst_change_are_real_hours() -> None:
    # DST ended Sun Nov 2 2025 01:00 PST: 72 real hours after Fri 12:00 PDT is Mon 11:00 PST.
    assert due_local(local(2025, 10, 31, 12, 0), expedited=True) == local(2025, 11, 3, 11, 0)


def test_timelines_read_from_dated_parameters() -> None:
    timelines = Timelines.at(Policy.load(), dt.date(2025, 3, 4))
    assert timelines == DEFAULT
