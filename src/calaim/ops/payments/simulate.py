"""One scenario through every payment model: monthly cash flow, the plan's cost, break-even."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from calaim.ops.billing.contracts import EcmPayment, OutreachPayment, terms_for
from calaim.ops.payments.models import (
    MODELS,
    BreakEven,
    Costs,
    Rates,
    break_even,
    cost,
    revenue,
    staff_needed,
)
from calaim.ops.payments.pipeline import Month, Pipeline, run


@dataclass(frozen=True)
class Scenario:
    """A pipeline, what each model pays, what the work costs, over `months` months."""

    pipeline: Pipeline
    rates: Rates
    costs: Costs
    months: int


@dataclass(frozen=True)
class MonthFlow:
    """One month under one model."""

    month: Month
    paid: Decimal
    cost: Decimal
    staff: Decimal
    cumulative: Decimal

    @property
    def net(self) -> Decimal:
        """Paid less cost."""
        return self.paid - self.cost


@dataclass(frozen=True)
class Outcome:
    """One model over the whole scenario."""

    model: str
    flows: list[MonthFlow]
    break_even: BreakEven

    @property
    def plan_cost(self) -> Decimal:
        """What the plan pays over the scenario."""
        return sum((f.paid for f in self.flows), Decimal("0.00"))

    @property
    def provider_net(self) -> Decimal:
        """The provider's cumulative cash at the end."""
        return self.flows[-1].cumulative if self.flows else Decimal("0.00")

    @property
    def first_positive_month(self) -> int | None:
        """The first month (1-based) whose cumulative cash is 0 or more after a deficit."""
        for flow in self.flows:
            if flow.cumulative >= 0 and flow.paid > 0:
                return flow.month.index + 1
        return None


def simulate(scenario: Scenario) -> list[Outcome]:
    """Every model, side by side, for the scenario."""
    months = run(scenario.pipeline, scenario.months)
    outcomes = []
    for model in MODELS:
        flows, running = [], Decimal("0.00")
        for month in months:
            paid, spent = revenue(model, month, scenario.rates), cost(month, scenario.costs)
            running += paid - spent
            flows.append(
                MonthFlow(month, paid, spent, staff_needed(month, scenario.costs), running)
            )
        outcomes.append(Outcome(model, flows, break_even(model, scenario.rates, scenario.costs)))
    return outcomes


def contract_rates(plan_code: str, on: dt.date, base: Rates) -> Rates:
    """`base` with the plan's contract rates in force on `on` (policy/contracts)."""
    terms = terms_for(plan_code, on)
    pmpm = (
        terms.ecm_rate
        if terms.ecm_payment == EcmPayment.PER_MEMBER_PER_MONTH
        else base.pmpm_enrolled
    )
    fee = terms.ecm_rate if terms.ecm_payment == EcmPayment.PER_ENCOUNTER else base.fee_per_unit
    paid = terms.outreach_payment == OutreachPayment.PER_ATTEMPT
    outreach = terms.outreach_rate if paid else base.outreach_per_attempt
    return Rates(
        fee,
        base.units_per_member_month,
        pmpm,
        base.pmpm_assigned,
        outreach,
        base.attempts_per_member_month,
        base.case_rate,
        base.upfront,
    )
