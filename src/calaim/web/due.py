"""Time left before a deadline, at the app's clock (never the machine's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SOON = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Due:
    """How a deadline stands at `now`: `state` is overdue, soon (under a day) or ok."""

    state: str
    span: str

    @property
    def overdue(self) -> bool:
        """Whether the deadline has passed."""
        return self.state == "overdue"


def span(delta: dt.timedelta) -> str:
    """A duration as days and hours ("2 d 3 h", "5 h", "under 1 h")."""
    hours = int(abs(delta).total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    return f"{hours} h" if hours else "< 1 h"


def due(deadline: dt.datetime | None, now: dt.datetime) -> Due | None:
    """How `deadline` stands at `now` (None without a deadline)."""
    if deadline is None:
        return None
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=dt.UTC)
    left = deadline - now
    if left <= dt.timedelta(0):
        return Due("overdue", span(left))
    return Due("soon" if left < SOON else "ok", span(left))
