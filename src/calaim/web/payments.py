"""`/app/payments`: payment models side by side for a provider (or network) and a plan: cash
flow by month, what the plan pays, break-even caseload and staffing, and an accessible chart."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from calaim.ops.access.permissions import Permission, PermissionDenied, allowed
from calaim.ops.errors import OpsError
from calaim.ops.payments.models import Costs, Rates
from calaim.ops.payments.pipeline import Pipeline
from calaim.ops.payments.simulate import Scenario, contract_rates, simulate
from calaim.reports.payments_chart import cash_chart
from calaim.web.forms import FormErrors
from calaim.web.i18n import N_, gettext_for
from calaim.web.pages import NowDep, PageActor, page_router, render

router = page_router()
MODELS = {
    "fee_per_unit": N_("Fee per unit"),
    "pmpm_enrolled": N_("Per member per month (enrolled)"),
    "pmpm_assigned": N_("Per member per month (assigned)"),
    "outreach": N_("Outreach payments"),
    "case_rate": N_("Case rate"),
    "upfront": N_("Up-front capacity payment"),
}
DEFAULTS = {
    "plan": "LACARE",
    "months": "12",
    "assigned": "20",
    "reach_rate": "0.6",
    "enroll_rate": "0.7",
    "churn": "0.05",
    "fee": "60",
    "units": "4",
    "pmpm": "400",
    "pmpm_assigned": "150",
    "outreach": "25",
    "attempts": "3",
    "case_rate": "1200",
    "upfront": "25000",
    "staff_cost": "6500",
    "caseload": "45",
    "overhead": "4000",
}


def _number(values: dict[str, str], name: str, errors: FormErrors) -> Decimal:
    try:
        found = Decimal(values.get(name, "") or "x")
    except InvalidOperation:
        found = Decimal(-1)
    if not found.is_finite() or found < 0:
        errors.add(name, N_("Enter a number, 0 or more."))
        return Decimal(0)
    return found


def _scenario(values: dict[str, str], errors: FormErrors, on: Any) -> Scenario | None:
    n = {k: _number(values, k, errors) for k in DEFAULTS if k != "plan"}
    if errors:
        return None
    pipeline = Pipeline(n["assigned"], n["reach_rate"], 1, n["enroll_rate"], 1, n["churn"])
    for problem in pipeline.check():
        errors.add(problem.split(" ")[0], N_("Enter a share between 0 and 1."))
    rates = Rates(
        n["fee"],
        n["units"],
        n["pmpm"],
        n["pmpm_assigned"],
        n["outreach"],
        n["attempts"],
        n["case_rate"],
        n["upfront"],
    )
    if values.get("plan"):
        try:
            rates = contract_rates(values["plan"], on, rates)
        except OpsError:
            errors.add("plan", N_("This plan has no contract terms for today; enter the rates."))
    caseload, months = int(n["caseload"]), int(n["months"])
    if caseload < 1 or not 1 <= months <= 60:
        errors.add("caseload" if caseload < 1 else "months", N_("Enter a whole number in range."))
    costs = Costs(n["staff_cost"], max(caseload, 1), Decimal("0.5"), n["overhead"])
    return None if errors else Scenario(pipeline, rates, costs, months)


@router.get("/app/payments")
def payments_page(request: Request, actor: PageActor, now: NowDep) -> Response:
    """The models side by side for the numbers in the query (defaults the first time)."""
    if not (
        allowed(actor, Permission.PROVIDER_PROFILE) or allowed(actor, Permission.AGGREGATE_READ)
    ):
        raise PermissionDenied("payment models are for providers and plans")
    values = {**DEFAULTS, **{k: v for k, v in request.query_params.items() if k in DEFAULTS}}
    errors = FormErrors()
    scenario = _scenario(values, errors, now.date())
    outcomes = simulate(scenario) if scenario else []
    translate = gettext_for(request).gettext
    labels = {m: translate(label) for m, label in MODELS.items()}
    chart = cash_chart(
        translate(N_("Cumulative cash by payment model")),
        translate(N_("Cumulative cash by month under each payment model. End:")),
        {o.model: [f.cumulative for f in o.flows] for o in outcomes},
        labels,
    )
    context = {
        "values": values,
        "errors": errors,
        "outcomes": outcomes,
        "models": MODELS,
        "chart": chart,
    }
    return render(request, "network/payments.html", context, status=422 if errors else 200)
