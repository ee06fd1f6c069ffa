"""Coverage -> `eligibility` spans: one span per active Coverage of the patient.

payer: the payor Organization's `urn:calaim:plan-code` identifier, else the Coverage's `plan`
class value, else the payor reference's identifier value or display, else the Organization's
name. plan: the `subplan` class value. Dates: `period` (no end = open-ended). Coverages that are
cancelled, draft or entered-in-error, or have no start date or no payer, are skipped (counted).
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir.bundle import Entry, resolve
from calaim.exchange.fhir.codes import PLAN_CODE
from calaim.exchange.fhir.synthea.values import iso, period_dates

Skips = dict[str, int]


def spans(bundle: Bundle, coverages: list[Entry], skipped: Skips) -> list[dict[str, str]]:
    """Span columns (enrollment dates, payer, plan, member id) of the usable Coverages."""
    rows = []
    for entry in coverages:
        coverage: Any = entry.resource
        start, end = period_dates(coverage.period)
        payer = _payer(bundle, coverage)
        reason = _unusable(coverage.status, start is None, payer is None)
        if reason:
            skipped[f"Coverage ({reason})"] = skipped.get(f"Coverage ({reason})", 0) + 1
            continue
        rows.append(
            {
                "enrollment_start_date": iso(start),
                "enrollment_end_date": iso(end),
                "payer": str(payer),
                "plan": _class_value(coverage, "subplan") or "",
                "subscriber_id": str(coverage.subscriberId or ""),
            }
        )
    return rows


def _unusable(status: str | None, no_start: bool, no_payer: bool) -> str | None:
    """Why a Coverage gives no span (None if it does)."""
    if status not in (None, "active"):
        return f"status {status}"
    if no_start:
        return "no period.start"
    return "no payer" if no_payer else None


def _payer(bundle: Bundle, coverage: Any) -> str | None:
    """The payer code by the rule in this module's docstring."""
    payors = coverage.payor or []
    org = resolve(bundle, payors[0].reference) if payors else None
    for identifier in (getattr(org.resource, "identifier", None) or []) if org else []:
        if identifier.system == PLAN_CODE and identifier.value:
            return str(identifier.value)
    plan = _class_value(coverage, "plan")
    if plan:
        return plan
    if payors and payors[0].identifier is not None and payors[0].identifier.value:
        return str(payors[0].identifier.value)
    if payors and payors[0].display:
        return str(payors[0].display)
    name = getattr(org.resource, "name", None) if org else None
    return str(name) if name else None


def _class_value(coverage: Any, kind: str) -> str | None:
    """The value of the Coverage class of one type (`plan`, `subplan`)."""
    for item in coverage.class_fhir or []:
        if kind in [str(c.code) for c in (item.type.coding or [])] and item.value:
            return str(item.value)
    return None
