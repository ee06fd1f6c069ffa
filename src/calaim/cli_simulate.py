"""`calaim simulate payments`: a provider's (or network's) cash flow and a plan's cost under
every payment model, side by side (docs/network.md)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calaim.cli_common import UserError, console, parse_date, safely

if TYPE_CHECKING:
    from calaim.ops.payments.pipeline import Pipeline
    from calaim.ops.payments.simulate import Outcome

simulate_app = typer.Typer(help="Simulate payments before signing a contract.")


def _money(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise UserError(f"{option} {text!r} is not a number; write it like 12.50") from error
    if not value.is_finite() or value < 0:
        raise UserError(f"{option} must be 0 or more")
    return value


M = Annotated[str, typer.Option()]


@simulate_app.command("payments")
def payments(
    months: Annotated[int, typer.Option(min=1, max=120, help="Months to simulate.")] = 12,
    plan: Annotated[
        str | None,
        typer.Option(help="Take rates from this plan's contract terms (policy/contracts)."),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            help="Date of the contract terms and the end of the calibration year, YYYY-MM-DD."
        ),
    ] = None,
    calibrate: Annotated[
        bool,
        typer.Option(help="Calibrate the pipeline from the store's last 12 months before --on."),
    ] = False,
    assigned: M = "20",
    reach_rate: M = "0.6",
    reach_months: int = 1,
    enroll_rate: M = "0.7",
    enroll_months: int = 1,
    churn: M = "0.05",
    fee: M = "60",
    units: M = "4",
    pmpm: M = "400",
    pmpm_assigned: M = "150",
    outreach: M = "25",
    attempts: M = "3",
    case_rate: M = "1200",
    upfront: M = "25000",
    staff_cost: M = "6500",
    caseload: int = 45,
    outreach_weight: M = "0.5",
    overhead: M = "4000",
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    svg: Annotated[Path | None, typer.Option(help="Also write the cash chart (SVG) here.")] = None,
) -> None:
    """Monthly cash flow and a plan's cost under fee-per-unit, PMPM (enrolled or assigned),
    outreach payments, case rates and an up-front capacity payment, with break-even caseload."""
    from calaim.ops.payments.models import Costs, Rates
    from calaim.ops.payments.pipeline import Pipeline
    from calaim.ops.payments.simulate import Scenario, contract_rates, simulate

    def action() -> None:
        if fmt not in ("text", "json"):
            raise UserError("--format must be text or json")
        pipeline = Pipeline(
            _money(assigned, "--assigned"),
            _money(reach_rate, "--reach-rate"),
            reach_months,
            _money(enroll_rate, "--enroll-rate"),
            enroll_months,
            _money(churn, "--churn"),
        )
        rates = Rates(
            _money(fee, "--fee"),
            _money(units, "--units"),
            _money(pmpm, "--pmpm"),
            _money(pmpm_assigned, "--pmpm-assigned"),
            _money(outreach, "--outreach"),
            _money(attempts, "--attempts"),
            _money(case_rate, "--case-rate"),
            _money(upfront, "--upfront"),
        )
        if caseload < 1:
            raise UserError("--caseload must be 1 or more")
        costs = Costs(
            _money(staff_cost, "--staff-cost"),
            caseload,
            _money(outreach_weight, "--outreach-weight"),
            _money(overhead, "--overhead"),
        )
        day = parse_date(on, "--on") if on else None
        if plan:
            if day is None:
                raise UserError("give --on with --plan (the date of the contract terms)")
            rates = contract_rates(plan, day, rates)
        if calibrate:
            if day is None:
                raise UserError("give --on with --calibrate (the history is the year before it)")
            pipeline = _calibrated(pipeline, day, plan)
        problems = pipeline.check()
        if problems:
            raise UserError("; ".join(problems))
        outcomes = simulate(Scenario(pipeline, rates, costs, months))
        _print(outcomes, pipeline, fmt)
        if svg is not None:
            _chart(outcomes, svg)

    safely(action)


def _calibrated(fallback: Pipeline, until: dt.date, plan: str | None) -> Pipeline:
    """The pipeline from the store's history (the given one when there is none)."""
    from calaim.ops.db import database_url, make_engine, session_factory
    from calaim.ops.payments.calibrate import calibrate
    from calaim.ops.payments.repository import episodes, plan_id

    since = until - dt.timedelta(days=365)
    with session_factory(make_engine(database_url()))() as session:
        history = episodes(session, since, until, plan_id=plan_id(session, plan) if plan else None)
    found = calibrate(history, since, until)
    if found is None:
        console.print("No ECM history in the store for that year: using the pipeline given.")
        return fallback
    return found


def _print(outcomes: list[Outcome], pipeline: Pipeline, fmt: str) -> None:
    from calaim.cli_simulate_output import as_json, as_text

    if fmt == "json":
        console.print_json(json.dumps(as_json(outcomes, pipeline)))
    else:
        as_text(console, outcomes, pipeline)


def _chart(outcomes: list[Outcome], path: Path) -> None:
    from calaim.reports.payments_chart import cash_chart

    series = {o.model: [f.cumulative for f in o.flows] for o in outcomes}
    path.write_text(
        cash_chart(
            "Cumulative cash by payment model",
            "Cumulative cash by month under each payment model. End:",
            series,
            {},
        ),
        encoding="utf-8",
    )
    console.print(f"Chart written to {path}")
