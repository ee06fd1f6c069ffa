"""What an 837P batch needs, read from the store: the billing provider (NPI, TIN, address)
and each claim with its member, payer and lines. Plain data; the exchange layer writes X12."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import claim_visible
from calaim.ops.audit.service import record
from calaim.ops.billing.contracts import terms_for
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.errors import Forbidden, InvalidRequest, NotFound
from calaim.ops.models import Organization, ProviderProfile, User
from calaim.ops.models.billing import BillingProfile, Claim


@dataclass(frozen=True)
class Address:
    """A street address (the 837P's N3/N4)."""

    line: str
    city: str
    state: str
    zip_code: str


@dataclass(frozen=True)
class BillingProvider:
    """The provider that bills: name, NPI, TIN, address and contact phone."""

    name: str
    npi: str
    tin: str
    address: Address
    phone: str


@dataclass(frozen=True)
class ExportLine:
    """One service line: HCPCS code, modifiers, charge, units, dates."""

    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: Decimal
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class Rendering:
    """Who rendered the service when another organization bills (a network lead's member)."""

    name: str
    npi: str


@dataclass(frozen=True)
class ExportClaim:
    """One claim: our number, the member (CIN as member id), payer, authorization, lines."""

    number: str
    last_name: str
    first_name: str
    cin: str
    birth_date: dt.date
    sex: str
    address: Address
    payer_id: str
    payer_name: str
    diagnosis: str
    authorization: str | None
    total: Decimal
    lines: tuple[ExportLine, ...]
    rendering: Rendering | None = None


@dataclass(frozen=True)
class ClaimBatch:
    """The claims of one provider to one plan."""

    provider: BillingProvider
    plan_code: str
    claims: tuple[ExportClaim, ...]


class MissingBillingDetails(InvalidRequest):
    """The provider or a member lacks something the 837P requires."""


def billing_provider(session: Session, organization: Organization) -> BillingProvider:
    """The provider's billing identity, or an error saying what to set up."""
    profile = session.get(ProviderProfile, organization.id)
    place = session.get(BillingProfile, organization.id)
    missing = [
        name
        for name, value in (
            ("NPI", profile and profile.npi),
            ("TIN", profile and profile.tin),
            ("billing address", place),
        )
        if not value
    ]
    if missing or profile is None or place is None:
        raise MissingBillingDetails(
            f"{organization.name} has no {', '.join(missing)}; set them with "
            "`calaim exchange billing-profile` or PUT /billing/profile before exporting claims",
            field="provider",
        )
    address = Address(place.address_line, place.city, place.state, place.zip_code)
    return BillingProvider(
        organization.name, profile.npi or "", profile.tin or "", address, place.phone
    )


def rendering_of(session: Session, claim: Claim) -> Rendering | None:
    """The member CBO that rendered a network lead's claim (None: the biller rendered it)."""
    if claim.rendering_organization_id is None:
        return None
    org = session.get(Organization, claim.rendering_organization_id)
    profile = session.get(ProviderProfile, claim.rendering_organization_id)
    if org is None or profile is None or not profile.npi:
        raise MissingBillingDetails(
            f"the network member that rendered claim {claim.number} has no NPI; add it to "
            "its provider profile, then export",
            field="rendering_provider",
        )
    return Rendering(org.name, profile.npi)


def _claim(
    claim: Claim, plan_code: str, fallback: Address, rendering: Rendering | None = None
) -> ExportClaim:
    member = claim.member
    if not member.cin:
        raise MissingBillingDetails(
            f"member {member.person_id} has no CIN (the 837P member id); add it, then export",
            field="cin",
        )
    terms = terms_for(plan_code, claim.period_start)
    # Members without a street address (often people experiencing homelessness) are billed
    # at the provider's address, a common payer instruction (calaim's assumption).
    address = (
        Address(member.address_line, member.city, "CA", member.zip_code)
        if member.address_line and member.city and member.zip_code
        else fallback
    )
    lines = tuple(
        ExportLine(
            line.procedure_code,
            tuple(m for m in line.modifiers.split(":") if m),
            line.charge,
            line.units,
            line.service_date,
            line.service_date_end,
        )
        for line in claim.lines
    )
    return ExportClaim(
        claim.number,
        member.last_name,
        member.first_name,
        member.cin,
        member.birth_date,
        member.sex or "U",
        address,
        terms.payer_id,
        terms.payer_name,
        terms.diagnosis,
        None if claim.authorization_id is None else str(claim.authorization_id),
        claim.expected_amount,
        lines,
        rendering,
    )


def export_batches(
    session: Session, actor: User, period: BillingPeriod, numbers: list[str] | None = None
) -> list[ClaimBatch]:
    """The actor's claims of a period (or the named ones), one batch per plan."""
    require(actor, Permission.BILLING_MANAGE)
    if actor.organization.kind not in ("ecm_provider", "cs_provider"):
        raise Forbidden("837P files are exported by the billing provider")
    query = select(Claim).where(claim_visible(actor), Claim.period_start == period.start)
    if numbers:
        query = query.where(Claim.number.in_(numbers))
    claims = list(session.scalars(query.order_by(Claim.number)).unique())
    if numbers and len(claims) != len(set(numbers)):
        raise NotFound("some of the claim numbers are not claims of yours in that period")
    provider = billing_provider(session, actor.organization)
    plans: dict[uuid.UUID, list[Claim]] = {}
    for claim in claims:
        plans.setdefault(claim.plan_organization_id, []).append(claim)
    batches = []
    for plan_id, own in plans.items():
        plan = session.get(Organization, plan_id)
        code = (plan.plan_code if plan else None) or "?"
        batches.append(
            ClaimBatch(
                provider,
                code,
                tuple(_claim(c, code, provider.address, rendering_of(session, c)) for c in own),
            )
        )
        for claim in own:
            record(session, actor, "claim.export", claim.member, details={"claim": claim.number})
    return batches
