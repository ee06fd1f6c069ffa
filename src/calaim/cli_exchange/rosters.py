"""`calaim exchange reconcile` (and `roster-sample`): roster reconciliation from the shell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from calaim.cli_common import OrgOpt, safely, transaction

if TYPE_CHECKING:
    from calaim.ops.models import User

STAGES = ["read", "block", "score", "cluster", "apply"]
KindOpt = Annotated[
    str, typer.Option("--kind", help="member-file (a plan's) or provider-roster (a provider's).")
]


def _actor(session: Session, org: str) -> User:
    """The organization's first user allowed to reconcile rosters (the CLI acts as them)."""
    from calaim.cli_common import UserError
    from calaim.ops.access.permissions import Permission, allowed
    from calaim.ops.admin.repository import users_of
    from calaim.ops.admin.service import find_organization

    organization = find_organization(session, org)
    users = users_of(session, organization.id)
    for user in users:
        if allowed(user, Permission.ROSTER_RECONCILE):
            return user
    raise UserError(
        f"{organization.name} has no user who may reconcile rosters; add one with "
        "`calaim user add --role plan_admin` (a plan) or `--role ecm_supervisor` (a provider)"
    )


def reconcile_command(
    file: Annotated[Path, typer.Argument(help="The roster: .csv, .parquet or .xlsx.")],
    org: OrgOpt,
    as_of: Annotated[str, typer.Option("--as-of", help="The file's as-of date, YYYY-MM-DD.")],
    kind: KindOpt = "member-file",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report only; change nothing.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the report as CSV.")
    ] = None,
    full_roster: Annotated[
        bool,
        typer.Option(
            "--full-roster",
            help="The member file lists every member: disenroll those it leaves out "
            "(without it, nobody is disenrolled and the report says how many would be).",
        ),
    ] = False,
) -> None:
    """Reconcile a member file or provider roster against known members (Splink on DuckDB)."""
    from calaim.cli_common import UserError, parse_date

    date = parse_date(as_of)
    if not file.is_file():
        raise UserError(f"{file}: no such file; give the roster's path")
    if kind not in ("member-file", "provider-roster"):
        raise UserError(f"--kind {kind!r}: write member-file or provider-roster")
    safely(lambda: _reconcile(file, org, date, kind, dry_run, report, full_roster))


def _reconcile(
    file: Path,
    org: str,
    as_of: dt.date,
    kind: str,
    dry_run: bool,
    out: Path | None,
    full_roster: bool = False,
) -> None:
    from calaim.cli_common import console, progress_bar
    from calaim.exchange.linkage.export import report_csv
    from calaim.exchange.linkage.service import RosterUpload, reconcile
    from calaim.ops.models import RosterKind

    upload = RosterUpload(file, file.name, RosterKind(kind), as_of, dry_run, full_roster)
    with transaction() as session, progress_bar("reconcile") as update:
        actor = _actor(session, org)

        def stage(name: str) -> None:
            update(name, STAGES.index(name) + 1, len(STAGES))

        stored = reconcile(session, actor, upload, stage)
        summary, rows, report_id = dict(stored.summary), list(stored.rows), stored.id
    table = Table(
        title=f"{file.name} as of {as_of}" + (" (dry run: nothing changed)" if dry_run else "")
    )
    table.add_column("finding")
    table.add_column("count", justify="right")
    for name, count in summary.items():
        table.add_row(name.replace("_", " "), str(count))
    console.print(table)
    console.print(f"report {report_id}")
    if summary.get("would_disenroll"):
        console.print(
            f"{summary['would_disenroll']} members are not in this file; nobody was disenrolled "
            "(pass --full-roster if the file lists every member)",
            highlight=False,
        )
    if out is not None:
        out.write_text(report_csv(rows), encoding="utf-8")
        console.print(f"wrote {out}")


def sample_command(
    org: OrgOpt,
    out: Annotated[Path, typer.Option("--out", help="Where to write the messy roster (CSV).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 1,
) -> None:
    """Write a messy sample roster of an organization's members (for trying `reconcile`)."""
    safely(lambda: _sample(org, out, seed))


def _sample(org: str, out: Path, seed: int) -> None:
    from calaim.cli_common import console
    from calaim.exchange.linkage.persons import RECORD_FIELDS
    from calaim.exchange.linkage.sample import messy_roster, write_csv
    from calaim.ops.access.scopes import visible_members
    from calaim.ops.audit.service import record

    with transaction() as session:
        actor = _actor(session, org)
        members = list(session.scalars(visible_members(actor)))
        for member in members:
            record(session, actor, "roster.sample", member)
        people = [{name: getattr(m, name) for name in RECORD_FIELDS} for m in members]
    rows = messy_roster(people, seed)
    write_csv(rows, out)
    console.print(f"wrote {out}: {len(rows)} rows from {len(members)} members")


def register(app: typer.Typer) -> None:
    """Add this area's commands to `calaim exchange`."""
    app.command("reconcile")(reconcile_command)
    app.command("roster-sample")(sample_command)
