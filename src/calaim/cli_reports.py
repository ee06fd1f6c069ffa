"""`calaim report`: the plan's DHCS quarterly monitoring workbook and closed-loop compliance.

Each command reads the configured database (`DATABASE_URL`, else ./calaim.db) as the plan's
service user (only the plan's own members count), records the read in the audit log, and
writes one file; the file states its period, as-of date, policy hash and input fingerprint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calaim.cli_exchange.moments import AtOpt, moment

report_app = typer.Typer(
    help="Reports a plan submits or keeps: DHCS quarterly, closed loops, the program view."
)

OrgOpt = Annotated[str, typer.Option("--org", help="The plan: its code, id or name.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Where to write the report.")]


def _suffix(out: Path, allowed: tuple[str, ...]) -> str:
    from calaim.cli_common import UserError

    suffix = out.suffix.lower()
    if suffix not in allowed:
        raise UserError(f"--out {out}: write a {' or '.join(allowed)} file")
    if not out.parent.is_dir():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist")
    return suffix


@report_app.command("quarterly")
def quarterly_command(
    org: OrgOpt,
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter, e.g. 2025Q3.")],
    out: OutOpt,
    at: AtOpt = None,
) -> None:
    """The DHCS quarterly ECM and Community Supports monitoring workbook (XLSX)."""
    from calaim.cli_common import console, safely, transaction
    from calaim.cli_exchange.fhir import _actor_of
    from calaim.ops.policy import shipped_policy
    from calaim.reports.quarterly import quarter as parse_quarter
    from calaim.reports.quarterly import quarterly
    from calaim.reports.quarterly_export import quarterly_xlsx

    def action() -> None:
        _suffix(out, (".xlsx",))
        period = parse_quarter(quarter)
        as_of = min(moment(at).date(), period.end)
        with transaction() as session:
            actor = _actor_of(session, org)
            report = quarterly(session, actor, shipped_policy(), period, as_of)
            out.write_bytes(quarterly_xlsx(report))
        facts = report.provenance
        console.print(
            f"Wrote {out}: plan {report.plan}, {period.start} to {period.end}, "
            f"{report.ecm_totals.get('eligible', 0)} members eligible for ECM, "
            f"fingerprint {facts.input_fingerprint}",
            highlight=False,
        )

    safely(action)


@report_app.command("clr")
def clr_command(
    org: OrgOpt,
    period: Annotated[
        str, typer.Option("--period", help="FROM:TO (e.g. 2025-07-01:2025-09-30) or 2025Q3.")
    ],
    out: OutOpt,
    at: AtOpt = None,
    for_dhcs: Annotated[
        bool,
        typer.Option(
            "--for-dhcs",
            help="The copy that leaves the plan: small counts suppressed, no list of loops.",
        ),
    ] = False,
) -> None:
    """Closed-loop referral compliance (XLSX; or CSV, with the loops in NAME.loops.csv)."""
    from calaim.cli_common import console, safely, transaction
    from calaim.cli_exchange.fhir import _actor_of
    from calaim.ops.policy import shipped_policy
    from calaim.reports.clr import clr_report
    from calaim.reports.clr_export import clr_csv, clr_xlsx, loops_csv
    from calaim.reports.quarterly import period_text

    def action() -> None:
        suffix = _suffix(out, (".xlsx", ".csv"))
        window = period_text(period)
        with transaction() as session:
            actor = _actor_of(session, org)
            report = clr_report(session, actor, shipped_policy(), window, moment(at))
            written = [out]
            if suffix == ".xlsx":
                out.write_bytes(clr_xlsx(report, for_dhcs=for_dhcs))
            else:
                out.write_text(clr_csv(report, for_dhcs=for_dhcs), encoding="utf-8")
            if suffix == ".csv" and not for_dhcs:
                written.append(out.with_suffix(".loops.csv"))
                written[1].write_text(loops_csv(report), encoding="utf-8")
        counts = report.plan_total.counts
        console.print(
            f"Wrote {', '.join(map(str, written))}: plan {report.plan}, {window.start} to "
            f"{window.end}, {counts['opened']} loops opened, {counts['closed']} closed, "
            f"{counts['late']} late",
            highlight=False,
        )

    safely(action)


def _register_program() -> None:
    from calaim.cli_program import program_command

    report_app.command("program")(program_command)


_register_program()
