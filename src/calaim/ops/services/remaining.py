"""What remains of each Community Supports cap for a member, on a given day (read only).

The numbers come from `caps.remaining`, i.e. from `caps.uses`, the same counting that refuses
an over-cap delivery, over the same unscoped history (every provider's deliveries and
episodes count toward a member's caps). The caller names the day: there is no implicit today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.members.service import MemberService
from calaim.ops.models import User
from calaim.ops.services.caps import Use, episode_count_use, remaining
from calaim.ops.services.caps_data import cap_table
from calaim.ops.services.repository import EpisodeRepository


@dataclass(frozen=True)
class CapLeft:
    """One cap of a program as of `on`: its limit, what is used, what remains, in `unit`.

    `unit` is the service's unit ("day", "meal", "hour"...), "dollar" for a dollar cap (the
    amounts are Decimal dollars), "episode" for an episode-count cap, or "day" for a combined
    limit. Windowed caps name the window (`months` to `window_end`), yearly caps the `year`.
    """

    kind: str
    unit: str
    limit: Decimal
    used: Decimal
    remaining: Decimal
    window_end: dt.date | None = None
    months: int | None = None
    year: int | None = None
    name: str | None = None


def remaining_caps(
    session: Session,
    actor: User,
    member_id: uuid.UUID,
    program_id: str,
    *,
    on: dt.date,
    episode_id: uuid.UUID | None = None,
) -> list[CapLeft]:
    """Each cap of `program_id` in force on `on` for a visible member (per-episode caps need
    `episode_id`); a program that is not a Community Support has none."""
    require(actor, Permission.SERVICE_READ)
    member = MemberService(session, actor).get(member_id)  # NotFound out of scope; audited
    if program_id not in cap_table().units:
        return []
    repository = EpisodeRepository(session, actor)
    found: list[Use] = []
    opened = episode_count_use(program_id, repository.episodes_ever(member.id, program_id), on)
    if opened is not None:
        found.append(opened)
    history = repository.member_lines(member.id)
    found += [
        use
        for use in remaining(program_id, episode_id, on, history)
        if use.kind != "episode_units" or episode_id is not None
    ]
    return [_left(use) for use in found]


def _left(use: Use) -> CapLeft:
    return CapLeft(
        kind=use.kind,
        unit=use.unit,
        limit=use.limit,
        used=use.used,
        remaining=use.remaining,
        window_end=use.window_end,
        months=use.months,
        year=use.year,
        name=use.name,
    )
