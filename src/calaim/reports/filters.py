"""Report inputs: a period and optional county, plan and program filters, checked once.

Every report takes explicit dates; nothing here reads a clock. Bad input is an
`InvalidRequest` naming the field, so the API answers 422 and pages show it by the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.admin import repository
from calaim.ops.calendar.business_days import local_zone
from calaim.ops.errors import InvalidRequest

# A dashboard period longer than this is almost certainly a typo (and an expensive one).
MAX_PERIOD_DAYS = 3 * 366
# The default dashboard window ends on the as-of date (pages and API default it to the clock).
DEFAULT_PERIOD_DAYS = 90


@dataclass(frozen=True)
class Period:
    """The inclusive dates [start, end] a report covers."""

    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, end: dt.date, days: int = DEFAULT_PERIOD_DAYS) -> Period:
        """The `days` days up to and including `end`."""
        return cls(end - dt.timedelta(days=days - 1), end)

    def end_instant(self, zone: ZoneInfo | None = None) -> dt.datetime:
        """The first instant after the period, in California time (UTC-aware)."""
        after = dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time(), zone or local_zone()
        )
        return after.astimezone(dt.UTC)

    def start_instant(self, zone: ZoneInfo | None = None) -> dt.datetime:
        """The period's first instant, in California time (UTC-aware)."""
        first = dt.datetime.combine(self.start, dt.time(), zone or local_zone())
        return first.astimezone(dt.UTC)


@dataclass(frozen=True)
class Filters:
    """Optional narrowing of a dashboard: one county, one plan (code), one program."""

    county: str | None = None
    plan: str | None = None
    program: str | None = None


def local_today(now: dt.datetime) -> dt.date:
    """The California date of an instant (the app's clock gives pages their default date)."""
    return now.astimezone(local_zone()).date()


def period(start: dt.date | None, end: dt.date, *, field: str = "from") -> Period:
    """A checked period; without `start`, the default window ending on `end`."""
    if start is None:
        return Period.ending(end)
    if start > end:
        raise InvalidRequest(f"'from' ({start}) must not be after 'to' ({end})", field=field)
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise InvalidRequest(
            f"the period may cover at most {MAX_PERIOD_DAYS} days; choose a shorter one",
            field=field,
        )
    return Period(start, end)


def county(policy: Policy, value: str | None) -> str | None:
    """A California county name as the reference list spells it (case-insensitive)."""
    if value is None or not value.strip():
        return None
    names = {name.casefold(): name for name in policy.counties.values()}
    found = names.get(value.strip().casefold())
    if found is None:
        raise InvalidRequest(
            f"{value!r} is not a California county; use its name, e.g. 'Los Angeles'",
            field="county",
        )
    return found


def program(policy: Policy, value: str | None, kinds: tuple[str, ...]) -> str | None:
    """A registry program id of one of `kinds` (e.g. `cs` for Community Supports)."""
    if value is None or not value.strip():
        return None
    found = policy.programs.get(value.strip())
    if found is None or found.kind not in kinds:
        known = sorted(pid for pid, p in policy.programs.items() if p.kind in kinds)
        raise InvalidRequest(
            f"{value!r} is not a program this report covers; use one of {known}",
            field="program",
        )
    return found.id


def plan(session: Session, value: str | None) -> str | None:
    """A plan code of a plan organization in calaim (case-insensitive)."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not repository.plan_code_known(session, code):
        raise InvalidRequest(f"no plan has the code {value!r}", field="plan")
    return code


def details(period: Period, filters: Filters) -> dict[str, str | None]:
    """The period and filters, as an audit event records them."""
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "county": filters.county,
        "plan": filters.plan,
        "program": filters.program,
    }


def plan_codes(session: Session) -> list[str]:
    """Codes of the plans in calaim, for a filter's choices."""
    return repository.plan_codes(session)
