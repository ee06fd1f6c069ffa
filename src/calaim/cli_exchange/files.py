"""`calaim exchange` commands: DHCS files (layouts, export, import).

Each command is one transaction on the configured database (`DATABASE_URL`, else ./calaim.db)
and acts as a user of `--org` allowed to exchange files (`--as EMAIL` picks one; by default the
first such user by email). A file with problems prints them as a table and exits with code 2;
nothing is applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from calaim.cli_common import OrgOpt, safely, transaction
from calaim.cli_exchange.moments import AtOpt, moment
from calaim.ops.models import User

# How many located problems the table shows (the total is always printed).
SHOWN = 25
VariantOpt = Annotated[str | None, typer.Option("--variant", help="Plan variant id.")]
AsOpt = Annotated[str | None, typer.Option("--as", help="Email of the acting user of --org.")]


def _actor(session: Session, org: str, email: str | None) -> User:
    """The acting user: `email` if given, else the first user of `org` who may exchange files."""
    from calaim.cli_common import UserError
    from calaim.ops.access.permissions import Permission, allowed
    from calaim.ops.admin.repository import users_of
    from calaim.ops.admin.service import find_organization

    organization = find_organization(session, org)
    users = users_of(session, organization.id)
    fit = [u for u in users if allowed(u, Permission.EXCHANGE_FILES)]
    chosen = [u for u in fit if u.email == email] if email else fit[:1]
    if not chosen:
        who = f"user {email}" if email else "user"
        raise UserError(
            f"{organization.name} has no {who} allowed to exchange files; add one with "
            "`calaim user add --org ... --role ...` (a plan, ECM or CS provider role)"
        )
    return chosen[0]


def layouts() -> None:
    """List the file layouts, their direction and confidence, and the plan variants."""
    from calaim.cli_common import console
    from calaim.exchange.filespecs.adapters import load_variants
    from calaim.exchange.filespecs.layout import load_layouts

    table = Table("layout", "name", "from -> to", "confidence", "columns")
    for layout in load_layouts().values():
        route = f"{layout.sender} -> {layout.receiver}"
        table.add_row(layout.id, layout.name, route, layout.confidence, str(len(layout.columns)))
    console.print(table)
    variants = Table("variant", "plan", "description", "dates", "yes/no", "layouts adapted")
    for variant in load_variants().values():
        variants.add_row(
            variant.id,
            variant.plan,
            variant.description,
            variant.date_format,
            f"{variant.yes}/{variant.no}",
            ", ".join(variant.layouts) or "(all: dates, flags)",
        )
    console.print(variants)


def export(
    layout: Annotated[str, typer.Argument(help="mif, rtf, otf or cs_authorization_status.")],
    org: OrgOpt,
    period: Annotated[str, typer.Option("--period", help="Reporting month, YYYY-MM.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    variant: VariantOpt = None,
    file_format: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    partner: Annotated[
        str | None, typer.Option("--to", help="The plan (RTF, OTF) or provider (optional).")
    ] = None,
    produced_on: Annotated[
        str | None, typer.Option("--produced-on", help="Production date (default: after period).")
    ] = None,
    acting: AsOpt = None,
) -> None:
    """Write a DHCS file from the store for --org and one reporting period."""
    from calaim.cli_common import UserError, console, parse_date, progress_bar
    from calaim.exchange.filespecs.service import ExportRequest, export_file

    def action() -> None:
        if file_format not in ("csv", "xlsx"):
            raise UserError(f"--format must be csv or xlsx (got {file_format!r})")
        produced = parse_date(produced_on, "--produced-on") if produced_on else None
        request = ExportRequest(layout, period, file_format, variant, partner, produced)  # type: ignore[arg-type]
        with progress_bar(f"Exporting {layout}") as update, transaction() as session:
            update("reading the store", 0, 2)
            actor = _actor(session, org, acting)
            result = export_file(session, actor, request, out)
            update("written", 2, 2)
        console.print(
            f"Wrote {result.rows} rows of {layout} for {period} to {out}", highlight=False
        )
        for note in result.notes:
            console.print(f"Note: {note}", highlight=False)

    safely(action)


def import_(
    layout: Annotated[str, typer.Argument(help="rtf, otf, cs_invoice, mif, ...")],
    file: Annotated[Path, typer.Argument(help="The CSV or XLSX file.", exists=True)],
    org: OrgOpt,
    variant: VariantOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; apply nothing.")] = False,
    acting: AsOpt = None,
    at: AtOpt = None,
) -> None:
    """Check a whole DHCS file and apply it (nothing at all if any row has a problem)."""
    from calaim.cli_common import console, progress_bar
    from calaim.exchange.filespecs.errors import FileRejected
    from calaim.exchange.filespecs.schemas import ingest_message
    from calaim.exchange.filespecs.service import IngestResult, ingest_file

    def action() -> IngestResult:
        with progress_bar(f"Importing {file.name}") as update, transaction() as session:
            update("reading", 0, 2)
            actor = _actor(session, org, acting)
            data, received_at = file.read_bytes(), moment(at)
            update("checking and applying", 1, 2)
            try:
                result = ingest_file(
                    session,
                    actor,
                    layout,
                    file.name,
                    data,
                    now=received_at,
                    variant=variant,
                    dry_run=dry_run,
                )
            except FileRejected as rejected:
                _print_problems(rejected)
                raise typer.Exit(code=2) from None  # leaving the block rolls back
            update("done", 2, 2)
            return result

    result = safely(action)
    console.print(ingest_message(result), highlight=False)
    summary = Table("what", "count")
    summary.add_row("rows", str(result.rows))
    for what, count in result.summary.items():
        summary.add_row(what.replace("_", " "), str(count))
    console.print(summary)


def _print_problems(rejected: object) -> None:
    from calaim.cli_common import errors
    from calaim.exchange.filespecs.errors import FileRejected

    assert isinstance(rejected, FileRejected)
    table = Table("row", "column", "value", "problem", "what to do")
    for problem in rejected.problems[:SHOWN]:
        table.add_row(
            str(problem.row), problem.column, problem.value, problem.problem, problem.action
        )
    errors.print(
        f"[bold red]{rejected.file}: {len(rejected.problems)} problem(s); nothing was applied.[/]"
    )
    errors.print(table)
    if len(rejected.problems) > SHOWN:
        errors.print(f"... and {len(rejected.problems) - SHOWN} more (fix these and re-run).")


def register(app: typer.Typer) -> None:
    """Add this area's commands to `calaim exchange`."""
    app.command("layouts")(layouts)
    app.command("export")(export)
    app.command("import")(import_)
