"""The standardized Community Supports invoice (policy-facts §5.6, RECALLED field list): for
providers who cannot send 837s, one row per billed CS line of a period, keyed by the
`cs_invoice` layout's column ids (the exchange layer writes the file)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import claim_visible
from calaim.ops.audit.service import record
from calaim.ops.billing.export import billing_provider
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.errors import Forbidden
from calaim.ops.models import Organization, User
from calaim.ops.models.billing import Claim

InvoiceRow = dict[str, str | dt.date | Decimal | None]


def _line_rows(claim: Claim, invoice_date: dt.date, head: InvoiceRow) -> list[InvoiceRow]:
    """One claim's Community Supports lines, each with the invoice's provider and plan."""
    member = claim.member
    about = {
        **head,
        "invoice_number": claim.number,
        "invoice_date": invoice_date,
        "member_last_name": member.last_name,
        "member_first_name": member.first_name,
        "member_cin": member.cin or "",
        "member_birth_date": member.birth_date,
        "authorization_number": str(claim.authorization_id or ""),
        "place_of_service": None,
    }
    return [
        {
            **about,
            "cs_type": line.program_id,
            "hcpcs_code": line.procedure_code,
            "hcpcs_modifier": line.modifiers.replace(":", " "),
            "service_from": line.service_date,
            "service_to": line.service_date_end,
            "units": line.units,
            "unit_rate": line.unit_rate,
            "billed_amount": line.charge,
        }
        for line in claim.lines
        if line.program_id.startswith("cs.")
    ]


def invoice_rows(
    session: Session, actor: User, period: BillingPeriod, invoice_date: dt.date
) -> list[InvoiceRow]:
    """The actor's billed Community Supports lines of `period` as invoice rows."""
    require(actor, Permission.BILLING_MANAGE)
    if actor.organization.kind != "cs_provider":
        raise Forbidden("Community Supports invoices are sent by CS providers")
    provider = billing_provider(session, actor.organization)
    place = provider.address
    head: InvoiceRow = {
        "provider_legal_name": provider.name,
        "provider_npi": provider.npi,
        "provider_tin": provider.tin,
        "provider_address": f"{place.line}, {place.city}, {place.state} {place.zip_code}",
    }
    claims = session.scalars(
        select(Claim)
        .where(claim_visible(actor), Claim.period_start == period.start)
        .order_by(Claim.number)
    ).unique()
    rows: list[InvoiceRow] = []
    for claim in claims:
        plan = session.get(Organization, claim.plan_organization_id)
        rows += _line_rows(claim, invoice_date, {**head, "mcp_name": plan.name if plan else ""})
        record(session, actor, "claim.invoice", claim.member, details={"claim": claim.number})
    return rows
