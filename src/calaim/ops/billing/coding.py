"""The dated coding table (policy/reference/billing_codes.csv): which HCPCS code and modifiers
bill a service, by program or service kind, mode, staff type and date of service.

Codes are reused across Community Supports (H0043, H0044, S5165, S9977, T2038), so a line is
identified by (code, modifiers), never by the code alone (policy-facts §4.2).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from calaim.engine.loading.policy import default_policy_dir
from calaim.ops.errors import InvalidRequest

ECM_ENCOUNTER = "ecm"
ECM_OUTREACH = "ecm.outreach"
ECM_MONTHLY = "ecm.monthly"


class Mode(StrEnum):
    """How the service was delivered: in person, or remotely (telephone or video: GQ)."""

    IN_PERSON = "in_person"
    REMOTE = "remote"


class StaffType(StrEnum):
    """Who delivered an ECM service: licensed clinical staff or non-clinical staff."""

    CLINICAL = "clinical"
    NON_CLINICAL = "non_clinical"


@dataclass(frozen=True)
class BillingCode:
    """One dated row of the coding table."""

    service: str
    variant: str
    mode: str
    staff: str
    code: str
    modifiers: tuple[str, ...]
    unit: str
    valid_from: dt.date
    valid_to: dt.date | None
    confidence: str
    source: str

    def in_force(self, on: dt.date) -> bool:
        """Whether the row applies to a service on `on` (`valid_to` is exclusive)."""
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class NoBillingCode(InvalidRequest):
    """No row of the coding table bills this service on this date."""


def _row(raw: dict[str, str]) -> BillingCode:
    return BillingCode(
        service=raw["service"],
        variant=raw["variant"],
        mode=raw["mode"],
        staff=raw["staff"],
        code=raw["code"],
        modifiers=tuple(m for m in raw["modifiers"].split(":") if m),
        unit=raw["unit"],
        valid_from=dt.date.fromisoformat(raw["valid_from"]),
        valid_to=dt.date.fromisoformat(raw["valid_to"]) if raw["valid_to"] else None,
        confidence=raw["confidence"],
        source=raw["source"],
    )


@cache
def coding_table() -> tuple[BillingCode, ...]:
    """Every row of the shipped coding table."""
    path = default_policy_dir() / "reference" / "billing_codes.csv"
    with path.open(encoding="utf-8") as handle:
        return tuple(_row(raw) for raw in csv.DictReader(handle))


def _fits(row: BillingCode, mode: Mode | None, staff: StaffType | None) -> bool:
    mode_ok = row.mode == "any" or (mode is not None and row.mode == mode.value)
    staff_ok = row.staff == "any" or (staff is not None and row.staff == staff.value)
    return mode_ok and staff_ok


def lookup(
    service: str,
    on: dt.date,
    *,
    mode: Mode | None = None,
    staff: StaffType | None = None,
    variant: str = "",
) -> BillingCode:
    """The code and modifiers billing `service` (a CS program id, `ecm`, `ecm.outreach` or
    `ecm.monthly`) delivered on `on`."""
    for row in coding_table():
        same = row.service == service and row.variant == variant
        if same and row.in_force(on) and _fits(row, mode, staff):
            return row
    what = service + (f" ({variant})" if variant else "")
    raise NoBillingCode(
        f"no billing code for {what} on {on.isoformat()} "
        f"(mode {mode or 'any'}, staff {staff or 'any'}); "
        "add a dated row to policy/reference/billing_codes.csv",
        field="service_date",
    )


def classify(code: str, modifiers: tuple[str, ...], on: dt.date) -> BillingCode | None:
    """The row a billed (code, modifiers) line belongs to on `on`, checking every modifier
    slot (GQ and other informational modifiers may sit in any position)."""
    given = set(modifiers)
    for row in coding_table():
        if row.code == code and row.in_force(on) and set(row.modifiers) <= given:
            # The most specific row wins: U2 GQ before U2.
            better = [
                other
                for other in coding_table()
                if other.code == code
                and other.in_force(on)
                and set(other.modifiers) <= given
                and len(other.modifiers) > len(row.modifiers)
            ]
            return better[0] if better else row
    return None
