"""Medi-Cal enrollment from the Coverage each Synthea ExplanationOfBenefit carries.

Synthea writes no Coverage entries; each ExplanationOfBenefit holds a `contained` Coverage
whose `payor.display` (or `type.text`) names the payer of that claim: `Medicaid`, `Medicare`,
`Dual Eligible`, a private insurer or `NO_INSURANCE`. calaim enrolls a patient for the runs
of consecutive claims paid by Medicaid (or Dual Eligible, which Synthea uses for members on
both), in billablePeriod order: a run starts at its first claim; it ends at its last claim
when a claim paid by another payer follows, and is open-ended (to the death date) when it
is the patient's last run. That reading is calaim's **assumption**: Synthea does not write
enrollment periods, only who paid each claim. The span's payer is the `--payer` plan code,
else `MEDICAID`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from calaim.exchange.fhir.bundle import Entry
from calaim.exchange.fhir.synthea.values import iso, period_dates

MEDICAID_PAYERS = ("medicaid", "medi-cal", "dual eligible")
DEFAULT_PAYER = "MEDICAID"


@dataclass(frozen=True)
class PaidClaim:
    """Who paid one ExplanationOfBenefit, and when."""

    start: dt.date
    end: dt.date
    payer: str
    """The contained Coverage's payor display (lower case)."""

    @property
    def medicaid(self) -> bool:
        return any(word in self.payer for word in MEDICAID_PAYERS)


def paid_claims(eobs: list[Entry]) -> list[PaidClaim]:
    """The dated payer of each ExplanationOfBenefit with a contained Coverage."""
    found = []
    for entry in eobs:
        eob: Any = entry.resource
        payer = _contained_payer(eob)
        start, end = period_dates(eob.billablePeriod)
        if payer is not None and start is not None:
            found.append(PaidClaim(start, end or start, payer))
    return sorted(found, key=lambda claim: (claim.start, claim.end))


def _contained_payer(eob: Any) -> str | None:
    for resource in eob.contained or []:
        if resource.get_resource_type() != "Coverage":
            continue
        payors = resource.payor or []
        display = payors[0].display if payors and payors[0].display else None
        text = display or (resource.type.text if resource.type is not None else None)
        if text:
            return str(text).strip().lower()
    return None


def medicaid_spans(
    claims: list[PaidClaim], death_date: str, payer: str | None
) -> list[dict[str, str]]:
    """Enrollment spans (contract columns) for the runs of Medicaid-paid claims."""
    spans: list[dict[str, str]] = []
    run: list[PaidClaim] = []
    for claim in [*claims, None]:
        if claim is not None and claim.medicaid:
            run.append(claim)
            continue
        if run:
            end = iso(max(c.end for c in run)) if claim is not None else death_date
            spans.append(
                {
                    "enrollment_start_date": iso(run[0].start),
                    "enrollment_end_date": end,
                    "payer": payer or DEFAULT_PAYER,
                    "payer_type": "medicaid",
                    "plan": "",
                }
            )
            run = []
    return spans
