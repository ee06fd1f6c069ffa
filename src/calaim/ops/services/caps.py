"""Caps on Community Supports, checked when a delivery is entered (pure: no database).

A cap that a new delivery would exceed raises `CapExceeded`, whose message says what the cap
is, how much has been used and how much remains. Rolling windows end on a day E and cover the
`months` months up to it: (E minus `months` months, E]. A backdated delivery must fit every
window that contains it, so windows ending on later recorded dates are checked too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from calaim.ops.authorizations.terms import add_months
from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.services.caps_data import Cap, Combined, cap_table, number, value


@dataclass(frozen=True)
class Line:
    """One delivery, recorded or about to be."""

    program_id: str
    episode_id: object
    service_date: dt.date
    unit: str
    units: Decimal
    amount: Decimal | None


class CapExceeded(Conflict):
    """Recording the delivery would go over a cap; the message says what remains."""

    def __init__(self, message: str, *, limit: Decimal, used: Decimal) -> None:
        super().__init__(message)
        self.limit = limit
        self.used = used
        self.remaining = max(limit - used, Decimal(0))


def show(amount: Decimal) -> str:
    """A Decimal without trailing zeros (20, 2.5, 7500)."""
    return f"{amount.normalize():f}"


def check_episode_count(program_id: str, opened: int, on: dt.date) -> None:
    """Refuse a new episode beyond a once-per-lifetime (or n-per-lifetime) cap."""
    for cap in cap_table().caps.get(program_id, ()):
        limit = number(cap.limit, on) if cap.kind == "lifetime_episodes" else None
        if limit is not None and opened >= limit:
            raise CapExceeded(
                f"{program_id} is limited to {show(limit)} episode(s) per lifetime and the "
                f"member has had {opened}; a further one needs the plan's documented exception",
                limit=limit,
                used=Decimal(opened),
            )


def check_delivery(new: Line, history: Sequence[Line]) -> None:
    """Raise `CapExceeded` if `new` would exceed a cap given the member's recorded lines."""
    for cap in cap_table().caps.get(new.program_id, ()):
        _check_cap(cap, new, [line for line in history if line.program_id == new.program_id])
    for combined in cap_table().combined:
        _check_combined(combined, new, history)


def _check_cap(cap: Cap, new: Line, same: list[Line]) -> None:
    limit = number(cap.limit, new.service_date)
    if limit is None or cap.kind == "lifetime_episodes":
        return
    what = f"{new.unit}s of {new.program_id}"
    if cap.kind == "lifetime_amount":
        if new.amount is None:
            raise InvalidRequest(
                f"{new.program_id} has a lifetime dollar cap: give the delivery's amount",
                field="amount",
            )
        used = sum((line.amount or Decimal(0) for line in same), Decimal(0))
        _over(
            f"${show(new.amount)}",
            new.amount,
            f"the lifetime limit of ${show(limit)} for {new.program_id}",
            limit,
            used,
            money=True,
        )
    elif cap.kind == "lifetime_units":
        _over_units(new, f"the lifetime limit of {show(limit)} {what}", limit, same)
    elif cap.kind == "episode_units":
        mine = [line for line in same if line.episode_id == new.episode_id]
        _over_units(new, f"the limit of {show(limit)} {what} per episode (stay)", limit, mine)
    elif cap.kind == "calendar_year_units":
        year = [line for line in same if line.service_date.year == new.service_date.year]
        where = f"the limit of {show(limit)} {what} in calendar year {new.service_date.year}"
        _over_units(new, where, limit, year)
    elif cap.kind == "rolling_units" and cap.months:
        months = int(value(cap.months, new.service_date))
        _check_windows(
            new,
            same,
            months,
            limit,
            lambda line: line.units,
            lambda end: f"the limit of {show(limit)} {what} in the {months} months to {end}",
        )


def _check_combined(combined: Combined, new: Line, history: Sequence[Line]) -> None:
    on = new.service_date
    services = set(value(combined.services, on) or ())
    start = value(combined.start, on) if combined.start else None
    limit = number(combined.limit, on)
    if new.program_id not in services or limit is None or (start and on < start):
        return
    months = int(value(combined.months, on))
    counted = [
        line
        for line in history
        if line.program_id in services and (start is None or line.service_date >= start)
    ]

    def days(line: Line) -> Decimal:
        return line.units * combined.days_per_unit.get(line.unit, 1)

    def describe(end: dt.date) -> str:
        return f"the combined {show(limit)}-day limit in the {months} months to {end}"

    _check_windows(new, counted, months, limit, days, describe, unit="day")


def _check_windows(
    new: Line,
    lines: Iterable[Line],
    months: int,
    limit: Decimal,
    size: Callable[[Line], Decimal],
    describe: Callable[[dt.date], str],
    unit: str | None = None,
) -> None:
    lines = list(lines)
    day = new.service_date
    # Every window holding `day` ends on `day` or on a later recorded date less than `months` on.
    ends = sorted(
        {day}
        | {line.service_date for line in lines if day < line.service_date < add_months(day, months)}
    )
    for end in ends:
        begin = add_months(end, -months)  # exclusive
        used = sum((size(line) for line in lines if begin < line.service_date <= end), Decimal(0))
        amount = size(new)
        _over(f"{show(amount)} {unit or new.unit}s", amount, describe(end), limit, used)


def _over_units(new: Line, where: str, limit: Decimal, lines: Iterable[Line]) -> None:
    used = sum((line.units for line in lines), Decimal(0))
    _over(f"{show(new.units)} {new.unit}s", new.units, where, limit, used)


def _over(
    what: str, amount: Decimal, where: str, limit: Decimal, used: Decimal, money: bool = False
) -> None:
    if used + amount <= limit:
        return
    sign = "$" if money else ""
    remaining = max(limit - used, Decimal(0))
    raise CapExceeded(
        f"recording {what} would exceed {where}: {sign}{show(used)} used, "
        f"{sign}{show(remaining)} remain",
        limit=limit,
        used=used,
    )
