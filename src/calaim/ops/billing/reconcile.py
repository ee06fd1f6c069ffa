"""Reconciling an 835 against what was billed: paid against expected per claim and line,
adjustments stored by CARC reason, unknown claim numbers reported (fatal only when none of
the remittance's claims is known). The same file twice changes nothing."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import claim_visible
from calaim.ops.audit.service import record
from calaim.ops.billing.remit_data import Adjustment, PaidClaim, PaidLine, Remittance835
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import User
from calaim.ops.models.billing import (
    Claim,
    ClaimLine,
    ClaimStatus,
    Remittance,
    RemittanceAdjustment,
)

ZERO = Decimal("0.00")


@dataclass
class Reconciliation:
    """What an 835 did: claims matched, paid against expected, denials by reason."""

    duplicate: bool = False
    matched: int = 0
    unknown: list[str] = field(default_factory=list)
    expected: Decimal = ZERO
    paid: Decimal = ZERO
    provider_adjustments: Decimal = ZERO
    denied_by_reason: Counter[str] = field(default_factory=Counter)
    denied_amount: dict[str, Decimal] = field(default_factory=dict)


def digest(text: str) -> str:
    """The file's SHA-256 (an 835 received twice is recognized by it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def status_for(paid: Decimal, expected: Decimal) -> ClaimStatus:
    """Paid in full, partly, or denied (nothing paid)."""
    if paid <= 0:
        return ClaimStatus.DENIED
    return ClaimStatus.PAID if paid >= expected else ClaimStatus.PARTIAL


def _match(lines: list[ClaimLine], paid: PaidLine, used: set[int]) -> ClaimLine | None:
    """The billed line an SVC answers: same code, modifiers and date, first unused."""
    for line in lines:
        same = (line.procedure_code, tuple(m for m in line.modifiers.split(":") if m)) == (
            paid.code,
            paid.modifiers,
        )
        if line.line_number not in used and same and paid.service_date in (None, line.service_date):
            used.add(line.line_number)
            return line
    return None


class Reconciler:
    """Applying remittances on behalf of one user (a provider or a plan administrator)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def apply(self, remittances: list[Remittance835], text: str) -> Reconciliation:
        """Store and apply every transaction of one 835 file."""
        require(self.actor, Permission.BILLING_MANAGE)
        result = Reconciliation()
        key = digest(text)
        seen = self.session.scalar(
            select(Remittance.id).where(
                Remittance.organization_id == self.actor.organization_id, Remittance.digest == key
            )
        )
        numbers = [claim.number for remit in remittances for claim in remit.claims]
        claims = self._claims(numbers)
        result.unknown = sorted({n for n in numbers if n not in claims})
        if numbers and not claims:
            raise InvalidRequest(
                f"none of the {len(numbers)} claims in the 835 is one of yours (e.g. "
                f"{numbers[0]!r}); check the file is for your organization",
                field="file",
            )
        if seen is not None:
            result.duplicate = True
            return result
        for index, remit in enumerate(remittances):
            self._one(remit, f"{key[:62]}{index:02d}" if index else key, claims, result)
        self.session.flush()
        return result

    def _claims(self, numbers: list[str]) -> dict[str, Claim]:
        found: dict[str, Claim] = {}
        for i in range(0, len(numbers), 500):
            chunk = numbers[i : i + 500]
            rows = self.session.scalars(
                select(Claim).where(claim_visible(self.actor), Claim.number.in_(chunk))
            ).unique()
            found.update({claim.number: claim for claim in rows})
        return found

    def _one(
        self, remit: Remittance835, key: str, claims: dict[str, Claim], result: Reconciliation
    ) -> None:
        row = Remittance(
            organization_id=self.actor.organization_id,
            digest=key,
            payer_name=remit.payer_name,
            trace_number=remit.trace_number,
            payment_date=remit.payment_date,
            total_paid=remit.total_paid,
        )
        self.session.add(row)
        self.session.flush()
        for adjustment in remit.provider_adjustments:
            self.session.add(
                RemittanceAdjustment(
                    remittance_id=row.id,
                    group_code="PLB",
                    reason_code=adjustment.reason,
                    amount=adjustment.amount,
                )
            )
            result.provider_adjustments += adjustment.amount
        for paid in remit.claims:
            claim = claims.get(paid.number)
            if claim is not None:
                self._claim(row, claim, paid, result)

    def _claim(
        self, remittance: Remittance, claim: Claim, paid: PaidClaim, result: Reconciliation
    ) -> None:
        claim.paid_amount = paid.paid
        claim.status = (
            ClaimStatus.DENIED
            if paid.status == "4"
            else status_for(paid.paid, claim.expected_amount)
        ).value
        result.matched += 1
        result.expected += claim.expected_amount
        result.paid += paid.paid
        self._adjust(remittance, claim, None, paid.adjustments, result)
        used: set[int] = set()
        for paid_line in paid.lines:
            line = _match(list(claim.lines), paid_line, used)
            if line is not None:
                line.paid_amount = paid_line.paid
                line.status = status_for(paid_line.paid, line.charge).value
            self._adjust(remittance, claim, line, paid_line.adjustments, result)
        record(
            self.session,
            self.actor,
            "claim.remit",
            claim.member,
            details={"claim": claim.number, "paid": str(paid.paid), "status": claim.status},
        )

    def _adjust(
        self,
        remittance: Remittance,
        claim: Claim,
        line: ClaimLine | None,
        adjustments: tuple[Adjustment, ...],
        result: Reconciliation,
    ) -> None:
        for adjustment in adjustments:
            self.session.add(
                RemittanceAdjustment(
                    remittance_id=remittance.id,
                    claim_id=claim.id,
                    claim_line_id=line.id if line else None,
                    group_code=adjustment.group,
                    reason_code=adjustment.reason,
                    amount=adjustment.amount,
                )
            )
            result.denied_by_reason[adjustment.reason] += 1
            result.denied_amount[adjustment.reason] = (
                result.denied_amount.get(adjustment.reason, ZERO) + adjustment.amount
            )
