"""Reporting periods (a calendar month, `YYYY-MM`): the MIF and RTF pair by this value."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from calaim.ops.errors import InvalidRequest

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """One reporting month: its text and first and last days."""

    text: str
    start: dt.date
    end: dt.date

    @property
    def production_date(self) -> dt.date:
        """The default production date: the first day after the period (explicit, not today)."""
        return self.end + dt.timedelta(days=1)


def parse_period(text: str, *, field: str = "period") -> Period:
    """A `Period` from `YYYY-MM`; `InvalidRequest` naming the field otherwise."""
    match = _PERIOD.match(text.strip())
    month = int(match.group(2)) if match else 0
    if match is None or not 1 <= month <= 12:
        raise InvalidRequest(
            f"{field} must be a month written YYYY-MM, such as 2025-09 (got {text!r})",
            field=field,
        )
    start = dt.date(int(match.group(1)), month, 1)
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return Period(text.strip(), start, following - dt.timedelta(days=1))
