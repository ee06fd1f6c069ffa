"""Run parameters of one generator run, and the date arithmetic every module shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class SynthConfig:
    """What one run generates: size, seed and the observed period."""

    members: int
    seed: int
    end_date: date
    years: int
    first: int = 0
    """Index of the first member this run builds (a partition of a larger population)."""
    count: int | None = None
    """Members this run builds (None: all from `first` to `members`)."""

    @property
    def built(self) -> int:
        """How many members this run builds."""
        return self.members - self.first if self.count is None else self.count

    @property
    def start_date(self) -> date:
        """First day of the observed period: `years` years before `end_date`, plus one day."""
        try:
            back = self.end_date.replace(year=self.end_date.year - self.years)
        except ValueError:  # 29 February in a non-leap target year
            back = self.end_date.replace(year=self.end_date.year - self.years, day=28)
        return back + timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of days in the observed period (offsets run 0 .. days - 1)."""
        return (self.end_date - self.start_date).days + 1

    @property
    def id_width(self) -> int:
        """Digits in person_id: at least 7 (P0000001), more for very large runs."""
        return max(7, len(str(self.members)))

    def day(self, offset_sql: str) -> str:
        """SQL turning a day offset from the period start into a DATE."""
        return f"(DATE '{self.start_date.isoformat()}' + ({offset_sql})::INTEGER)"

    def offset_of(self, when: date) -> int:
        """Day offset of a calendar date from the period start (may be negative)."""
        return (when - self.start_date).days
