"""`calaim exchange` commands: FHIR Bundles of closed-loop referrals out and in.

Each command is one transaction on the configured database (`DATABASE_URL`): an import either
does everything or nothing; `--dry-run` checks the Bundle against the database and changes
nothing. Errors name the file and the JSON path of the faulty element.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calaim.cli_exchange.moments import AtOpt, moment

if TYPE_CHECKING:
    from rich.table import Table
    from sqlalchemy.orm import Session

    from calaim.exchange.fhir.synthea.importer import SyntheaSummary
    from calaim.ops.models import User

OrgOpt = Annotated[str, typer.Option("--org", help="Organization id, plan code or name.")]


def _actor_of(session: Session, org: str) -> User:
    """The organization's service user (as its API key would act)."""
    from calaim.ops.admin.repository import user_signing_in_as
    from calaim.ops.admin.service import find_organization
    from calaim.ops.http.deps import SERVICE_ROLE_BY_KIND, service_user_email
    from calaim.ops.models import User

    organization = find_organization(session, org)
    email = service_user_email(organization)
    user = user_signing_in_as(session, email)
    if user is None:
        user = User(
            organization_id=organization.id,
            email=email,
            name=f"{organization.name} (system)",
            role=SERVICE_ROLE_BY_KIND[organization.kind].value,
            password_hash=None,
        )
        session.add(user)
        session.flush()
    return user


def fhir_export(
    referral: Annotated[str, typer.Option("--referral", help="The referral id.")],
    org: OrgOpt,
    out: Annotated[Path, typer.Option("--out", help="Where to write the Bundle (JSON).")],
    at: AtOpt = None,
) -> None:
    """Export a closed-loop referral as a FHIR R4 Bundle, as the organization may see it."""
    from calaim.cli_common import UserError, console, safely, transaction
    from calaim.exchange.fhir.export import export_referral

    def action() -> None:
        try:
            referral_id = uuid.UUID(referral)
        except ValueError as error:
            raise UserError(f"--referral {referral!r} is not a referral id (a UUID)") from error
        with transaction() as session:
            actor = _actor_of(session, org)
            bundle = export_referral(session, actor, referral_id, moment(at))
        out.write_text(json.dumps(bundle, indent=2) + "\n", encoding="utf-8")
        kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
        console.print(f"Wrote {out} ({len(kinds)} resources: {', '.join(kinds)})", highlight=False)

    safely(action)


def fhir_import(
    bundle: Annotated[Path, typer.Argument(help="A referral Bundle (JSON).")],
    org: OrgOpt,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; change nothing.")] = False,
    at: AtOpt = None,
) -> None:
    """Import a referral Bundle (idempotent: re-importing the same Bundle changes nothing)."""
    from rich.table import Table

    from calaim.cli_common import UserError, console, safely, transaction
    from calaim.exchange.fhir.bundle import parse_json
    from calaim.exchange.fhir.importer import import_bundle

    def action() -> None:
        if not bundle.is_file():
            raise UserError(f"{bundle}: no such file")
        data = parse_json(bundle.read_bytes(), source=str(bundle))
        with transaction() as session:
            actor = _actor_of(session, org)
            result = import_bundle(
                session,
                actor,
                data,
                now=moment(at),
                source=str(bundle),
                dry_run=dry_run,
            )
        table = Table("referral", "outcome", "status", "events", title="FHIR import")
        table.add_row(result.referral_id, result.outcome, result.status, ", ".join(result.events))
        console.print(table)
        if result.sender_code:
            console.print(f"Program from the sender's code: {result.sender_code}", markup=False)
        for note in result.not_kept:
            console.print(f"Not kept: {note}", markup=False)
        if dry_run:
            console.print("Dry run: nothing was changed.")

    safely(action)


def synthea(
    folder: Annotated[Path, typer.Argument(help="A folder of Synthea Bundles (*.json).")],
    out: Annotated[Path, typer.Option("--out", help="The data folder to create (must be new).")],
    county: Annotated[
        str | None,
        typer.Option("--county", help="County for patients whose address names none."),
    ] = None,
    payer: Annotated[
        str | None,
        typer.Option(
            "--payer",
            help="Medi-Cal plan code for the spans of Medicaid-paid claims (else MEDICAID); "
            "enrolls patients with no Coverage and no claim payers at all.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
) -> None:
    """Turn Synthea FHIR Bundles into a data folder for `calaim identify` (all or nothing)."""
    from calaim.cli_common import UserError, console, progress_bar, safely
    from calaim.exchange.fhir.synthea.county import county_of_name
    from calaim.exchange.fhir.synthea.importer import import_folder
    from calaim.exchange.fhir.synthea.output import OutputError

    def action() -> None:
        if fmt not in ("csv", "parquet"):
            raise UserError(f"--format {fmt!r}: use csv or parquet.")
        if county is not None and county_of_name(county) is None:
            raise UserError(f"--county {county!r}: give a California county name or code (19).")
        try:
            with progress_bar(f"Reading Bundles in {folder}") as update:
                summary = import_folder(
                    folder,
                    out,
                    county=county,
                    payer=payer,
                    fmt="csv" if fmt == "csv" else "parquet",
                    progress=update,
                )
        except OutputError as error:
            raise UserError(str(error)) from error
        console.print(_synthea_table(summary))
        console.print(f"Wrote {out}; next: calaim identify --data {out} --as-of YYYY-MM-DD")

    safely(action)


def _synthea_table(summary: SyntheaSummary) -> Table:
    """The import's counts, and skipped resources by type."""
    from rich.table import Table

    table = Table("", "count", title="Synthea import")
    for label, count in (
        ("files", summary.files),
        ("patients", summary.patients),
        ("eligibility spans", summary.eligibility_spans),
        ("claim lines", summary.claim_lines),
    ):
        table.add_row(label, f"{count:,}")
    for kind, count in sorted(summary.skipped.items()):
        table.add_row(f"skipped: {kind}", f"{count:,}", style="dim")
    return table


def register(app: typer.Typer) -> None:
    """Add this area's commands to `calaim exchange`."""
    app.command("fhir-export")(fhir_export)
    app.command("fhir-import")(fhir_import)
    app.command("synthea")(synthea)
