"""Value formats other implementations write, declared per column in the layouts (`formats:`).

Each format is a named reading of a cell's text, tried after the column's own reading fails:
- `minutes_text`: a duration with a unit, `10 mins`, `10 min`, `10 minutes`, `1 hr 15 min`,
  `1.5 hours` -> whole minutes;
- `time_range_minutes`: a date-time or time range, `2024-03-05 10:00-10:30`,
  `03/05/2024 10:00 AM - 03/05/2024 10:45 AM` -> the minutes between start and end;
- `range_start_date`: a date-time or a date-time range, `2024-03-05 10:00 - 10:30`,
  `03/05/2024 10:00 AM - 11:00 AM` -> the date it starts on.
The layout says which formats a column accepts and where each comes from (`source`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

_UNITS = {"h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60}
_UNITS |= {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)\.?")
_DATE = r"(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
_TIME = r"(\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)"
_RANGE = re.compile(
    rf"^{_DATE}[ tT]+{_TIME}(?:\s*(?:-|–|to)\s*(?:{_DATE}[ tT]+)?{_TIME})?$", re.IGNORECASE
)


def minutes_text(text: str) -> int | None:
    """`10 mins`, `1 hr 15 min`, `1.5 hours` -> minutes (None if it is not such a text)."""
    cleaned = text.strip().lower()
    parts = _PART.findall(cleaned)
    if not parts or _PART.sub("", cleaned).strip(" ,and") != "":
        return None
    total = 0.0
    for number, unit in parts:
        if unit not in _UNITS:
            return None
        total += float(number) * _UNITS[unit]
    return round(total) if total == round(total) else None


def _date_of(text: str) -> dt.date:
    if "-" in text:
        return dt.date.fromisoformat(text)
    month, day, year = (int(part) for part in text.split("/"))
    return dt.date(year, month, day)


def _time_of(text: str) -> dt.time:
    cleaned = text.strip().lower().replace(".", "").replace(" ", "")
    for pattern in ("%I:%M%p", "%I:%M:%S%p", "%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(cleaned, pattern).time()
        except ValueError:
            continue
    raise ValueError(text)


def _range(text: str) -> tuple[dt.datetime, dt.datetime | None] | None:
    found = _RANGE.match(text.strip())
    if found is None:
        return None
    start_date, start_time, end_date, end_time = found.groups()
    try:
        start = dt.datetime.combine(_date_of(start_date), _time_of(start_time))
        if end_time is None:
            return start, None
        end_day = _date_of(end_date) if end_date else start.date()
        return start, dt.datetime.combine(end_day, _time_of(end_time))
    except ValueError:
        return None


def time_range_minutes(text: str) -> int | None:
    """Minutes between a range's start and end (None unless it is a forward range)."""
    found = _range(text)
    if found is None or found[1] is None or found[1] < found[0]:
        return None
    return int((found[1] - found[0]).total_seconds() // 60)


def range_start_date(text: str) -> dt.date | None:
    """The date a date-time (or date-time range) starts on."""
    found = _range(text)
    return found[0].date() if found else None


FORMATS: dict[str, Callable[[str], object]] = {
    "minutes_text": minutes_text,
    "time_range_minutes": time_range_minutes,
    "range_start_date": range_start_date,
}
"""Every format a layout may declare, by name."""
