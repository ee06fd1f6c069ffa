"""California state holidays computed per year from the rules in
`policy/reference/ca_state_holidays.yaml` (fixed dates with weekend observance, nth weekday,
days after another holiday)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.policy import default_policy_dir
from calaim.engine.loading.yamlio import parse_date, read_yaml

CONFIDENCES = ("verified", "recalled", "assumption")
SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class Holiday:
    """One holiday rule: how its date is found in a year and whether offices close."""

    id: str
    name: str
    kind: str  # "fixed" | "nth_weekday" | "days_after"
    spec: Mapping[str, Any]
    observed: Mapping[str, str]
    closes_offices: bool
    start: dt.date
    end: dt.date | None
    confidence: str

    def applies_on(self, day: dt.date) -> bool:
        """Whether the rule is in force on `day` (from `start`, up to but excluding `end`)."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class HolidayCalendar:
    """The holiday rules and the time zone business days are counted in."""

    time_zone: str
    holidays: tuple[Holiday, ...]

    def actual_dates(self, year: int) -> dict[str, dt.date]:
        """Each rule's date in `year` before weekend observance (id → date)."""
        dates: dict[str, dt.date] = {}
        for holiday in self.holidays:
            if holiday.kind == "fixed":
                dates[holiday.id] = dt.date(year, holiday.spec["month"], holiday.spec["day"])
            elif holiday.kind == "nth_weekday":
                dates[holiday.id] = nth_weekday(year, **holiday.spec)
        for holiday in self.holidays:
            if holiday.kind == "days_after":
                base = dates[holiday.spec["holiday"]]
                dates[holiday.id] = base + dt.timedelta(days=holiday.spec["days"])
        return dates

    def closures(self, year: int) -> dict[dt.date, str]:
        """Weekdays of `year` on which state offices are closed for a holiday (date → name)."""
        actual = self.actual_dates(year)
        closed: dict[dt.date, str] = {}
        for holiday in self.holidays:
            if not holiday.closes_offices:
                continue
            day = observed_date(actual[holiday.id], holiday.observed)
            if day is not None and holiday.applies_on(day):
                closed[day] = holiday.name
        return closed


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The `n`th `weekday` (0 = Monday) of a month; n = -1 is the last one."""
    if n == -1:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def observed_date(actual: dt.date, observed: Mapping[str, str]) -> dt.date | None:
    """The weekday a holiday is observed on, or None when it closes no weekday."""
    if actual.weekday() == SUNDAY and observed.get("sunday") == "next_monday":
        return actual + dt.timedelta(days=1)
    if actual.weekday() == SATURDAY and observed.get("saturday") == "previous_friday":
        return actual - dt.timedelta(days=1)
    if actual.weekday() in (SATURDAY, SUNDAY):
        # A weekend holiday without a weekday observance closes nothing extra.
        return None
    return actual


def load_holidays(file: Path) -> HolidayCalendar:
    """Read and check the holiday rules file."""
    raw = read_yaml(file)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("holidays"), list):
        raise PolicyError(file, "needs 'time_zone' and a list of 'holidays'")
    holidays = tuple(
        _holiday(item, f"{file} (holidays[{i}])") for i, item in enumerate(raw["holidays"])
    )
    ids = {holiday.id for holiday in holidays}
    for holiday in holidays:
        if holiday.kind == "days_after" and holiday.spec.get("holiday") not in ids:
            raise PolicyError(file, f"{holiday.id}: days_after names an unknown holiday")
    return HolidayCalendar(
        time_zone=str(raw.get("time_zone") or "America/Los_Angeles"), holidays=holidays
    )


def _holiday(raw: Any, where: str) -> Holiday:
    if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("source"):
        raise PolicyError(where, "each holiday needs an 'id', a rule and a 'source'")
    kinds = [kind for kind in ("fixed", "nth_weekday", "days_after") if kind in raw]
    if len(kinds) != 1:
        raise PolicyError(where, "give exactly one of fixed, nth_weekday, days_after")
    if raw.get("confidence") not in CONFIDENCES:
        raise PolicyError(where, f"confidence must be one of {list(CONFIDENCES)}")
    return Holiday(
        id=str(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        kind=kinds[0],
        spec=dict(raw[kinds[0]]),
        observed=dict(raw.get("observed") or {}),
        closes_offices=bool(raw.get("closes_offices", True)),
        start=parse_date(raw.get("from"), where, "from"),
        end=None if raw.get("to") is None else parse_date(raw["to"], where, "to"),
        confidence=str(raw["confidence"]),
    )


@cache
def california_holidays() -> HolidayCalendar:
    """The shipped California state holiday calendar (loaded once)."""
    return load_holidays(default_policy_dir() / "reference" / "ca_state_holidays.yaml")
