"""Line amounts from the ExplanationOfBenefit that adjudicated a Claim (Decimal, never float).

paid_amount: the EOB item's adjudication `benefit` / `paid` (or Blue Button `line_prvdr_pmt_amt`
/ `line_nch_pmt_amt`, as Synthea writes); allowed_amount: `eligible` (or `line_alowd_chrg_amt`).
Items are matched by sequence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from calaim.exchange.fhir.synthea.values import codes, money

PAID = ("benefit", "paid", "line_prvdr_pmt_amt", "line_nch_pmt_amt")
ALLOWED = ("eligible", "line_alowd_chrg_amt")


def _kind(category: Any) -> str | None:
    """'paid', 'allowed' or None for an adjudication category."""
    for code in codes(category):
        tail = code.rsplit("/", 1)[-1]
        if tail in PAID:
            return "paid"
        if tail in ALLOWED:
            return "allowed"
    return None


def line_amounts(eob: Any | None, sequence: int) -> dict[str, Decimal]:
    """{'paid': ..., 'allowed': ...} of the EOB item with this sequence (missing = absent)."""
    found: dict[str, Decimal] = {}
    if eob is None:
        return found
    for item in eob.item or []:
        if item.sequence != sequence:
            continue
        for adjudication in item.adjudication or []:
            kind, amount = _kind(adjudication.category), money(adjudication.amount)
            if kind and amount is not None:
                found[kind] = found.get(kind, Decimal(0)) + amount
    return found


def text(amount: Decimal | None) -> str:
    """A Decimal as the contract writes it, to the cent ('' = null)."""
    return str(amount.quantize(Decimal("0.01"))) if amount is not None else ""
