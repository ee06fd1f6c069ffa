"""Community Supports caps as the pages show them: each cap's limit, used and remaining.

The numbers come from `calaim.ops.services.remaining.remaining_caps`, which counts exactly as
the service does when it refuses an over-cap delivery (every provider's deliveries and
episodes of the member count). The day is the caller's (the request's clock), never "today".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.errors import Conflict
from calaim.ops.models import ServiceEpisode, User
from calaim.ops.services.caps import CapExceeded, show
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
        "sentence": SENTENCES.get(cap.kind),
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


# Each cap in plain words: "14 meals remain of 168 in these 6 months".
SENTENCES = {
    "lifetime_episodes": N_("%(remaining)s %(unit)s remain of %(limit)s in the member's lifetime"),
    "lifetime_units": N_("%(remaining)s %(unit)s remain of %(limit)s in the member's lifetime"),
    "lifetime_amount": N_("%(remaining)s remain of %(limit)s in the member's lifetime"),
    "episode_units": N_("%(remaining)s %(unit)s remain of %(limit)s in this stay"),
    "calendar_year_units": N_("%(remaining)s %(unit)s remain of %(limit)s in %(year)s"),
    "rolling_units": N_("%(remaining)s %(unit)s remain of %(limit)s in these %(months)s months"),
    "combined_days": N_(
        "%(remaining)s housing days remain of %(limit)s combined in these %(months)s months"
    ),
}
REFUSAL = N_("Not recorded: %(requested)s would go over the limit. %(left)s.")


def cap_sentence(cap: dict[str, Any], translate: Callable[[str], str]) -> str:
    """One shown cap (from `episode_caps`) in plain words, translated."""
    template = SENTENCES.get(cap["kind"])
    if template is None:
        return ""
    unit = translate(cap["unit"]) if cap["unit"] else ""
    values = {**cap, "unit": unit}
    return translate(template) % values


def cap_refusal(error: CapExceeded, translate: Callable[[str], str]) -> str:
    """Why a delivery was refused, in plain words (no program ids), translated."""
    use = error.use
    if use is None:
        return translate(N_("Not recorded: this would go over the service's limit."))
    money = use.unit == "dollar"
    unit = UNITS.get("day" if use.kind == "combined_days" else use.unit, use.unit)
    shown = {
        "kind": use.kind,
        "unit": None if money else unit,
        "limit": _amount(use.limit, money),
        "remaining": _amount(use.remaining, money),
        "year": use.year,
        "months": use.months,
    }
    requested = error.requested if error.requested is not None else Decimal(0)
    asked = _amount(requested, money) if money else f"{show(requested)} {translate(unit)}"
    return translate(REFUSAL) % {"requested": asked, "left": cap_sentence(shown, translate)}


class CapRefused(Conflict):
    """A cap refusal already in the reader's words (the page shows it as it is)."""
