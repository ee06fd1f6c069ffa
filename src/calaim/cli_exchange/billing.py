"""`calaim exchange` commands: billing (claims as 837P, 835 reconciliation, CS invoice).

Each command is one transaction as the organization's billing user (an ECM supervisor, CS
provider staff or plan administrator): a file that fails X12 validation, or an error anywhere,
leaves the database as it was and writes no file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.cli_admin import OrgOpt

if TYPE_CHECKING:
    from calaim.exchange.x12.files import Export
    from calaim.ops.billing.build import BillingRun
    from calaim.ops.models import User

PeriodOpt = Annotated[str, typer.Option("--period", help="Billing month, YYYY-MM.")]
AtOpt = Annotated[
    str, typer.Option("--produced-at", help="File production time, YYYY-MM-DDTHH:MM (UTC).")
]


def _billing_user(session: Session, org: str) -> User:
    """The organization's first user allowed to manage billing."""
    from calaim.ops.access.permissions import Permission, allowed
    from calaim.ops.admin.service import find_organization
    from calaim.ops.errors import NotFound
    from calaim.ops.models import User

    organization = find_organization(session, org)
    users = session.scalars(
        select(User).where(User.organization_id == organization.id).order_by(User.email)
    ).all()
    for user in users:
        if allowed(user, Permission.BILLING_MANAGE):
            return user
    raise NotFound(
        f"{organization.name} has no user who may manage billing; add one with "
        "`calaim user add --role ecm_supervisor` (or cs_provider_staff, plan_admin)"
    )


def _moment(text: str) -> dt.datetime:
    from calaim.cli import UserError

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise UserError(f"--produced-at {text!r} is not YYYY-MM-DDTHH:MM") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the file is for sending
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def bill(
    org: OrgOpt,
    period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", help="The 837P file to write.")],
    produced_at: AtOpt,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would be billed.")
    ] = False,
) -> None:
    """Bill a month's services not billed yet and write them as pyx12-valid 837Ps (one per plan)."""
    from calaim.cli import progress_bar
    from calaim.cli_admin import safely, transaction
    from calaim.exchange.x12.files import export_837
    from calaim.ops.billing.build import BillingService
    from calaim.ops.billing.period import BillingPeriod

    def run() -> None:
        month, moment = BillingPeriod.parse(period, "--period"), _moment(produced_at)
        with transaction() as session, progress_bar("Billing") as progress:
            actor = _billing_user(session, org)
            progress("pricing services", 0, 3)
            result = BillingService(session, actor).build(month, now=moment, dry_run=dry_run)
            progress("writing and validating the 837P (pyx12)", 1, 3)
            # Only this run's claims go in the file: what was billed before is not sent again.
            numbers = [claim.number for claim in result.claims]
            files = (
                export_837(session, actor, month, produced_at=moment, numbers=numbers)
                if numbers
                else []
            )
            paths = _paths(out, [f.plan_code for f in files])
            for path, file in zip(paths, files, strict=True):
                _write(path, file.text.encode("utf-8"))
            progress("done", 3, 3)
        _bill_summary(result, list(zip(paths, files, strict=True)), dry_run)

    safely(run)


def _bill_summary(result: BillingRun, written: list[tuple[Path, Export]], dry_run: bool) -> None:
    """Print what was billed (or would be) and the files written."""
    from calaim.cli import console

    table = Table(title=f"{'Would bill' if dry_run else 'Billed'} {result.period.label}")
    for column in ("claims", "lines", "expected", "already billed"):
        table.add_column(column, justify="right")
    count, lines = str(len(result.drafts)), str(result.line_count)
    table.add_row(count, lines, _money(result.expected), str(result.already_billed))
    console.print(table)
    for path, file in written:
        console.print(f"{path}: {file.claims} claims to {file.plan_code}, valid 837P (pyx12)")
    if not dry_run and not written:
        console.print("Nothing new to bill for this month: no file written.")


def _paths(out: Path, plans: list[str]) -> list[Path]:
    """One file per plan: `out` itself when there is one plan, else `out` with the plan code."""
    if len(plans) <= 1:
        return [out] * len(plans)
    return [out.with_name(f"{out.stem}.{code}{out.suffix}") for code in plans]


