"""Caps on Community Supports, checked when a delivery is entered (pure: no database).

A cap that a new delivery would exceed raises `CapExceeded`, whose message says what the cap
is, how much has been used and how much remains. Rolling windows end on a day E and cover the
`months` months up to it: (E minus `months` months, E]. A backdated delivery must fit every
window that contains it, so windows ending on later recorded dates are checked too.

`uses` is the one counting rule: what each cap in force on a day has used, one entry per
window a delivery on that day must fit. `check_delivery` refuses a line whose size does not
fit an entry; `remaining` (what the pages show) reports the tightest entry of each cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
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

    def __init__(
        self, message: str, *, limit: Decimal, used: Decimal, use: Use | None = None,
        requested: Decimal | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.limit = limit
        self.used = used
        self.remaining = max(limit - used, Decimal(0))
        # Which cap and what was asked for, so a screen can say it in plain words.
        self.use = use
        self.requested = requested


def show(amount: Decimal) -> str:
    """A Decimal without trailing zeros (20, 2.5, 7500)."""
    return f"{amount.normalize():f}"


@dataclass(frozen=True)
class Use:
    """What one cap (or one window of it) has used of its limit, as of a day."""

    kind: str
    program_id: str
    unit: str  # the unit counted: the service's unit, "dollar", "day" (combined) or "episode"
    limit: Decimal
    used: Decimal
    window_end: dt.date | None = None
    months: int | None = None
    year: int | None = None
    name: str | None = None  # a combined limit's name
    size: Callable[[Line], Decimal] = field(default=lambda line: line.units, compare=False)

    @property
    def remaining(self) -> Decimal:
        """What is left of the limit (never below 0)."""
        return max(self.limit - self.used, Decimal(0))


def episode_count_use(program_id: str, opened: int, on: dt.date) -> Use | None:
    """The once-per-lifetime (or n-per-lifetime) episode cap, if the program has one."""
    for cap in cap_table().caps.get(program_id, ()):
        limit = number(cap.limit, on) if cap.kind == "lifetime_episodes" else None
        if limit is not None:
            return Use(cap.kind, program_id, "episode", limit, Decimal(opened))
    return None


def check_episode_count(program_id: str, opened: int, on: dt.date) -> None:
    """Refuse a new episode beyond a once-per-lifetime (or n-per-lifetime) cap."""
    use = episode_count_use(program_id, opened, on)
    if use is not None and use.used >= use.limit:
        raise CapExceeded(
            f"{program_id} is limited to {show(use.limit)} episode(s) per lifetime and the "
            f"member has had {opened}; a further one needs the plan's documented exception",
            limit=use.limit,
            used=use.used,
            use=use,
        )


def uses(program_id: str, episode_id: object, day: dt.date, history: Sequence[Line]) -> list[Use]:
    """Each delivery cap in force on `day` and what the member's `history` has used of it.

    Windowed caps give one entry per window a delivery on `day` must fit (see the module
    docstring); the order is the cap table's, then the combined limits'.
    """
    unit = cap_table().units[program_id]
    same = [line for line in history if line.program_id == program_id]
    found: list[Use] = []
    for cap in cap_table().caps.get(program_id, ()):
        found += _cap_uses(cap, program_id, episode_id, unit, day, same)
    for combined in cap_table().combined:
        found += _combined_uses(combined, program_id, day, history)
    return found


def _cap_uses(
    cap: Cap, program_id: str, episode_id: object, unit: str, day: dt.date, same: list[Line]
) -> list[Use]:
    limit = number(cap.limit, day)
    if limit is None or cap.kind == "lifetime_episodes":
        return []
    base = Use(cap.kind, program_id, unit, limit, Decimal(0))
    if cap.kind == "lifetime_amount":
        used = sum((line.amount or Decimal(0) for line in same), Decimal(0))
        return [replace(base, unit="dollar", used=used, size=_dollars)]
    if cap.kind == "lifetime_units":
        return [replace(base, used=_units(same))]
    if cap.kind == "episode_units":
        return [replace(base, used=_units(x for x in same if x.episode_id == episode_id))]
    if cap.kind == "calendar_year_units":
        year = [line for line in same if line.service_date.year == day.year]
        return [replace(base, used=_units(year), year=day.year)]
    if cap.kind == "rolling_units" and cap.months:
        months = int(value(cap.months, day))
        return [
            replace(base, used=used, window_end=end, months=months)
            for end, used in _windows(day, same, months, lambda line: line.units)
        ]
    return []


def _dollars(line: Line) -> Decimal:
    return line.amount or Decimal(0)


def _combined_uses(
    combined: Combined, program_id: str, day: dt.date, history: Sequence[Line]
) -> list[Use]:
    services = set(value(combined.services, day) or ())
    start = value(combined.start, day) if combined.start else None
    limit = number(combined.limit, day)
    if program_id not in services or limit is None or (start and day < start):
        return []
    months = int(value(combined.months, day))
    counted = [
        line
        for line in history
        if line.program_id in services and (start is None or line.service_date >= start)
    ]

    def days(line: Line) -> Decimal:
        return line.units * combined.days_per_unit.get(line.unit, 1)

    base = Use("combined_days", program_id, "day", limit, Decimal(0), name=combined.name)
    return [
        replace(base, used=used, window_end=end, months=months, size=days)
        for end, used in _windows(day, counted, months, days)
    ]


def _windows(
    day: dt.date, lines: list[Line], months: int, size: Callable[[Line], Decimal]
) -> list[tuple[dt.date, Decimal]]:
    """Each window holding `day` (its end, what it holds): ends on `day` or on a later
    recorded date less than `months` on."""
    ends = sorted(
        {day}
        | {line.service_date for line in lines if day < line.service_date < add_months(day, months)}
    )
    found = []
    for end in ends:
        begin = add_months(end, -months)  # exclusive
        found.append(
            (end, sum((size(x) for x in lines if begin < x.service_date <= end), Decimal(0)))
        )
    return found


def _units(lines: Iterable[Line]) -> Decimal:
    return sum((line.units for line in lines), Decimal(0))


def remaining(
    program_id: str, episode_id: object, day: dt.date, history: Sequence[Line]
) -> list[Use]:
    """Each cap's tightest entry on `day` (a windowed cap: the window with the least left)."""
    tightest: dict[tuple[str, str | None], Use] = {}
    for use in uses(program_id, episode_id, day, history):
        key = (use.kind, use.name)
        if key not in tightest or use.remaining < tightest[key].remaining:
            tightest[key] = use
    return list(tightest.values())


