"""Community Supports caps as the pages show them: each cap's limit, used and remaining.

The numbers come from `calaim.ops.services.remaining.remaining_caps`, which counts exactly as
the service does when it refuses an over-cap delivery (every provider's deliveries and
episodes of the member count). The day is the caller's (the request's clock), never "today".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import ServiceEpisode, User
from calaim.ops.services.caps import show
from calaim.ops.services.caps_data import cap_table
from calaim.ops.services.remaining import CapLeft, remaining_caps
from calaim.web.i18n import N_

# Units in the plural, as shown after a number (dollars are shown as $ amounts instead).
UNITS = {
    "day": N_("days"),
    "hour": N_("hours"),
    "meal": N_("meals"),
    "month": N_("months"),
    "item": N_("items"),
    "episode": N_("episodes"),
}


def episode_caps(
    session: Session, actor: User, episode: ServiceEpisode, on: dt.date
) -> dict[str, Any]:
    """The episode's unit and each cap of its program on `on`, ready to show."""
    found = remaining_caps(
        session, actor, episode.member_id, episode.program_id, on=on, episode_id=episode.id
    )
    return {"unit": unit_label(episode.program_id), "on": on, "caps": [_shown(c) for c in found]}


def unit_label(program_id: str) -> str:
    """The plural unit a Community Support is recorded in ("days", "meals"...)."""
    unit = cap_table().units.get(program_id, "item")
    return UNITS.get(unit, unit)


def _shown(cap: CapLeft) -> dict[str, Any]:
    money = cap.unit == "dollar"
    percent = int(min(cap.used / cap.limit, Decimal(1)) * 100) if cap.limit else 100
    return {
        "kind": cap.kind,
        "money": money,
        "unit": None if money else UNITS.get(cap.unit, cap.unit),
        "limit": _amount(cap.limit, money),
        "used": _amount(cap.used, money),
        "remaining": _amount(cap.remaining, money),
        "none_left": cap.remaining == 0,
        "percent": percent,
        "year": cap.year,
        "months": cap.months,
        "window_end": cap.window_end,
    }


def _amount(value: Decimal, money: bool) -> str:
    """Dollars with cents ($7,499.99), other units without trailing zeros (2.5, 90)."""
    return f"${value:,.2f}" if money else show(value)


def used_in_episode(deliveries: Any) -> dict[str, str | None]:
    """Units (and dollars) delivered in one episode."""
    used = sum((d.units for d in deliveries), Decimal(0))
    dollars = sum((d.amount or Decimal(0) for d in deliveries), Decimal(0))
    return {"used": show(used), "dollars": _amount(dollars, True) if dollars else None}
