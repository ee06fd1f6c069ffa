"""Building claims for a billing period: price what was delivered, skip what is already
billed (each line's `source_key` is unique), group the rest into claims and store them.

Re-running a period bills only what is new. A dry run returns the same answer and writes
nothing but its audit trail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.access.scopes import is_provider
from calaim.ops.audit.service import record
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.billing.sources import Billable, Pricer, cs_lines, ecm_lines
from calaim.ops.errors import Forbidden
from calaim.ops.models import User
from calaim.ops.models.billing import Claim, ClaimLine, ClaimStatus

# The 837P allows at most 50 service lines per claim (loop 2400 repeat).
MAX_LINES = 50
_CHUNK = 500


@dataclass
class ClaimDraft:
    """A claim to create: one member, plan and authorization; up to 50 lines."""

    member_id: uuid.UUID
    plan_organization_id: uuid.UUID
    authorization_id: uuid.UUID | None
    lines: list[Billable] = field(default_factory=list)

    @property
    def expected(self) -> Decimal:
        """What the claim should be paid: the sum of its lines' charges."""
        return sum((line.charge for line in self.lines), Decimal("0.00"))


@dataclass
class BillingRun:
    """The outcome of a run: the claims made (or that would be), and what was already billed."""

    period: BillingPeriod
    drafts: list[ClaimDraft]
    already_billed: int
    claims: list[Claim] = field(default_factory=list)

    @property
    def expected(self) -> Decimal:
        """The total expected for the new claims."""
        return sum((draft.expected for draft in self.drafts), Decimal("0.00"))

    @property
    def line_count(self) -> int:
        """How many new lines."""
        return sum(len(draft.lines) for draft in self.drafts)


def _billed_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        found.update(
            session.scalars(select(ClaimLine.source_key).where(ClaimLine.source_key.in_(chunk)))
        )
    return found


def group(lines: Iterable[Billable]) -> list[ClaimDraft]:
    """Lines grouped per (member, plan, authorization), split every 50 lines."""
    drafts: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None], list[ClaimDraft]] = {}
    for line in lines:
        key = (line.member.id, line.plan_organization_id, line.authorization_id)
        chain = drafts.setdefault(key, [ClaimDraft(*key)])
        if len(chain[-1].lines) == MAX_LINES:
            chain.append(ClaimDraft(*key))
        chain[-1].lines.append(line)
    return [draft for chain in drafts.values() for draft in chain]


def claim_number() -> str:
    """A new claim id (the 837P patient control number): short, unique, unguessable."""
    return "C" + uuid.uuid4().hex[:15].upper()


class BillingService:
    """Building claims on behalf of one provider user."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def build(
        self, period: BillingPeriod, *, now: dt.datetime, dry_run: bool = False
    ) -> BillingRun:
        """Bill what the actor's organization delivered in `period` and has not billed yet."""
        require(self.actor, Permission.BILLING_MANAGE)
        if not is_provider(self.actor):
            raise Forbidden("claims are built by the provider that delivered the services")
        pricer = Pricer(self.session)
        priced = [
            *cs_lines(self.session, pricer, self.actor, period),
            *ecm_lines(self.session, pricer, self.actor, period),
        ]
        billed = _billed_keys(self.session, [line.source_key for line in priced])
        run = BillingRun(
            period, group(x for x in priced if x.source_key not in billed), len(billed)
        )
        if not dry_run:
            run.claims = [self._store(draft, period, now) for draft in run.drafts]
            self.session.flush()
        action = "claim.preview" if dry_run else "claim.create"
        numbers: list[str | None] = [claim.number for claim in run.claims]
        numbers = numbers or [None] * len(run.drafts)
        for draft, number in zip(run.drafts, numbers, strict=True):
            details = {
                "claim": number,
                "period": period.label,
                "lines": len(draft.lines),
                "expected": str(draft.expected),
            }
            record(self.session, self.actor, action, draft.lines[0].member, details=details)
        return run

    def _store(self, draft: ClaimDraft, period: BillingPeriod, now: dt.datetime) -> Claim:
        claim = Claim(
            number=claim_number(),
            provider_organization_id=self.actor.organization_id,
            plan_organization_id=draft.plan_organization_id,
            member_id=draft.member_id,
            authorization_id=draft.authorization_id,
            period_start=period.start,
            period_end=period.end,
            status=ClaimStatus.BUILT.value,
            expected_amount=draft.expected,
            created_at=now,
        )
        claim.lines = [
            ClaimLine(
                line_number=n,
                source_key=line.source_key,
                program_id=line.program_id,
                service_date=line.service_date,
                service_date_end=line.service_date_end,
                procedure_code=line.code,
                modifiers=":".join(line.modifiers),
                unit=line.unit,
                units=line.units,
                unit_rate=line.unit_rate,
                charge=line.charge,
                status=ClaimStatus.BUILT.value,
            )
            for n, line in enumerate(draft.lines, start=1)
        ]
        self.session.add(claim)
        return claim
