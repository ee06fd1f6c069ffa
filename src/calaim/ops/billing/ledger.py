"""The payment ledger of claims and lines: one row per payment an 835 reports, net figures as
sums over every remittance, reversals matched to the payment they cancel."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.billing.remit_data import DENIED, REVERSAL, PaidClaim
from calaim.ops.errors import InvalidRequest
from calaim.ops.models.billing import (
    Claim,
    ClaimStatus,
    RemittanceAdjustment,
    RemittancePayment,
)

ZERO = Decimal("0.00")


def status_for(paid: Decimal, expected: Decimal) -> ClaimStatus:
    """Paid in full, partly, or denied (nothing paid)."""
    if paid <= 0:
        return ClaimStatus.DENIED
    return ClaimStatus.PAID if paid >= expected else ClaimStatus.PARTIAL


def _where(name: str, paid: PaidClaim) -> str:
    return f"{name}: segment {paid.segment}, element CLP04"


def reversed_payment(
    session: Session, claim: Claim, paid: PaidClaim, name: str
) -> RemittancePayment:
    """The standing payment a reversal (CLP02 22) cancels: same amount, negated, and the same
    payer claim number (CLP07) when both have one; the latest such payment first."""
    candidates = session.scalars(
        select(RemittancePayment)
        .where(
            RemittancePayment.claim_id == claim.id,
            RemittancePayment.claim_line_id.is_(None),
            RemittancePayment.status_code != REVERSAL,
            RemittancePayment.reversed_by_id.is_(None),
        )
        .order_by(RemittancePayment.posted_at.desc(), RemittancePayment.segment.desc())
    ).all()
    same = [row for row in candidates if row.paid == -paid.paid]
    if same:
        # Payers may give the correction a new CLP07; the same one is only a preference.
        return min(same, key=lambda row: row.payer_claim_number != paid.payer_claim_number)
    paid_so_far = sum((row.paid for row in candidates), ZERO)
    raise InvalidRequest(
        f"{_where(name, paid)}: claim {paid.number} reverses a payment of {-paid.paid:.2f} "
        f"(CLP02 22) but no such payment is on record (standing payments total "
        f"{paid_so_far:.2f}); reconcile the 835 that paid it first, then this one",
        field="file",
    )


def check_amounts(paid: PaidClaim, name: str) -> None:
    """A reversal carries negated amounts; any other claim status never a negative payment."""
    if paid.reversal and paid.paid > 0:
        raise InvalidRequest(
            f"{_where(name, paid)}: claim {paid.number} is a reversal (CLP02 22) with a positive "
            f"payment {paid.paid:.2f}; a reversal negates the original payment",
            field="file",
        )
    if not paid.reversal and paid.paid < 0:
        raise InvalidRequest(
            f"{_where(name, paid)}: claim {paid.number} has a negative payment {paid.paid:.2f} "
            f"with status {paid.status!r}; only a reversal (CLP02 22) takes money back",
            field="file",
        )


def _sums(session: Session, claim_id: uuid.UUID) -> dict[uuid.UUID | None, Decimal]:
    """Net paid per line of a claim (key None: the claim itself)."""
    rows = session.execute(
        select(RemittancePayment.claim_line_id, func.sum(RemittancePayment.paid))
        .where(RemittancePayment.claim_id == claim_id)
        .group_by(RemittancePayment.claim_line_id)
    ).all()
    return {line: Decimal(total or 0).quantize(Decimal("0.01")) for line, total in rows}


def _standing_status(session: Session, claim_id: uuid.UUID) -> str | None:
    """CLP02 of the claim's latest payment not reversed (None: nothing stands)."""
    return session.scalar(
        select(RemittancePayment.status_code)
        .where(
            RemittancePayment.claim_id == claim_id,
            RemittancePayment.claim_line_id.is_(None),
            RemittancePayment.status_code != REVERSAL,
            RemittancePayment.reversed_by_id.is_(None),
        )
        .order_by(RemittancePayment.posted_at.desc(), RemittancePayment.segment.desc())
        .limit(1)
    )


def refresh(session: Session, claim: Claim) -> None:
    """Set a claim's and its lines' paid amounts and statuses from the ledger (net figures).

    With every payment reversed and no correction yet, the claim is `built` again: billed,
    awaiting the payer's corrected answer, with 0.00 paid.
    """
    session.flush()
    sums = _sums(session, claim.id)
    if None not in sums:
        return
    claim.paid_amount = sums[None]
    standing = _standing_status(session, claim.id)
    if standing is None:
        claim.status = ClaimStatus.BUILT.value
    elif standing == DENIED and claim.paid_amount <= 0:
        claim.status = ClaimStatus.DENIED.value
    else:
        claim.status = status_for(claim.paid_amount, claim.expected_amount).value
    for line in claim.lines:
        if line.id in sums:
            line.paid_amount = sums[line.id]
            line.status = (
                ClaimStatus.BUILT.value
                if standing is None
                else status_for(line.paid_amount, line.charge).value
            )


def net_adjustments(
    session: Session, claim_ids: Iterable[uuid.UUID]
) -> dict[str, tuple[int, Decimal]]:
    """Per CARC reason: how many claim or line adjustments stand (net of reversals) and their
    net amount, over the given claims."""
    ids = list(claim_ids)
    found: dict[str, tuple[int, Decimal]] = {}
    for i in range(0, len(ids), 500):
        net = (
            select(
                RemittanceAdjustment.reason_code.label("reason"),
                func.sum(RemittanceAdjustment.amount).label("amount"),
            )
            .where(RemittanceAdjustment.claim_id.in_(ids[i : i + 500]))
            .group_by(
                RemittanceAdjustment.claim_id,
                RemittanceAdjustment.claim_line_id,
                RemittanceAdjustment.group_code,
                RemittanceAdjustment.reason_code,
            )
            # Not `!= 0`: SQLite sums NUMERIC as floats.
            .having(func.abs(func.sum(RemittanceAdjustment.amount)) >= Decimal("0.005"))
            .subquery()
        )
        for reason, count, amount in session.execute(
            select(net.c.reason, func.count(), func.sum(net.c.amount)).group_by(net.c.reason)
        ):
            before = found.get(reason, (0, ZERO))
            found[reason] = (before[0] + count, before[1] + Decimal(amount).quantize(ZERO))
    return found
