"""Reconciling an 835 against what was billed, cumulatively: every CLP and SVC is a payment row
(`ledger`), a claim's paid amount is the sum over its remittances, a reversal (CLP02 22)
cancels the payment it names and a correction adds the new one. Adjustments are stored by
CARC reason; unknown claim numbers are reported (fatal only when none of the remittance's
claims is known). The same file twice changes nothing; a file with any error changes nothing."""

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
from calaim.ops.billing.ledger import check_amounts, net_adjustments, refresh, reversed_payment
from calaim.ops.billing.remit_data import Adjustment, PaidClaim, PaidLine, Remittance835
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import User
from calaim.ops.models.billing import (
    Claim,
    ClaimLine,
    Remittance,
    RemittanceAdjustment,
    RemittancePayment,
)

ZERO = Decimal("0.00")


@dataclass
class Reconciliation:
    """What an 835 did: claims matched, paid against expected, denials by reason."""

    duplicate: bool = False
    matched: int = 0  # claims of the file that are the caller's (each counted once)
    unknown: list[str] = field(default_factory=list)
    expected: Decimal = ZERO  # what those claims bill
    paid: Decimal = ZERO  # what they have been paid, net, over every remittance so far
    paid_in_file: Decimal = ZERO  # this file's net payment to them (reversals negative)
    reversals: int = 0  # CLP02 22 claims in the file
    provider_adjustments: Decimal = ZERO
    # Adjustments standing on those claims after the file (net of reversals), per reason.
    denied_by_reason: Counter[str] = field(default_factory=Counter)
    denied_amount: dict[str, Decimal] = field(default_factory=dict)
    # Lines the payer adjudicated under another code (SVC06), e.g. "C-1 line 2: billed
    # H2016:U1, paid as T2016"; and SVC lines that answer no billed line.
    changed_codes: list[str] = field(default_factory=list)
    unmatched_lines: list[str] = field(default_factory=list)


def digest(text: str) -> str:
    """The file's SHA-256 (an 835 received twice is recognized by it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _match(lines: list[ClaimLine], paid: PaidLine, used: set[int]) -> ClaimLine | None:
    """The billed line an SVC answers: same code, modifiers (as billed: SVC06 when the payer
    reports a changed code) and date, first unused."""
    for line in lines:
        same = (
            line.procedure_code,
            tuple(m for m in line.modifiers.split(":") if m),
        ) == paid.as_billed
        if line.line_number not in used and same and paid.service_date in (None, line.service_date):
            used.add(line.line_number)
            return line
    return None


def _code(code: str, modifiers: tuple[str, ...]) -> str:
    return ":".join((code, *modifiers))


def _changed(claim: Claim, line: ClaimLine, paid: PaidLine) -> str:
    billed = _code(*paid.as_billed)
    return (
        f"{claim.number} line {line.line_number}: billed {billed}, "
        f"paid as {_code(paid.code, paid.modifiers)} (SVC06)"
    )


def _unmatched(claim: Claim, paid: PaidLine) -> str:
    return (
        f"{claim.number}: the payer's line {_code(*paid.as_billed)} on "
        f"{paid.service_date or 'no date'} (segment {paid.segment}) matches no billed line"
    )


class Reconciler:
    """Applying remittances on behalf of one user (a provider or a plan administrator)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def apply(
        self, remittances: list[Remittance835], text: str, name: str = "the 835"
    ) -> Reconciliation:
        """Store and apply every transaction of one 835 file: all of it, or (on error) none."""
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
        # A savepoint: a reversal found wrong halfway through undoes the rows already added.
        with self.session.begin_nested():
            for index, remit in enumerate(remittances):
                self._one(remit, f"{key[:62]}{index:02d}" if index else key, claims, result, name)
            touched = {n: claims[n] for n in numbers if n in claims}
            for claim in touched.values():
                refresh(self.session, claim)
            self.session.flush()
        self._totals(list(touched.values()), result)
        return result

    def _totals(self, touched: list[Claim], result: Reconciliation) -> None:
        """Net figures over the file's claims: expected, paid to date, standing adjustments."""
        result.matched = len(touched)
        result.expected = sum((claim.expected_amount for claim in touched), ZERO)
        result.paid = sum((claim.paid_amount or ZERO for claim in touched), ZERO)
        for reason, (count, amount) in net_adjustments(
            self.session, [claim.id for claim in touched]
        ).items():
            result.denied_by_reason[reason] = count
            result.denied_amount[reason] = amount
        for claim in touched:
            record(
                self.session,
                self.actor,
                "claim.remit",
                claim.member,
                details={
                    "claim": claim.number,
                    "paid": str(claim.paid_amount),
                    "status": claim.status,
                },
            )

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
        self,
        remit: Remittance835,
        key: str,
        claims: dict[str, Claim],
        result: Reconciliation,
        name: str,
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
                self._claim(row, claim, paid, result, name)

    def _claim(
        self,
        remittance: Remittance,
        claim: Claim,
        paid: PaidClaim,
        result: Reconciliation,
        name: str,
    ) -> None:
        """One CLP: a payment row for the claim and one per matched SVC, its adjustments."""
        check_amounts(paid, name)
        original = reversed_payment(self.session, claim, paid, name) if paid.reversal else None
        payment = self._payment(remittance, claim, None, paid, paid.charge, paid.paid)
        if original is not None:
            original.reversed_by_id = payment.id
            result.reversals += 1
        result.paid_in_file += paid.paid
        self._adjust(remittance, claim, None, paid.adjustments)
        used: set[int] = set()
        for paid_line in paid.lines:
            line = _match(list(claim.lines), paid_line, used)
            if line is not None:
                self._payment(remittance, claim, line, paid, paid_line.charge, paid_line.paid)
                if paid_line.changed:
                    result.changed_codes.append(_changed(claim, line, paid_line))
            else:
                result.unmatched_lines.append(_unmatched(claim, paid_line))
            self._adjust(remittance, claim, line, paid_line.adjustments)

    def _payment(
        self,
        remittance: Remittance,
        claim: Claim,
        line: ClaimLine | None,
        paid: PaidClaim,
        charge: Decimal,
        amount: Decimal,
    ) -> RemittancePayment:
        row = RemittancePayment(
            remittance_id=remittance.id,
            claim_id=claim.id,
            claim_line_id=line.id if line else None,
            status_code=paid.status[:2],
            payer_claim_number=paid.payer_claim_number,
            charge=charge,
            paid=amount,
            segment=paid.segment,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def _adjust(
        self,
        remittance: Remittance,
        claim: Claim,
        line: ClaimLine | None,
        adjustments: tuple[Adjustment, ...],
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
