"""`calaim report program`: the plan's program view on the terminal and as files.

Reads the configured database as the plan's service user, prints the funnel by month with
rates, Community Supports and ECM capacity, and writes the suppressed view (XLSX or CSV) and,
when asked, the eligible-but-not-enrolled list for outreach (member data, audited).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calaim.cli_exchange.moments import AtOpt, moment

if TYPE_CHECKING:
    from rich.table import Table

    from calaim.reports.program import ProgramView

ListOpt = Annotated[
    Path | None,
    typer.Option(
        "--not-enrolled", help="Also write the eligible-but-not-enrolled list (.csv/.xlsx)."
    ),
]
TiersOpt = Annotated[
    Path | None,
    typer.Option("--tiers", help="A `calaim tiers` output: rank the list by PHM risk first."),
]


def month_table(view: ProgramView) -> Table:
    """The funnel by month: distinct members, the enrolled share and the change."""
    from rich.table import Table

    from calaim.reports.funnel import STAGES
    from calaim.reports.program import rate

    table = Table(title=f"ECM by month, plan {view.plan}")
    for heading in ("Month", *(s.title() for s in STAGES), "% enrolled", "Change in eligible"):
        table.add_column(heading, justify="left" if heading == "Month" else "right")
    for month in view.months:
        change = month.change["eligible"]
        table.add_row(
            month.month, *(str(month.counts[s]) for s in STAGES),
            str(rate(month.counts["enrolled"], month.counts["eligible"]) or "-"),
            "-" if change is None else f"{change:+d}",
        )  # fmt: skip
    return table


def service_table(view: ProgramView) -> Table:
    """Community Supports: requests, decisions, paid, and the paid rate against guidance."""
    from rich.table import Table

    table = Table(title="Community Supports")
    for heading in ("Service", "Requested", "Approved", "Denied", "Late", "Paid ($)", "Rate"):
        table.add_column(heading, justify="left" if heading == "Service" else "right")
    for s in view.services:
        table.add_row(
            s.name, *(str(s.activity[k]) for k in ("requested", "approved", "denied", "late")),
            str(s.paid), s.guidance_position.replace("_", " "),
        )  # fmt: skip
    return table


def _suffix(out: Path, allowed: tuple[str, ...]) -> str:
    from calaim.cli_common import UserError

    if out.suffix.lower() not in allowed or not out.parent.is_dir():
        raise UserError(f"{out}: write a {' or '.join(allowed)} file into an existing folder")
    return out.suffix.lower()


def program_command(
    org: Annotated[str, typer.Option("--org", help="The plan: its code, id or name.")],
    period: Annotated[
        str, typer.Option("--period", help="FROM:TO (e.g. 2025-07-01:2025-09-30) or 2025Q3.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The view's file (.xlsx or .csv).")],
    not_enrolled: ListOpt = None,
    tiers: TiersOpt = None,
    county: Annotated[str | None, typer.Option("--county", help="One county.")] = None,
    at: AtOpt = None,
) -> None:
    """The plan's program view (printed; the file suppresses counts of 1 to 10)."""
    from calaim.cli_common import console, safely, transaction
    from calaim.cli_exchange.fhir import _actor_of
    from calaim.ops.policy import shipped_policy
    from calaim.reports import filters as check
    from calaim.reports.outreach_export import outreach_csv, outreach_xlsx
    from calaim.reports.outreach_list import outreach_list, read_tiers
    from calaim.reports.program import program_view
    from calaim.reports.program_export import coverage_note, program_csv, program_xlsx
    from calaim.reports.quarterly import period_text

    def action() -> None:
        suffix = _suffix(out, (".xlsx", ".csv"))
        list_suffix = _suffix(not_enrolled, (".xlsx", ".csv")) if not_enrolled else None
        window, now, policy = period_text(period), moment(at), shipped_policy()
        filters = check.Filters(county=check.county(policy, county))
        ranks = read_tiers(tiers) if tiers else None
        with transaction() as session:
            actor = _actor_of(session, org)
            view = program_view(session, actor, policy, window, filters, now)
            out.write_bytes(program_xlsx(view)) if suffix == ".xlsx" else out.write_text(
                program_csv(view), encoding="utf-8")  # fmt: skip
            if not_enrolled is not None:
                found = outreach_list(session, actor, policy, window, filters, now, ranks)
                if list_suffix == ".xlsx":
                    not_enrolled.write_bytes(outreach_xlsx(found))
                else:
                    not_enrolled.write_text(outreach_csv(found), encoding="utf-8")
                console.print(f"Wrote {not_enrolled}: {len(found.candidates)} members to reach")
        console.print(month_table(view))
        for note in coverage_note(view):
            console.print(note, highlight=False)
        console.print(service_table(view))
        facts = view.provenance
        console.print(f"Wrote {out}: {window.start} to {window.end}, policy {facts.policy_hash}, "
                      f"fingerprint {facts.input_fingerprint}", highlight=False)  # fmt: skip

    safely(action)