def check_delivery(new: Line, history: Sequence[Line]) -> None:
    """Raise `CapExceeded` if `new` would exceed a cap given the member's recorded lines."""
    in_force = uses(new.program_id, None, new.service_date, ())
    if new.amount is None and any(use.kind == "lifetime_amount" for use in in_force):
        raise InvalidRequest(
            f"{new.program_id} has a lifetime dollar cap: give the delivery's amount",
            field="amount",
        )
    for use in uses(new.program_id, new.episode_id, new.service_date, history):
        amount = use.size(new)
        if use.used + amount > use.limit:
            raise _exceeded(use, new, amount)


def _exceeded(use: Use, new: Line, amount: Decimal) -> CapExceeded:
    limit, what = show(use.limit), f"{new.unit}s of {new.program_id}"
    wheres = {
        "lifetime_amount": f"the lifetime limit of ${limit} for {new.program_id}",
        "lifetime_units": f"the lifetime limit of {limit} {what}",
        "episode_units": f"the limit of {limit} {what} per episode (stay)",
        "calendar_year_units": f"the limit of {limit} {what} in calendar year {use.year}",
        "rolling_units": f"the limit of {limit} {what} in the {use.months} months to "
        f"{use.window_end}",
        "combined_days": f"the combined {limit}-day limit in the {use.months} months to "
        f"{use.window_end}",
    }
    sign = "$" if use.unit == "dollar" else ""
    unit = "day" if use.kind == "combined_days" else new.unit
    what_new = f"${show(amount)}" if sign else f"{show(amount)} {unit}s"
    return CapExceeded(
        f"recording {what_new} would exceed {wheres[use.kind]}: {sign}{show(use.used)} used, "
        f"{sign}{show(use.remaining)} remain",
        limit=use.limit,
        used=use.used,
        use=use,
        requested=amount,
    )
