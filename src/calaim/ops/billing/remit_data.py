"""A remittance advice (835) as plain data: what the exchange layer's parser hands the
reconciliation. Money is Decimal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Adjustment:
    """A CAS (group code + CARC reason + amount) or PLB adjustment."""

    group: str
    reason: str
    amount: Decimal


@dataclass(frozen=True)
class PaidLine:
    """An SVC: the billed procedure, charge, payment, units, date, its adjustments."""

    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal
    service_date: dt.date | None
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class PaidClaim:
    """A CLP: our claim number, status code, charge and payment, adjustments and lines."""

    number: str
    status: str
    charge: Decimal
    paid: Decimal
    adjustments: tuple[Adjustment, ...] = ()
    lines: tuple[PaidLine, ...] = ()


@dataclass(frozen=True)
class Remittance835:
    """One 835 transaction."""

    payer_name: str
    trace_number: str
    payment_date: dt.date | None
    total_paid: Decimal
    claims: tuple[PaidClaim, ...] = ()
    provider_adjustments: tuple[Adjustment, ...] = field(default=())
