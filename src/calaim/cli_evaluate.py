"""`calaim evaluate`: did a Community Support or ECM pay off, and for whom (docs/evaluation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calaim.cli_common import PlansOpt, PolicyOpt


def evaluate(
    data: Annotated[Path, typer.Option("--data", help="Input folder (the data contract).")],
    program: Annotated[
        str, typer.Option("--program", help="Program id, e.g. cs.recuperative_care or ecm.")
    ],
    start: Annotated[str, typer.Option("--start", help="First start date of the cohort.")],
    end: Annotated[str, typer.Option("--end", help="Last start date of the cohort.")],
    as_of: Annotated[str, typer.Option("--as-of", help="Claims known as of this date.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the report and tables.")],
    pre_months: Annotated[int, typer.Option("--pre-months", help="Months before (6-12).")] = 12,
    post_months: Annotated[int, typer.Option("--post-months", help="Months after (6-12).")] = 12,
    neighbours: Annotated[
        int, typer.Option("--neighbours", help="Comparison members per member (1-5).")
    ] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the comparison pool.")] = 1,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
    plans: PlansOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Evaluate one service: matched difference-in-differences, by group, with cost ratio."""
    from calaim.cli_common import console, load_policy, parse_date, run_safely

    def action() -> None:
        from calaim.cli_common import UserError
        from calaim.reports.evaluation.export import write_tables
        from calaim.reports.evaluation.report import write_report
        from calaim.reports.evaluation.run import evaluate as run
        from calaim.reports.evaluation.spec import EvaluationError, EvaluationSpec
        from calaim.reports.evaluation.summary import summary

        spec = EvaluationSpec(
            program,
            parse_date(start, "--start"),
            parse_date(end, "--end"),
            parse_date(as_of),
            pre_months=pre_months,
            post_months=post_months,
            neighbours=neighbours,
            seed=seed,
        )
        if not data.is_dir():
            raise UserError(f"--data {data}: not a folder; give the folder of input tables")
        try:
            result = run(data, spec, load_policy(policy, plans))
        except EvaluationError as error:
            raise UserError(str(error)) from error
        out.mkdir(parents=True, exist_ok=True)
        written = write_tables(result, out) + write_report(result, out, pdf=pdf)
        for paragraph in summary(result):
            console.print(paragraph, markup=False, highlight=False)
        console.print(f"policy {result.policy_hash}, input {result.input_fingerprint}")
        for path in written:
            console.print(f"  {path}", markup=False, highlight=False)

    run_safely(action)
