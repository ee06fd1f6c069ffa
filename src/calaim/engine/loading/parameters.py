"""Dated parameters: every number, list, switch and date a rule cites.

A parameter file is YAML under `policy/parameters/`. Its dotted path is the file path plus
the keys down to a mapping that has `values`. A value applies from its date until the next
date; `null` ends it (OpenFisca's convention). Every parameter carries a source reference and
a confidence: `verified` (read in a cited source), `recalled` (not confirmed; see
shared/policy/policy-facts.md) or `assumption` (a modelling choice calaim makes and documents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.yamlio import parse_date, read_yaml

CONFIDENCES = ("verified", "recalled", "assumption")
UNITS = (
    "count",
    "months",
    "days",
    "years",
    "hours",
    "usd",
    "date",
    "bool",
    "list",
    "text",
)


@dataclass(frozen=True)
class Reference:
    """Where a fact comes from."""

    title: str
    href: str | None = None


@dataclass(frozen=True)
class Parameter:
    """One dated parameter."""

    path: str
    description: str
    unit: str
    confidence: str
    references: tuple[Reference, ...]
    values: tuple[tuple[dt.date, Any], ...]
    note: str | None = None

    def value_at(self, as_of: dt.date) -> tuple[dt.date, Any] | None:
        """Return (effective date, value) in force on `as_of`, or None if none is."""
        current: tuple[dt.date, Any] | None = None
        for start, value in self.values:
            if start > as_of:
                break
            current = (start, value)
        if current is None or current[1] is None:
            return None
        return current


def load_parameters(root: Path) -> dict[str, Parameter]:
    """Load every parameter file under `root` into a path → Parameter map."""
    parameters: dict[str, Parameter] = {}
    for file in sorted(root.rglob("*.yaml")):
        prefix = ".".join(file.relative_to(root).with_suffix("").parts)
        raw = read_yaml(file)
        for parameter in _collect(raw, prefix, file):
            parameters[parameter.path] = parameter
    return parameters


def _collect(raw: Any, path: str, file: Path) -> list[Parameter]:
    if not isinstance(raw, Mapping):
        raise PolicyError(file, f"{path}: expected a mapping of parameters")
    if "values" in raw:
        return [_parse_parameter(raw, path, file)]
    found: list[Parameter] = []
    for key, child in raw.items():
        found.extend(_collect(child, f"{path}.{key}", file))
    return found


def _parse_parameter(raw: Mapping[str, Any], path: str, file: Path) -> Parameter:
    where = f"{file} ({path})"
    allowed = {"description", "unit", "confidence", "reference", "values", "note"}
    extra = set(raw) - allowed
    if extra:
        raise PolicyError(where, f"unexpected keys {sorted(extra)}; allowed: {sorted(allowed)}")
    for key in ("description", "unit", "confidence", "reference"):
        if not raw.get(key):
            raise PolicyError(where, f"'{key}' is required (every parameter cites its source)")
    if raw["unit"] not in UNITS:
        raise PolicyError(where, f"unit {raw['unit']!r} is not one of {list(UNITS)}")
    if raw["confidence"] not in CONFIDENCES:
        raise PolicyError(where, f"confidence must be one of {list(CONFIDENCES)}")
    return Parameter(
        path=path,
        description=str(raw["description"]).strip(),
        unit=str(raw["unit"]),
        confidence=str(raw["confidence"]),
        references=parse_references(raw["reference"], where),
        values=_parse_values(raw["values"], str(raw["unit"]), where),
        note=raw.get("note"),
    )


def parse_references(raw: Any, where: str) -> tuple[Reference, ...]:
    """Parse a `reference` list of {title, href} mappings."""
    items = raw if isinstance(raw, list) else [raw]
    refs = []
    for item in items:
        if not isinstance(item, Mapping) or not item.get("title"):
            raise PolicyError(where, "each reference needs a 'title' (and an 'href' if online)")
        refs.append(Reference(title=str(item["title"]), href=item.get("href")))
    return tuple(refs)


def _parse_values(raw: Any, unit: str, where: str) -> tuple[tuple[dt.date, Any], ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise PolicyError(where, "'values' must map ISO dates to values")
    values = []
    for key, value in raw.items():
        start = parse_date(key, where)
        values.append((start, None if value is None else _coerce(value, unit, where)))
    dates = [start for start, _ in values]
    if dates != sorted(dates):
        raise PolicyError(where, "dates in 'values' must be in ascending order")
    return tuple(values)


def _coerce(value: Any, unit: str, where: str) -> Any:
    if unit == "usd":
        return Decimal(str(value))  # money is Decimal, never float
    if unit == "date":
        return parse_date(value, where)
    if unit == "bool":
        if not isinstance(value, bool):
            raise PolicyError(where, f"{value!r} is not true/false")
        return value
    if unit == "list":
        if not isinstance(value, list):
            raise PolicyError(where, f"{value!r} is not a list")
        return tuple(str(item) for item in value)
    if unit == "text":
        return str(value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise PolicyError(where, f"{value!r} is not a number (unit {unit})")
    return value