def remit(
    file: Annotated[Path, typer.Argument(help="The 835 remittance file.", exists=False)],
    org: OrgOpt,
) -> None:
    """Reconcile an 835: paid against expected per claim, denials by CARC reason."""
    from calaim.cli import UserError, console, progress_bar
    from calaim.cli_admin import safely, transaction
    from calaim.exchange.x12.files import decode, reconcile_835

    def run() -> None:
        if not file.is_file():
            raise UserError(f"{file} does not exist or is not a file")
        text = decode(file.read_bytes(), str(file))
        with transaction() as session, progress_bar("Reconciling") as progress:
            progress("reading and checking the 835 (pyx12)", 0, 2)
            result = reconcile_835(session, _billing_user(session, org), text, str(file))
            progress("done", 2, 2)
        if result.duplicate:
            console.print(f"{file} was already reconciled: nothing changed.")
            return
        table = Table(title=f"Remittance {file.name}")
        for column in ("claims matched", "unknown claims", "expected", "paid", "provider adj."):
            table.add_column(column, justify="right")
        table.add_row(
            str(result.matched),
            str(len(result.unknown)),
            _money(result.expected),
            _money(result.paid),
            _money(result.provider_adjustments),
        )
        console.print(table)
        reasons = Table(title="Adjustments by CARC reason")
        for column in ("reason", "lines", "amount"):
            reasons.add_column(column, justify="right")
        for reason, count in sorted(result.denied_by_reason.items()):
            reasons.add_row(reason, str(count), _money(result.denied_amount[reason]))
        console.print(reasons)
        if result.unknown:
            console.print(f"Not our claims (ignored): {', '.join(result.unknown[:20])}")

    safely(run)


def invoice(
    org: OrgOpt,
    period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", help="FILE.csv or FILE.xlsx")],
    invoice_date: Annotated[str, typer.Option("--invoice-date", help="YYYY-MM-DD.")],
) -> None:
    """Write the standardized CS invoice of a month's billed Community Supports lines."""
    from calaim.cli import UserError, console, parse_date
    from calaim.cli_admin import safely, transaction
    from calaim.exchange.x12.invoice import write_invoice
    from calaim.ops.billing.period import BillingPeriod

    def run() -> None:
        kind = out.suffix.lower().lstrip(".")
        if kind not in ("csv", "xlsx"):
            raise UserError(f"--out {out}: name a .csv or .xlsx file")
        month, day = (
            BillingPeriod.parse(period, "--period"),
            parse_date(invoice_date, "--invoice-date"),
        )
        with transaction() as session:
            temporary = out.with_name(f".{out.name}.partial")
            try:
                with temporary.open("wb") as stream:
                    count = write_invoice(
                        session,
                        _billing_user(session, org),
                        month,
                        day,
                        stream,
                        "csv" if kind == "csv" else "xlsx",
                    )
                temporary.replace(out)
            finally:
                temporary.unlink(missing_ok=True)
        console.print(f"{out}: {count} invoice lines for {month.label}")

    safely(run)


def billing_profile(
    org: OrgOpt,
    tin: Annotated[str, typer.Option("--tin", help="9 digits.")],
    address: Annotated[str, typer.Option("--address", help="Street address.")],
    city: Annotated[str, typer.Option("--city")],
    zip_code: Annotated[str, typer.Option("--zip", help="ZIP+4, 9 digits.")],
    phone: Annotated[str, typer.Option("--phone", help="10 digits.")],
    state: Annotated[str, typer.Option("--state")] = "CA",
) -> None:
    """Set a provider's TIN, billing address and phone (the 837P's billing provider)."""
    from calaim.cli import console
    from calaim.cli_admin import safely, transaction
    from calaim.ops.billing.profile import BillingDetails, set_billing_details

    def run() -> None:
        details = BillingDetails(tin, address, city, state, zip_code, phone)
        with transaction() as session:
            set_billing_details(session, _billing_user(session, org), details)
        console.print(f"Billing details of {org} saved.")

    safely(run)


def sample_835(
    claims: Annotated[Path, typer.Argument(help="An 837P calaim wrote.")],
    out: Annotated[Path, typer.Option("--out", help="The 835 to write.")],
    paid_on: Annotated[str, typer.Option("--paid-on", help="Payment date, YYYY-MM-DD.")],
    deny_every: Annotated[int, typer.Option("--deny-every", min=0)] = 3,
) -> None:
    """Simulate the plan: answer an 837P with an 835 that denies every Nth line (CARC 197, 96)."""
    from calaim.cli import UserError, console, parse_date
    from calaim.cli_admin import safely
    from calaim.exchange.x12.payer835 import payer_835
    from calaim.exchange.x12.tokens import X12SyntaxError, tokenize

    def run() -> None:
        if not claims.is_file():
            raise UserError(f"{claims} does not exist or is not a file")
        text = claims.read_text(encoding="utf-8")
        try:
            provider = next(s for s in tokenize(text) if s.id == "NM1" and s.get(1) == "85")
            answer = payer_835(
                text,
                paid_on=parse_date(paid_on, "--paid-on"),
                control_number=1,
                payer_name="Simulated plan",
                payee_name=provider.get(3),
                payee_npi=provider.get(9),
                deny_every=deny_every,
            )
        except (X12SyntaxError, StopIteration) as error:
            raise UserError(f"{claims}: not an 837P calaim wrote ({error})") from error
        _write(out, answer.encode("utf-8"))
        console.print(f"{out}: simulated 835 (one line in {deny_every} denied)")

    safely(run)


def register(app: typer.Typer) -> None:
    """Add this area's commands to `calaim exchange`."""
    app.command("bill")(bill)
    app.command("remit")(remit)
    app.command("invoice")(invoice)
    app.command("billing-profile")(billing_profile)
    app.command("sample-835")(sample_835)
