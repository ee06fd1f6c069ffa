"""The map "Community Support → unit and caps" read from `policy/cs_caps.yaml`, checked
against the registry and the dated parameters it names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.yamlio import read_yaml
from calaim.ops.policy import shipped_policy

KINDS = (
    "lifetime_episodes",
    "lifetime_units",
    "lifetime_amount",
    "episode_units",
    "calendar_year_units",
    "rolling_units",
)


@dataclass(frozen=True)
class Cap:
    """One cap on one service; `limit` and `months` are parameter paths."""

    kind: str
    limit: str
    months: str | None = None


@dataclass(frozen=True)
class Combined:
    """A limit counting several services together, in days."""

    name: str
    services: str
    limit: str
    months: str
    start: str | None
    days_per_unit: Mapping[str, int]


@dataclass(frozen=True)
class CapTable:
    """Each Community Support's unit and caps, and the combined limits."""

    units: Mapping[str, str]
    caps: Mapping[str, tuple[Cap, ...]]
    combined: tuple[Combined, ...]


def value(path: str, as_of: dt.date) -> Any:
    """A parameter's value on `as_of` (None when none is in force)."""
    found = shipped_policy().parameters[path].value_at(as_of)
    return None if found is None else found[1]


def number(path: str, as_of: dt.date) -> Decimal | None:
    """A numeric parameter as a Decimal (money and counts alike)."""
    found = value(path, as_of)
    return None if found is None else Decimal(str(found))


@cache
def cap_table() -> CapTable:
    """The shipped cap table, checked once."""
    file = shipped_policy().root / "cs_caps.yaml"
    raw = read_yaml(file)
    parameters = shipped_policy().parameters
    known_units = set(raw.get("units") or [])
    units: dict[str, str] = {}
    caps: dict[str, tuple[Cap, ...]] = {}
    for program_id, entry in (raw.get("programs") or {}).items():
        if program_id not in shipped_policy().programs or entry.get("unit") not in known_units:
            raise PolicyError(file, f"{program_id}: unknown program or unit {entry.get('unit')!r}")
        units[program_id] = str(entry["unit"])
        caps[program_id] = tuple(_cap(item, f"{file} ({program_id})") for item in entry["caps"])
    combined = tuple(_combined(item) for item in raw.get("combined") or [])
    for path in _paths(caps, combined):
        if path not in parameters:
            raise PolicyError(file, f"parameter {path!r} does not exist")
    return CapTable(units=units, caps=caps, combined=combined)


def _cap(raw: Mapping[str, Any], where: str) -> Cap:
    if raw.get("kind") not in KINDS or not raw.get("limit"):
        raise PolicyError(where, f"each cap needs a 'kind' (one of {list(KINDS)}) and a 'limit'")
    if raw["kind"] == "rolling_units" and not raw.get("months"):
        raise PolicyError(where, "a rolling_units cap needs 'months'")
    return Cap(kind=str(raw["kind"]), limit=str(raw["limit"]), months=raw.get("months"))


def _combined(raw: Mapping[str, Any]) -> Combined:
    return Combined(
        name=str(raw["name"]),
        services=str(raw["services"]),
        limit=str(raw["limit"]),
        months=str(raw["months"]),
        start=raw.get("start"),
        days_per_unit={str(k): int(v) for k, v in raw["days_per_unit"].items()},
    )


def _paths(caps: Mapping[str, tuple[Cap, ...]], combined: tuple[Combined, ...]) -> list[str]:
    paths = [p for entries in caps.values() for c in entries for p in (c.limit, c.months) if p]
    for limit in combined:
        paths += [limit.services, limit.limit, limit.months] + (
            [limit.start] if limit.start else []
        )
    return paths
