"""Claim (and Encounter without a Claim) -> `medical_claim` lines.

One line per Claim.item (claim_line_number = item.sequence), or one line if the Claim has no
items. The Claim's Encounter (the first item.encounter) gives the setting (settings.py) and the
stay dates. Dates: billablePeriod, else the Encounter's period, else `created`; line dates from
item.servicedDate / servicedPeriod. Pharmacy, vision and oral claims, and pre-authorizations,
are skipped (counted). An Encounter that no Claim refers to becomes a one-line claim with id
`encounter-<id>`, so Bundles without Claims still show the visits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from calaim.exchange.fhir.bundle import Entry
from calaim.exchange.fhir.errors import FhirInputError
from calaim.exchange.fhir.synthea.amounts import line_amounts, text
from calaim.exchange.fhir.synthea.diagnoses import claim_codes
from calaim.exchange.fhir.synthea.references import target
from calaim.exchange.fhir.synthea.settings import Setting, admit_type, setting_of
from calaim.exchange.fhir.synthea.values import (
    HCPCS_SYSTEMS,
    as_date,
    codes,
    iso,
    period_dates,
    resource_key,
)

SKIPPED_CLAIM_TYPES = ("pharmacy", "vision", "oral")


@dataclass
class Context:
    """What the lines of one patient's claims are built from."""

    bundle: Bundle
    person_id: str
    noted: dict[int, list[str]]
    """ICD-10-CM codes by Encounter entry index (from Conditions)."""
    eobs: dict[int, Any]
    """ExplanationOfBenefit by the entry index of the Claim it adjudicates."""
    skipped: dict[str, int]
    claimed: set[int] = field(default_factory=set)
    """Encounter entry indexes some Claim refers to."""


def claim_lines(ctx: Context, entry: Entry) -> list[dict[str, str]]:
    """The lines of one Claim ([] if it is of a kind calaim skips)."""
    claim: Any = entry.resource
    kinds = codes(claim.type)
    reason = next((k for k in kinds if k in SKIPPED_CLAIM_TYPES), None)
    if claim.use not in (None, "claim"):
        reason = f"use {claim.use}"
    if reason:
        ctx.skipped[f"Claim ({reason})"] = ctx.skipped.get(f"Claim ({reason})", 0) + 1
        return []
    encounter = _encounter(ctx, entry)
    noted = ctx.noted.get(encounter.index, []) if encounter else []
    header = _header(ctx, entry, encounter)
    header.update(_diagnosis_columns(claim_codes(ctx.bundle, entry, noted)))
    items = sorted(claim.item or [], key=lambda item: item.sequence or 0)
    setting = setting_of(encounter.resource if encounter else None)
    if not items:
        return [{**header, "claim_line_number": "1", "revenue_center_code": setting.revenue}]
    eob = ctx.eobs.get(entry.index)
    return [_line(header, item, setting, eob) for item in items]


def _encounter(ctx: Context, entry: Entry) -> Entry | None:
    """The Encounter of the first item that names one."""
    for i, item in enumerate(entry.resource.item or []):  # type: ignore[attr-defined]
        for j, reference in enumerate(item.encounter or []):
            path = f"{entry.path}.item[{i}].encounter[{j}]"
            found = target(ctx.bundle, reference, path, ("Encounter",))
            if found is not None:
                ctx.claimed.add(found.index)
                return found
    return None


def _header(ctx: Context, entry: Entry, encounter: Entry | None) -> dict[str, str]:
    """Claim-level columns: ids, type, dates, stay codes."""
    claim: Any = entry.resource
    visit: Any = encounter.resource if encounter else None
    start, end = period_dates(claim.billablePeriod)
    seen_start, seen_end = period_dates(visit.period) if visit else (None, None)
    start, end = start or seen_start or as_date(claim.created), end or seen_end
    if start is None:
        raise FhirInputError(
            "the Claim has no date: give billablePeriod.start (or an Encounter with a period)",
            field=f"{entry.path}.billablePeriod",
        )
    kind = codes(claim.type)
    setting = setting_of(visit) if visit else Setting(kind[0] if kind else "professional")
    claim_id = resource_key(entry.full_url, claim.id)
    return _columns(claim_id, ctx.person_id, setting, start, end, visit)


def _columns(
    claim_id: str,
    person_id: str,
    setting: Setting,
    start: dt.date,
    end: dt.date | None,
    visit: Any | None,
) -> dict[str, str]:
    """The header columns for a claim in this setting."""
    columns = {
        "claim_id": claim_id,
        "claim_type": setting.claim_type
        if setting.claim_type in ("institutional", "professional")
        else "professional",
        "person_id": person_id,
        "claim_start_date": iso(start),
        "claim_end_date": iso(end),
        "bill_type_code": setting.bill_type,
        "place_of_service_code": setting.place_of_service,
        "diagnosis_code_type": "icd-10-cm",
    }
    if setting.stay and visit is not None:
        admitted, discharged = period_dates(visit.period)
        columns["admission_date"] = iso(admitted or start)
        columns["discharge_date"] = iso(discharged or end)
        columns["admit_type_code"] = admit_type(visit)
    return columns


def _diagnosis_columns(found: list[str]) -> dict[str, str]:
    """diagnosis_code_1 ... in order."""
    return {f"diagnosis_code_{n}": code for n, code in enumerate(found, start=1)}


def _line(header: dict[str, str], item: Any, setting: Setting, eob: Any) -> dict[str, str]:
    """One claim line."""
    start, end = period_dates(item.servicedPeriod)
    start = start or as_date(item.servicedDate)
    hcpcs = codes(item.productOrService, HCPCS_SYSTEMS)
    revenue = codes(item.revenue)
    amounts = line_amounts(eob, int(item.sequence or 0))
    return {
        **header,
        "claim_line_number": str(item.sequence),
        "claim_line_start_date": iso(start),
        "claim_line_end_date": iso(end or start),
        "hcpcs_code": hcpcs[0] if hcpcs else "",
        "revenue_center_code": revenue[0] if revenue else setting.revenue,
        "paid_amount": text(amounts.get("paid")),
        "allowed_amount": text(amounts.get("allowed")),
    }


def encounter_lines(ctx: Context, entry: Entry) -> list[dict[str, str]]:
    """One line for an Encounter no Claim refers to ([] if it has no start date)."""
    visit: Any = entry.resource
    start, end = period_dates(visit.period)
    if start is None:
        ctx.skipped["Encounter (no period.start)"] = (
            ctx.skipped.get("Encounter (no period.start)", 0) + 1
        )
        return []
    key = "encounter-" + resource_key(entry.full_url, visit.id)
    header = _columns(key, ctx.person_id, setting_of(visit), start, end, visit)
    header.update(_diagnosis_columns(ctx.noted.get(entry.index, [])))
    revenue = setting_of(visit).revenue
    return [{**header, "claim_line_number": "1", "revenue_center_code": revenue}]
