"""Request and response bodies of the /billing API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from calaim.ops.billing.build import BillingRun
from calaim.ops.billing.reconcile import Reconciliation
from calaim.ops.http.fields import Stored, bounded
from calaim.ops.models.billing import Claim, EcmEncounter, EncounterMode, StaffKind

Period = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2025-09"])]


class EncounterIn(BaseModel):
    """One ECM service to an enrolled member."""

    enrollment_id: uuid.UUID
    service_date: dt.date
    mode: EncounterMode
    staff_kind: StaffKind
    minutes: int = Field(gt=0, le=1440)
    note: Annotated[str, bounded(2000)] | None = None


class EncounterOut(BaseModel):
    """A recorded ECM encounter."""

    id: uuid.UUID
    enrollment_id: uuid.UUID
    member_id: uuid.UUID
    service_date: dt.date
    mode: str
    staff_kind: str
    minutes: int


def encounter_out(row: EcmEncounter) -> EncounterOut:
    """The body of an encounter."""
    return EncounterOut(
        id=row.id,
        enrollment_id=row.enrollment_id,
        member_id=row.member_id,
        service_date=row.service_date,
        mode=row.mode,
        staff_kind=row.staff_kind,
        minutes=row.minutes,
    )


class RunIn(BaseModel):
    """Bill a month; a dry run only says what would be billed."""

    period: Period
    dry_run: bool = False


class ExportIn(BaseModel):
    """Which month's claims to export, and to which plan (needed when several)."""

    period: Period
    plan: Annotated[str, bounded(40)] | None = None
    claims: list[Annotated[str, bounded(20)]] | None = Field(
        default=None, max_length=10000, description="Only these claim numbers (default: all)."
    )


class InvoiceIn(BaseModel):
    """Which month's CS invoice, in which format."""

    period: Period
    format: Literal["csv", "xlsx"] = "csv"


class RunOut(BaseModel):
    """What a billing run made (or would make)."""

    period: str
    dry_run: bool
    claims: int
    lines: int
    expected: Stored
    already_billed: int
    claim_numbers: list[str]


def run_out(run: BillingRun, dry_run: bool) -> RunOut:
    """The body of a billing run."""
    return RunOut(
        period=run.period.label,
        dry_run=dry_run,
        claims=len(run.drafts),
        lines=run.line_count,
        expected=run.expected,
        already_billed=run.already_billed,
        claim_numbers=[claim.number for claim in run.claims],
    )


class ClaimLineOut(BaseModel):
    """One service line and what was paid."""

    line_number: int
    program_id: str
    service_date: dt.date
    service_date_end: dt.date
    procedure_code: str
    modifiers: list[str]
    units: Stored
    unit_rate: Stored
    charge: Stored
    status: str
    paid_amount: Stored | None


class ClaimOut(BaseModel):
    """A claim with its lines, expected and paid amounts."""

    number: str
    member_id: uuid.UUID
    period: str
    status: str
    expected_amount: Stored
    paid_amount: Stored | None
    lines: list[ClaimLineOut]


def claim_out(claim: Claim) -> ClaimOut:
    """The body of a claim."""
    lines = [
        ClaimLineOut(
            line_number=line.line_number,
            program_id=line.program_id,
            service_date=line.service_date,
            service_date_end=line.service_date_end,
            procedure_code=line.procedure_code,
            modifiers=[m for m in line.modifiers.split(":") if m],
            units=line.units,
            unit_rate=line.unit_rate,
            charge=line.charge,
            status=line.status,
            paid_amount=line.paid_amount,
        )
        for line in claim.lines
    ]
    return ClaimOut(
        number=claim.number,
        member_id=claim.member_id,
        period=claim.period_start.strftime("%Y-%m"),
        status=claim.status,
        expected_amount=claim.expected_amount,
        paid_amount=claim.paid_amount,
        lines=lines,
    )


class ReconciliationOut(BaseModel):
    """What an uploaded 835 did."""

    duplicate: bool
    matched: int
    unknown_claims: list[str]
    reversals: int
    expected: Stored
    paid: Stored  # net, over every 835 so far
    paid_in_file: Stored
    provider_adjustments: Stored
    adjustments_by_reason: dict[str, int]  # standing, net of reversals
    changed_codes: list[str] = []  # lines paid under another code than billed (SVC06)
    unmatched_lines: list[str] = []  # payer lines that answer no billed line


def reconciliation_out(result: Reconciliation) -> ReconciliationOut:
    """The body of a reconciliation."""
    return ReconciliationOut(
        duplicate=result.duplicate,
        matched=result.matched,
        unknown_claims=result.unknown,
        reversals=result.reversals,
        expected=result.expected,
        paid=result.paid,
        paid_in_file=result.paid_in_file,
        provider_adjustments=result.provider_adjustments,
        adjustments_by_reason=dict(result.denied_by_reason),
        changed_codes=result.changed_codes,
        unmatched_lines=result.unmatched_lines,
    )


class DenialOut(BaseModel):
    """Adjustments of one plan, group code and CARC reason."""

    plan: str
    group: str
    reason: str
    label: str
    count: int
    amount: Stored


class ProfileIn(BaseModel):
    """The billing provider's TIN, address (ZIP+4) and phone."""

    tin: Annotated[str, Field(pattern=r"^\d{9}$")]
    address_line: Annotated[str, bounded(55)]
    city: Annotated[str, bounded(30)]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    zip_code: Annotated[str, Field(pattern=r"^\d{9}$")]
    phone: Annotated[str, Field(pattern=r"^\d{10}$")]
