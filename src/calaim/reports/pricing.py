"""DHCS's non-binding Community Supports pricing guidance, read from `policy/cs_pricing.yaml`.

Each service has a unit and dated rate ranges, each with its confidence (the shipped ranges are
placeholders, `assumption`: the guidance could not be verified). A bad file is refused naming
the file, the service and what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.yamlio import read_yaml

CONFIDENCES = ("verified", "recalled", "assumption")


@dataclass(frozen=True)
class PriceRange:
    """A rate range per unit in force from `start`."""

    start: dt.date
    low: Decimal
    high: Decimal
    confidence: str


@dataclass(frozen=True)
class Guidance:
    """Each service's unit and its dated ranges (oldest first)."""

    units: dict[str, str]
    ranges: dict[str, tuple[PriceRange, ...]]
    reference: str

    def on(self, program_id: str, day: dt.date) -> PriceRange | None:
        """The range in force for a service on `day` (None: no guidance on file)."""
        found = None
        for item in self.ranges.get(program_id, ()):
            if item.start <= day:
                found = item
        return found


def load_guidance(file: Path, programs: set[str]) -> Guidance:
    """The guidance in `file`, checked against the Community Supports in `programs`."""
    raw = read_yaml(file) or {}
    units: dict[str, str] = {}
    ranges: dict[str, tuple[PriceRange, ...]] = {}
    for program_id, entry in (raw.get("services") or {}).items():
        if program_id not in programs:
            raise PolicyError(file, f"{program_id}: not a Community Support in programs.yaml")
        units[program_id] = str((entry or {}).get("unit") or "")
        found = [_range(file, program_id, item) for item in (entry or {}).get("ranges") or []]
        ranges[program_id] = tuple(sorted(found, key=lambda item: item.start))
    return Guidance(units, ranges, str(raw.get("reference") or ""))


def _range(file: Path, program_id: str, item: Any) -> PriceRange:
    where = f"{program_id}: range {item!r}"
    try:
        start = item["from"]
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        low, high = Decimal(str(item["low"])), Decimal(str(item["high"]))
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise PolicyError(
            file, f"{where}: give from (a date), low and high (amounts in quotes)"
        ) from error
    if low < 0 or high < low:
        raise PolicyError(file, f"{where}: low must be at least 0 and at most high")
    confidence = str(item.get("confidence") or "")
    if confidence not in CONFIDENCES:
        raise PolicyError(file, f"{where}: confidence must be one of {list(CONFIDENCES)}")
    return PriceRange(start, low, high, confidence)


def position(rate: Decimal | None, found: PriceRange | None) -> str:
    """Where a paid rate falls: `below`, `within`, `above`, or `no_guidance`/`no_payments`."""
    if found is None:
        return "no_guidance"
    if rate is None:
        return "no_payments"
    if rate < found.low:
        return "below"
    return "above" if rate > found.high else "within"
