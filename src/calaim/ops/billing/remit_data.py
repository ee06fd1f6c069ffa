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
    segment: int = 0  # the SVC's position in the file (from ISA = 1), for located errors
    billed_code: str = ""  # SVC06: the code as billed, when the payer paid another (SVC01)
    billed_modifiers: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """The payer adjudicated another code than the one billed (SVC06 present)."""
        return bool(self.billed_code)

    @property
    def as_billed(self) -> tuple[str, tuple[str, ...]]:
        """(code, modifiers) of the line as the provider billed it: SVC06, else SVC01."""
        if self.billed_code:
            return self.billed_code, self.billed_modifiers
        return self.code, self.modifiers


# CLP02 22: the payer takes back an earlier payment. Per the 5010 TR3 the reversal repeats
# the original claim with every charge, payment and adjustment amount negated (same CAS group
# codes; 4010's group CR is gone), usually followed by the corrected claim as a new payment.
REVERSAL = "22"
DENIED = "4"


@dataclass(frozen=True)
class PaidClaim:
    """A CLP: our claim number, status code, charge and payment, adjustments and lines."""

    number: str
    status: str
    charge: Decimal
    paid: Decimal
    adjustments: tuple[Adjustment, ...] = ()
    lines: tuple[PaidLine, ...] = ()
    payer_claim_number: str = ""  # CLP07, the payer's own claim control number
    segment: int = 0  # the CLP's position in the file (from ISA = 1), for located errors

    @property
    def reversal(self) -> bool:
        """A reversal of a previous payment (CLP02 22)."""
        return self.status == REVERSAL


@dataclass(frozen=True)
class Remittance835:
    """One 835 transaction."""

    payer_name: str
    trace_number: str
    payment_date: dt.date | None
    total_paid: Decimal
    claims: tuple[PaidClaim, ...] = ()
    provider_adjustments: tuple[Adjustment, ...] = field(default=())
