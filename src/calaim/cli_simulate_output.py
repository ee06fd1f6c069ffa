"""How `calaim simulate payments` prints: a table per model and a side-by-side summary."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table

from calaim.ops.payments.pipeline import Pipeline
from calaim.ops.payments.simulate import Outcome

NAMES = {
    "fee_per_unit": "Fee per unit",
    "pmpm_enrolled": "PMPM (enrolled)",
    "pmpm_assigned": "PMPM (assigned)",
    "outreach": "Outreach payments",
    "case_rate": "Case rate",
    "upfront": "Up-front capacity + PMPM",
}


def as_json(outcomes: list[Outcome], pipeline: Pipeline) -> dict[str, Any]:
    """Every number as text (Decimal kept exact)."""
    return {
        "pipeline": {k: str(v) for k, v in asdict(pipeline).items()},
        "models": [
            {
                "model": o.model,
                "plan_cost": str(o.plan_cost),
                "provider_net": str(o.provider_net),
                "first_cash_positive_month": o.first_positive_month,
                "break_even_caseload": o.break_even.caseload,
                "break_even_staff": None if o.break_even.staff is None else str(o.break_even.staff),
                "months": [
                    {
                        "month": f.month.index + 1,
                        "enrolled": str(f.month.enrolled),
                        "in_outreach": str(f.month.in_outreach),
                        "paid": str(f.paid),
                        "cost": str(f.cost),
                        "staff": str(f.staff),
                        "cumulative": str(f.cumulative),
                    }
                    for f in o.flows
                ],
            }
            for o in outcomes
        ],
    }


def as_text(console: Console, outcomes: list[Outcome], pipeline: Pipeline) -> None:
    """The summary table, then cumulative cash by month for every model."""
    console.print(
        f"Pipeline: {pipeline.assigned_per_month} assigned a month; {pipeline.reach_rate} reached "
        f"after {pipeline.reach_months} month(s); {pipeline.enroll_rate} of those enroll "
        f"{pipeline.enroll_months} month(s) later; {pipeline.churn} of the enrolled leave monthly."
    )
    summary = Table(title="Payment models side by side")
    for column in (
        "Model",
        "Plan pays",
        "Provider cash at end",
        "First cash-positive month",
        "Break-even caseload",
        "Staff at break-even",
    ):
        summary.add_column(column, justify="left" if column == "Model" else "right")
    for o in outcomes:
        even = o.break_even
        summary.add_row(
            NAMES[o.model],
            f"{o.plan_cost:,.2f}",
            f"{o.provider_net:,.2f}",
            str(o.first_positive_month or "never"),
            "never" if even.caseload is None else str(even.caseload),
            "" if even.staff is None else str(even.staff),
        )
    console.print(summary)
    monthly = Table(title="Cumulative cash by month")
    monthly.add_column("Month", justify="right")
    for o in outcomes:
        monthly.add_column(NAMES[o.model], justify="right")
    for i in range(len(outcomes[0].flows) if outcomes else 0):
        monthly.add_row(str(i + 1), *(f"{o.flows[i].cumulative:,.2f}" for o in outcomes))
    console.print(monthly)
