"""What an episode has used of its service's caps (from the deliveries the service returned).

The caps themselves are policy data (`ops/services/caps_data.py`); the service refuses any
delivery over a cap with a message saying what remains. This only shows the numbers: the units
delivered in the episode against each cap of the program, and what remains of the per-episode
cap (lifetime and yearly caps also count the member's other episodes: the service checks them).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from calaim.ops.models import ServiceDelivery, ServiceEpisode
from calaim.ops.services.caps import show
from calaim.ops.services.caps_data import cap_table, number


def episode_usage(episode: ServiceEpisode, deliveries: Sequence[ServiceDelivery]) -> dict[str, Any]:
    """Unit, units used in the episode, and each cap's limit (remaining for per-episode caps)."""
    table = cap_table()
    used = sum((d.units for d in deliveries), Decimal(0))
    dollars = sum((d.amount or Decimal(0) for d in deliveries), Decimal(0))
    caps = []
    for cap in table.caps.get(episode.program_id, ()):
        limit = number(cap.limit, episode.started_on)
        if limit is None:
            continue
        entry: dict[str, object] = {"kind": cap.kind, "limit": show(limit)}
        entry.update(remaining=None, percent=None)
        if cap.kind == "episode_units":
            entry["remaining"] = show(max(limit - used, Decimal(0)))
            entry["percent"] = int(min(used / limit, Decimal(1)) * 100) if limit else 100
        caps.append(entry)
    return {
        "unit": table.units.get(episode.program_id, "unit"),
        "used": show(used),
        "dollars": show(dollars) if dollars else None,
        "caps": caps,
    }
