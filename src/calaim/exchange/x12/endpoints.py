"""HTTP endpoints: billing (ECM encounters, claims, 837P out, 835 in, denials, CS invoice)."""

from __future__ import annotations

import io
import uuid
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from calaim.exchange.x12.files import decode, export_837, reconcile_835
from calaim.exchange.x12.invoice import write_invoice
from calaim.exchange.x12.schemas import (
    ClaimOut,
    DenialOut,
    EncounterIn,
    EncounterOut,
    ExportIn,
    InvoiceIn,
    Period,
    ProfileIn,
    ReconciliationOut,
    RunIn,
    RunOut,
    claim_out,
    encounter_out,
    reconciliation_out,
    run_out,
)
from calaim.ops.billing.build import BillingService
from calaim.ops.billing.encounters import Encounter, EncounterService
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.billing.profile import BillingDetails, set_billing_details
from calaim.ops.billing.reports import denials
from calaim.ops.billing.repository import claims_page, encounters_page
from calaim.ops.enrollments.schemas import local_today
from calaim.ops.errors import InvalidRequest
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models.billing import ClaimStatus

router = DomainRouter(
    prefix="/billing",
    tag="billing",
    description=(
        "Claims from delivered services, X12 837P out, X12 835 remittances in, "
        "paid against expected."
    ),
)
X12: dict[int | str, dict[str, Any]] = {200: {"content": {"application/edi-x12": {}}}}


@router.post("/encounters", response_model=EncounterOut, status_code=201)
def record_encounter(
    body: EncounterIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> EncounterOut:
    """Record an ECM service to an enrolled member (the member's ECM provider)."""
    encounter = Encounter(body.service_date, body.mode, body.staff_kind, body.minutes, body.note)
    row = EncounterService(session, actor).record(
        body.enrollment_id, encounter, today=local_today(now), now=now
    )
    return encounter_out(row)


@router.get("/encounters", response_model=Page[EncounterOut])
def list_encounters(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    enrollment_id: uuid.UUID | None = None,
) -> Page[EncounterOut]:
    """ECM encounters the caller may see (optionally one enrollment's)."""
    result = encounters_page(session, actor, page, enrollment_id)
    return page_of(result, page, encounter_out)


@router.post("/runs", response_model=RunOut)
def build_claims(body: RunIn, actor: ActorDep, session: SessionDep, now: NowDep) -> RunOut:
    """Bill a month of the caller's services not billed yet (`dry_run`: only show them)."""
    run = BillingService(session, actor).build(
        BillingPeriod.parse(body.period), now=now, dry_run=body.dry_run
    )
    return run_out(run, body.dry_run)


@router.get("/claims", response_model=Page[ClaimOut])
def list_claims(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    period: Period | None = None,
    status: ClaimStatus | None = None,
) -> Page[ClaimOut]:
    """Claims the caller billed (provider) or that were billed to it (plan)."""
    chosen = BillingPeriod.parse(period) if period else None
    return page_of(claims_page(session, actor, page, chosen, status), page, claim_out)


@router.post("/exports/837", response_class=Response, responses=X12)
def export_claims(body: ExportIn, actor: ActorDep, session: SessionDep, now: NowDep) -> Response:
    """The month's claims to one plan as a pyx12-valid 837P (name `plan` if there are several)."""
    period, plan = body.period, body.plan
    files = export_837(
        session,
        actor,
        BillingPeriod.parse(period),
        produced_at=now,
        plan_code=plan,
        numbers=body.claims,
    )
    if len(files) > 1:
        plans = ", ".join(f.plan_code for f in files)
        raise InvalidRequest(
            f'the claims go to several plans ({plans}); name one in "plan"', field="plan"
        )
    name = f"claims-{period}-{files[0].plan_code}.837"
    return Response(
        files[0].text,
        media_type="application/edi-x12",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def raw_body(request: Request) -> bytes:
    """The request's body as sent (read once and cached, so the idempotency guard sees it)."""
    return await request.body()


# The 835 is the request body itself (curl --data-binary @remit.835), not a multipart form.
X12_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/edi-x12": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


@router.post("/remittances", response_model=ReconciliationOut, openapi_extra=X12_BODY)
def upload_835(
    body: Annotated[bytes, Depends(raw_body)],
    actor: ActorDep,
    session: SessionDep,
    name: Annotated[str, Query(max_length=100, pattern=r"^[^\x00-\x1f]*$")] = "the 835",
) -> ReconciliationOut:
    """Reconcile an 835 (the body): paid against expected; the same file twice changes nothing."""
    return reconciliation_out(reconcile_835(session, actor, decode(body, name), name))


@router.get("/denials", response_model=list[DenialOut])
def denial_report(actor: ActorDep, session: SessionDep) -> list[DenialOut]:
    """Adjustments and denials by plan, group code and CARC reason."""
    return [
        DenialOut(
            plan=r.plan,
            group=r.group,
            reason=r.reason,
            label=r.label,
            count=r.count,
            amount=r.amount,
        )
        for r in denials(session, actor)
    ]


@router.post("/exports/invoice", response_class=Response)
def export_invoice(body: InvoiceIn, actor: ActorDep, session: SessionDep, now: NowDep) -> Response:
    """The standardized CS invoice of a month's billed CS lines (CSV or XLSX)."""
    period, format = body.period, body.format
    out = io.BytesIO()
    write_invoice(session, actor, BillingPeriod.parse(period), local_today(now), out, format)
    media = (
        "text/csv"
        if format == "csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    name = f"cs-invoice-{period}.{format}"
    return Response(
        out.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.put("/profile", status_code=204)
def put_profile(body: ProfileIn, actor: ActorDep, session: SessionDep) -> Response:
    """Set the caller's organization's TIN, billing address and phone (for the 837P)."""
    set_billing_details(session, actor, BillingDetails(**body.model_dump()))
    return Response(status_code=204)
