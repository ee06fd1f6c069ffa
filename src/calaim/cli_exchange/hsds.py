"""`calaim exchange` commands: the provider directory as Open Referral HSDS 3.0, out and in.

An import is one transaction: every problem is listed with its JSON path and nothing is
written unless the whole file is sound; `--dry-run` checks and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def hsds_export(
    out: Annotated[Path, typer.Option("--out", help="A .json file, or a .zip of HSDS CSV tables.")],
) -> None:
    """Export the provider directory (organizations, services, locations, live capacity)."""
    from calaim.cli_common import UserError, console, safely, transaction
    from calaim.exchange.hsds.export import as_csv_zip, directory

    def action() -> None:
        if out.suffix not in (".json", ".zip"):
            raise UserError("--out must end in .json or .zip")
        with transaction() as session:
            organizations = directory(session)
        if out.suffix == ".json":
            out.write_text(json.dumps({"organizations": organizations}, indent=2), encoding="utf-8")
        else:
            out.write_bytes(as_csv_zip(organizations))
        console.print(f"{len(organizations)} organizations written to {out}")

    safely(action)


def hsds_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="An HSDS 3.0 directory: a JSON file of organizations, or the tabular form "
            "(organizations.csv, services.csv, locations.csv, ...) as a .zip or a folder."
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only.")] = False,
) -> None:
    """Import an HSDS directory: providers' services, languages, capacity and sites."""
    from calaim.cli_common import UserError, console, safely, transaction
    from calaim.exchange.hsds.importer import apply, read
    from calaim.exchange.hsds.tabular import read_folder, read_zip

    def action() -> None:
        if file.is_dir():
            organizations = read_folder(file)
        elif file.suffix.lower() == ".zip":
            try:
                organizations = read_zip(file.read_bytes())
            except OSError as error:
                raise UserError(f"{file}: not readable ({error})") from error
        else:
            try:
                document = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise UserError(f"{file}: not a readable JSON file ({error})") from error
            organizations = read(document)
        if dry_run:
            console.print(f"{file}: {len(organizations)} organizations, no problems (dry run)")
            return
        with transaction() as session:
            done = apply(session, organizations)
        console.print(
            f"{done.created} providers created, {done.updated} updated, {done.sites} sites"
        )

    safely(action)


def register(app: typer.Typer) -> None:
    """Add this area's commands to `calaim exchange`."""
    app.command("hsds-export")(hsds_export)
    app.command("hsds-import")(hsds_import)
