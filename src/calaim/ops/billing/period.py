"""A billing period: one calendar month, always named explicitly (never "this month")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from calaim.ops.errors import InvalidRequest

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class BillingPeriod:
    """The calendar month [start, end] a billing run covers."""

    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: str, field: str = "period") -> BillingPeriod:
        """A period from `YYYY-MM`."""
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise InvalidRequest(
                f"period {text!r} is not a month; write it as YYYY-MM, e.g. 2025-09", field=field
            )
        year, month = int(match.group(1)), int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last))

    @property
    def label(self) -> str:
        """`YYYY-MM`."""
        return self.start.strftime("%Y-%m")

    def covers(self, day: dt.date) -> bool:
        """Whether `day` falls in the period."""
        return self.start <= day <= self.end
