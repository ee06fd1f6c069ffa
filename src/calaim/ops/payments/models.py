"""Payment models side by side: what a provider is paid each month (and so what the plan
pays), its costs, cash flow and break-even caseload and staffing (pure, Decimal).

- fee per unit: `units_per_member_month` units per enrolled member-month × the fee;
- PMPM enrolled: the rate per enrolled member-month;
- PMPM assigned: the rate per member-month of everyone assigned (in outreach or enrolled);
- outreach: `attempts_per_member_month` attempts per member in outreach × the rate;
- case rate: once per newly enrolled member;
- up-front capacity: a one-time payment in the first month, on top of PMPM enrolled.

Costs: staff for the caseload (members in outreach count `outreach_weight` of an enrolled
member) at `caseload_per_staff` per full-time staff member, plus fixed overhead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from calaim.ops.payments.pipeline import Month

CENT = Decimal("0.01")
MODELS = ("fee_per_unit", "pmpm_enrolled", "pmpm_assigned", "outreach", "case_rate", "upfront")


@dataclass(frozen=True)
class Rates:
    """What each model pays (Decimal, from contract terms or given)."""

    fee_per_unit: Decimal
    units_per_member_month: Decimal
    pmpm_enrolled: Decimal
    pmpm_assigned: Decimal
    outreach_per_attempt: Decimal
    attempts_per_member_month: Decimal
    case_rate: Decimal
    upfront: Decimal


@dataclass(frozen=True)
class Costs:
    """What serving the caseload costs the provider."""

    staff_month: Decimal
    caseload_per_staff: int
    outreach_weight: Decimal
    overhead_month: Decimal


def revenue(model: str, month: Month, rates: Rates) -> Decimal:
    """What `model` pays in `month`, to the cent."""
    enrolled, waiting = month.enrolled, month.in_outreach
    amount = {
        "fee_per_unit": enrolled * rates.units_per_member_month * rates.fee_per_unit,
        "pmpm_enrolled": enrolled * rates.pmpm_enrolled,
        "pmpm_assigned": (enrolled + waiting) * rates.pmpm_assigned,
        "outreach": waiting * rates.attempts_per_member_month * rates.outreach_per_attempt,
        "case_rate": month.newly_enrolled * rates.case_rate,
        "upfront": enrolled * rates.pmpm_enrolled + (rates.upfront if month.index == 0 else 0),
    }[model]
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def staff_needed(month: Month, costs: Costs) -> Decimal:
    """Full-time staff for the month's caseload (fractional, to a hundredth)."""
    load = month.enrolled + month.in_outreach * costs.outreach_weight
    return (load / costs.caseload_per_staff).quantize(CENT, rounding=ROUND_CEILING)


def cost(month: Month, costs: Costs) -> Decimal:
    """What the month costs the provider, to the cent."""
    total = staff_needed(month, costs) * costs.staff_month + costs.overhead_month
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BreakEven:
    """The steady caseload (enrolled members) and staff at which a model covers its costs."""

    caseload: int | None  # None: the model never covers the per-member staff cost
    staff: Decimal | None


def per_member_month(model: str, rates: Rates) -> Decimal:
    """What a model pays per enrolled member-month at steady state (no pipeline)."""
    return {
        "fee_per_unit": rates.units_per_member_month * rates.fee_per_unit,
        "pmpm_enrolled": rates.pmpm_enrolled,
        "pmpm_assigned": rates.pmpm_assigned,
        "outreach": Decimal("0"),
        "case_rate": Decimal("0"),
        "upfront": rates.pmpm_enrolled,
    }[model]


def break_even(model: str, rates: Rates, costs: Costs) -> BreakEven:
    """Smallest caseload N with N × (pay − staff cost per member) ≥ overhead."""
    margin = per_member_month(model, rates) - costs.staff_month / costs.caseload_per_staff
    if margin <= 0:
        return BreakEven(None, None)
    caseload = int((costs.overhead_month / margin).to_integral_value(rounding=ROUND_CEILING))
    staff = (Decimal(caseload) / costs.caseload_per_staff).quantize(CENT, rounding=ROUND_CEILING)
    return BreakEven(caseload, staff)
