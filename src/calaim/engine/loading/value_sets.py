"""Versioned code lists (Tuva-style value sets) and the ECM/CS service coding table.

`policy/value_sets/index.yaml` describes every set (code system, source, confidence); each set's
codes live in `policy/value_sets/<id>.csv` with columns
`code, description, match, include, from, to`:

- `match`: `prefix` (the code and every code below it, the default for ICD-10-CM) or `exact`;
- `include`: `false` marks an exclusion row: a code matching it is out even if a broader
  include row matches (e.g. include F32, exclude F32A);
- `from` / `to`: the dates the row is in force (inclusive `from`, exclusive `to`; empty = open).

`policy/value_sets/service_codes.csv` maps HCPCS code + modifier to the ECM or Community
Support it identifies, dated, because codes are reused across services and DHCS revises them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calaim.engine.loading.errors import PolicyError
from calaim.engine.loading.parameters import CONFIDENCES, Reference, parse_references
from calaim.engine.loading.yamlio import parse_date, read_yaml

CODE_SYSTEMS = (
    "icd-10-cm",
    "hcpcs",
    "revenue_code",
    "place_of_service",
    "bill_type",
    "admit_type",
)
SERVICE_UNITS = ("encounter", "attempt", "day", "hour", "15min", "meal", "item", "month")

# Value sets the event sources themselves are defined by (ED, urgent-care and office visits,
# stays).
DEFINITION_VALUE_SETS = (
    "ed_revenue_codes",
    "ed_place_of_service",
    "ed_procedure_codes",
    "urgent_care_revenue_codes",
    "urgent_care_place_of_service",
    "urgent_care_procedure_codes",
    "office_visit_procedure_codes",
    "inpatient_bill_types",
    "snf_bill_types",
    "unplanned_admit_types",
)


@dataclass(frozen=True)
class CodeRow:
    """One row of a value set."""

    code: str
    description: str
    match: str
    include: bool
    start: dt.date | None
    end: dt.date | None

    def in_force(self, as_of: dt.date) -> bool:
        """Whether the row applies on `as_of`."""
        return (self.start is None or self.start <= as_of) and (
            self.end is None or as_of < self.end
        )


@dataclass(frozen=True)
class ValueSet:
    """A named, versioned list of codes."""

    id: str
    description: str
    code_system: str
    confidence: str
    references: tuple[Reference, ...]
    rows: tuple[CodeRow, ...]

    def rows_at(self, as_of: dt.date) -> tuple[CodeRow, ...]:
        """Rows in force on `as_of`."""
        return tuple(row for row in self.rows if row.in_force(as_of))


@dataclass(frozen=True)
class ServiceCode:
    """An HCPCS code + modifier that identifies a past ECM or Community Support service."""

    program_id: str
    hcpcs: str
    modifier: str
    unit: str
    start: dt.date | None
    end: dt.date | None
    description: str
    confidence: str

    def in_force(self, as_of: dt.date) -> bool:
        """Whether the mapping applies to a service on `as_of`."""
        return (self.start is None or self.start <= as_of) and (
            self.end is None or as_of < self.end
        )


def load_value_sets(root: Path) -> dict[str, ValueSet]:
    """Load `index.yaml` and the CSV of every set it lists."""
    index_file = root / "index.yaml"
    raw = read_yaml(index_file)
    if not isinstance(raw, Mapping):
        raise PolicyError(index_file, "must map value set ids to their descriptions")
    sets = {}
    for set_id, meta in raw.items():
        sets[str(set_id)] = _load_set(root, str(set_id), meta, f"{index_file} ({set_id})")
    listed = {f"{set_id}.csv" for set_id in sets} | {"service_codes.csv"}
    unlisted = sorted(p.name for p in root.glob("*.csv") if p.name not in listed)
    if unlisted:
        raise PolicyError(index_file, f"CSV files not listed in the index: {unlisted}")
    return sets


def _load_set(root: Path, set_id: str, meta: Any, where: str) -> ValueSet:
    if not isinstance(meta, Mapping):
        raise PolicyError(where, "needs description, code_system, confidence, reference")
    for key in ("description", "code_system", "confidence", "reference"):
        if not meta.get(key):
            raise PolicyError(where, f"'{key}' is required")
    if meta["code_system"] not in CODE_SYSTEMS:
        raise PolicyError(where, f"code_system must be one of {list(CODE_SYSTEMS)}")
    if meta["confidence"] not in CONFIDENCES:
        raise PolicyError(where, f"confidence must be one of {list(CONFIDENCES)}")
    default_match = "prefix" if meta["code_system"] == "icd-10-cm" else "exact"
    rows = tuple(_code_row(r, default_match, f"{set_id}.csv") for r in _csv(root / f"{set_id}.csv"))
    if not rows:
        raise PolicyError(root / f"{set_id}.csv", "has no codes")
    return ValueSet(
        id=set_id,
        description=str(meta["description"]),
        code_system=str(meta["code_system"]),
        confidence=str(meta["confidence"]),
        references=parse_references(meta["reference"], where),
        rows=rows,
    )


def _csv(file: Path) -> list[tuple[int, dict[str, str]]]:
    if not file.exists():
        raise PolicyError(file, "is listed but missing")
    with file.open(encoding="utf-8", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def _code_row(numbered: tuple[int, dict[str, str]], default_match: str, name: str) -> CodeRow:
    line, row = numbered
    where = f"{name}, line {line}"
    code = (row.get("code") or "").strip().upper().replace(".", "")
    if not code:
        raise PolicyError(where, "column 'code' is empty")
    match = (row.get("match") or default_match).strip()
    if match not in ("prefix", "exact"):
        raise PolicyError(where, f"match must be prefix or exact, got {match!r}")
    include = (row.get("include") or "true").strip().lower()
    if include not in ("true", "false"):
        raise PolicyError(where, f"include must be true or false, got {include!r}")
    return CodeRow(
        code=code,
        description=(row.get("description") or "").strip(),
        match=match,
        include=include == "true",
        start=_opt_date(row.get("from"), where),
        end=_opt_date(row.get("to"), where),
    )


def _opt_date(value: str | None, where: str) -> dt.date | None:
    return parse_date(value, where) if value and value.strip() else None


def load_service_codes(root: Path) -> tuple[ServiceCode, ...]:
    """Load the HCPCS + modifier → program coding table."""
    name = "service_codes.csv"
    codes = []
    for line, row in _csv(root / name):
        where = f"{name}, line {line}"
        unit = (row.get("unit") or "").strip()
        if unit not in SERVICE_UNITS:
            raise PolicyError(where, f"unit must be one of {list(SERVICE_UNITS)}")
        confidence = (row.get("confidence") or "").strip()
        if confidence not in CONFIDENCES:
            raise PolicyError(where, f"confidence must be one of {list(CONFIDENCES)}")
        codes.append(
            ServiceCode(
                program_id=(row.get("program_id") or "").strip(),
                hcpcs=(row.get("hcpcs") or "").strip().upper(),
                modifier=(row.get("modifier") or "").strip().upper(),
                unit=unit,
                start=_opt_date(row.get("from"), where),
                end=_opt_date(row.get("to"), where),
                description=(row.get("description") or "").strip(),
                confidence=confidence,
            )
        )
    return tuple(codes)
