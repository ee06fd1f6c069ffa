"""Scoped, audited reads of claims and ECM encounters (pages)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed, require
from calaim.ops.access.scopes import claim_visible, ecm_encounter_visible, is_plan
from calaim.ops.audit.service import record
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.models import User
from calaim.ops.models.billing import Claim, ClaimStatus, EcmEncounter
from calaim.ops.paging import PageRequest, PageResult, fetch_page


def require_claim_read(actor: User) -> None:
    """Billing staff read claims; so do plan staff who read services (claims are about them)."""
    if not allowed(actor, Permission.SERVICE_READ) or not is_plan(actor):
        require(actor, Permission.BILLING_MANAGE)


def claims_page(
    session: Session,
    actor: User,
    page: PageRequest,
    period: BillingPeriod | None = None,
    status: ClaimStatus | None = None,
) -> PageResult[Claim]:
    """Claims the actor may see (a provider: billed; a plan: billed to it), newest period first."""
    require_claim_read(actor)
    query = select(Claim).where(claim_visible(actor))
    if period is not None:
        query = query.where(Claim.period_start == period.start)
    if status is not None:
        query = query.where(Claim.status == status.value)
    result = fetch_page(session, query, page, Claim.period_start.desc(), Claim.number)
    for claim in result.items:
        record(session, actor, "claim.list", claim.member, details={"claim": claim.number})
    return result


def encounters_page(
    session: Session,
    actor: User,
    page: PageRequest,
    enrollment_id: uuid.UUID | None = None,
) -> PageResult[EcmEncounter]:
    """ECM encounters the actor may see, by date."""
    require(actor, Permission.ENROLLMENT_READ)
    query = select(EcmEncounter).where(ecm_encounter_visible(actor))
    if enrollment_id is not None:
        query = query.where(EcmEncounter.enrollment_id == enrollment_id)
    result = fetch_page(session, query, page, EcmEncounter.service_date, EcmEncounter.id)
    for row in result.items:
        record(
            session,
            actor,
            "ecm_encounter.list",
            entity_type="ecm_encounter",
            entity_id=str(row.id),
            details={"member_id": str(row.member_id)},
        )
    return result
