"""Closed-loop dates and windows, read from dated parameters (`parameters/closed_loop.yaml`)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from calaim.ops.policy import shipped_policy


class LoopStep(StrEnum):
    """The step an open loop is waiting for, each with its own window."""

    ROUTE = "route"
    ACCEPT_OR_DECLINE = "accept_or_decline"
    START = "start"
    CLOSE = "close"


_WINDOW_PARAMETERS: dict[LoopStep, str] = {
    LoopStep.ROUTE: "closed_loop.windows.route_days",
    LoopStep.ACCEPT_OR_DECLINE: "closed_loop.windows.decide_days",
    LoopStep.START: "closed_loop.windows.start_days",
    LoopStep.CLOSE: "closed_loop.windows.close_days",
}


def notices_required(day: dt.date) -> bool:
    """Whether closed-loop notices are due for an event on `day` (DHCS go-live 2025-07-01)."""
    found = shipped_policy().parameters["closed_loop.notices.required"].value_at(day)
    return bool(found and found[1])


def window(step: LoopStep, day: dt.date) -> dt.timedelta:
    """How long `step` may take when it began on `day`."""
    path = _WINDOW_PARAMETERS[step]
    found = shipped_policy().parameters[path].value_at(day)
    if found is None:
        raise LookupError(f"parameter {path} has no value on {day}; add one to closed_loop.yaml")
    return dt.timedelta(days=int(found[1]))
