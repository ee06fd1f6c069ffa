"""The program view's Community Supports part: requests and decisions, spend, caps, pricing.

- Requests, approvals, denials and timeliness by service reuse the timeliness report
  (`reports/timeliness.py`), its counties added together (authorizations, not members).
- Spend: Community Supports claim lines billed to the plan with a service date in the period
  (`ops/read_models/program.py`): units, billed (charge) and paid, in Decimal dollars.
- Caps: for services with a lifetime dollar cap (`cs_caps.yaml`, the limit read on the period's
  last day), the members whose payments so far reach it (at the cap) or 80% of it (near).
- Pricing: the paid rate per unit (paid ÷ units) against DHCS's non-binding guidance range in
  force on the period's last day (`cs_pricing.yaml`; the shipped ranges are placeholders).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from sqlalchemy.orm import Session

from calaim.engine.loading.policy import Policy
from calaim.ops.models import User
from calaim.ops.read_models.program import CsLine, cs_claim_lines, cs_paid_through
from calaim.ops.services.caps_data import cap_table, number
from calaim.reports.filters import Filters, Period
from calaim.reports.pricing import Guidance, PriceRange, load_guidance, position
from calaim.reports.timeliness import timeliness

NEAR_CAP = Decimal("0.8")
CENT = Decimal("0.01")
ACTIVITY = ("requested", "approved", "denied", "on_time", "late", "overdue", "open")


@dataclass(frozen=True)
class ServiceRow:
    """One Community Support over the period (counts are authorizations; members distinct)."""

    program: str
    name: str
    activity: dict[str, int]
    members_paid: int
    unit: str
    units: Decimal
    billed: Decimal
    paid: Decimal
    paid_per_unit: Decimal | None
    guidance: PriceRange | None
    guidance_position: str
    cap: Decimal | None = None
    members_at_cap: int = 0
    members_near_cap: int = 0


def cents(amount: Decimal) -> Decimal:
    """Dollars rounded to the cent (half up)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@cache
def guidance(policy_root: str, programs: frozenset[str]) -> Guidance:
    """The shipped pricing guidance (read once)."""
    from pathlib import Path

    return load_guidance(Path(policy_root) / "cs_pricing.yaml", set(programs))


def cs_rows(
    session: Session, actor: User, policy: Policy, period: Period, now: dt.datetime
) -> tuple[ServiceRow, ...]:
    """Every Community Support with requests or claims in the period (see the module doc)."""
    clock = timeliness(session, actor, policy, period, Filters(), now)
    activity: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTIVITY, 0))
    for row in clock.rows:
        if row.program.startswith("cs."):
            tally = activity[row.program]
            for key in ACTIVITY[1:]:
                tally[key] += row.counts.get(key) or 0
            tally["requested"] += sum(
                row.counts.get(s) or 0
                for s in ("pending", "presumptive", "approved", "denied", "withdrawn")
            )
    lines: dict[str, list[CsLine]] = defaultdict(list)
    for line in cs_claim_lines(session, actor, period.start, period.end):
        lines[line.program_id].append(line)
    caps = _amount_caps(period.end)
    paid_so_far = cs_paid_through(session, actor, period.end, caps)
    cs = frozenset(pid for pid, p in policy.programs.items() if p.kind == "cs")
    book = guidance(str(policy.root), cs)
    return tuple(
        _row(policy, program, activity[program], lines[program], book, period.end,
             caps.get(program), paid_so_far)
        for program in sorted(set(activity) | set(lines))
    )  # fmt: skip


def _amount_caps(day: dt.date) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for program, caps in cap_table().caps.items():
        for cap in caps:
            limit = number(cap.limit, day) if cap.kind == "lifetime_amount" else None
            if limit is not None:
                found[program] = limit
    return found


def _row(
    policy: Policy,
    program: str,
    activity: dict[str, int],
    lines: list[CsLine],
    book: Guidance,
    day: dt.date,
    cap: Decimal | None,
    paid_so_far: dict[tuple[uuid.UUID, str], Decimal],
) -> ServiceRow:
    units = sum((line.units for line in lines), Decimal(0))
    paid = sum((line.paid or Decimal(0) for line in lines), Decimal(0))
    billed = sum((line.charge for line in lines), Decimal(0))
    paid_lines = [line for line in lines if line.paid is not None]
    paid_units = sum((line.units for line in paid_lines), Decimal(0))
    rate = cents(paid / paid_units) if paid_units else None
    found = book.on(program, day)
    known = policy.programs.get(program)
    unit = book.units.get(program) or (lines[0].unit if lines else "")
    at, near = _at_cap(program, cap, paid_so_far)
    return ServiceRow(
        program, known.name if known else program, dict(activity),
        len({line.member_id for line in lines}), unit, units, cents(billed), cents(paid), rate,
        found, position(rate, found), cap, at, near,
    )  # fmt: skip


def _at_cap(
    program: str, cap: Decimal | None, paid_so_far: dict[tuple[uuid.UUID, str], Decimal]
) -> tuple[int, int]:
    if cap is None:
        return 0, 0
    totals = [amount for (_, pid), amount in paid_so_far.items() if pid == program]
    at = sum(1 for amount in totals if amount >= cap)
    near = sum(1 for amount in totals if cap * NEAR_CAP <= amount < cap)
    return at, near
