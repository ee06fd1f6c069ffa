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
from sqlalchemy.orm import Session

from calaim.cli_common import OrgOpt

if TYPE_CHECKING:
    from calaim.exchange.x12.files import Export
    from calaim.ops.billing.build import BillingRun
    from calaim.ops.billing.reconcile import Reconciliation
    from calaim.ops.models import User

PeriodOpt = Annotated[str, typer.Option("--period", help="Billing month, YYYY-MM.")]
AtOpt = Annotated[
    str, typer.Option("--produced-at", help="File production time, YYYY-MM-DDTHH:MM (UTC).")
]


def _billing_user(session: Session, org: str) -> User:
    """The organization's first user allowed to manage billing."""
    from calaim.ops.access.permissions import Permission, allowed
    from calaim.ops.admin.repository import users_of
    from calaim.ops.admin.service import find_organization
    from calaim.ops.errors import NotFound

    organization = find_organization(session, org)
    users = users_of(session, organization.id)
    for user in users:
        if allowed(user, Permission.BILLING_MANAGE):
            return user
    raise NotFound(
        f"{organization.name} has no user who may manage billing; add one with "
        "`calaim user add --role ecm_supervisor` (or cs_provider_staff, plan_admin)"
    )


def _moment(text: str) -> dt.datetime:
    from calaim.cli_common import UserError

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
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


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
    from calaim.cli_common import progress_bar, safely, transaction
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
    from calaim.cli_common import console

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
    from calaim.cli_common import UserError, console, progress_bar, safely, transaction
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
        _remit_summary(file.name, result)
        reasons = Table(title="Adjustments standing (net of reversals)")
        for column in ("CARC reason", "claims or lines", "amount"):
            reasons.add_column(column, justify="right")
        for reason, count in sorted(result.denied_by_reason.items()):
            reasons.add_row(reason, str(count), _money(result.denied_amount[reason]))
        if result.denied_by_reason:
            console.print(reasons)
        else:
            console.print("No adjustments standing on these claims.")
        if result.unknown:
            console.print(f"Not our claims (ignored): {', '.join(result.unknown[:20])}")
        for changed in result.changed_codes:
            console.print(f"Paid under another code: {changed}", markup=False)
        for unmatched in result.unmatched_lines:
            console.print(f"Not matched: {unmatched}", markup=False)

    safely(run)


def _remit_summary(name: str, result: Reconciliation) -> None:
    """The file's claims: expected, paid to date (net, every 835 so far), this file's part."""
    from calaim.cli_common import console

    table = Table(title=f"Remittance {name}")
    table.add_column("claims of this file")
    table.add_column("", justify="right")
    for label, value in (
        ("matched", str(result.matched)),
        ("unknown (not ours)", str(len(result.unknown))),
        ("reversals (CLP02 22)", str(result.reversals)),
        ("expected", _money(result.expected)),
        ("paid to date (net, every 835)", _money(result.paid)),
        ("paid in this file", _money(result.paid_in_file)),
        ("provider adjustments (PLB)", _money(result.provider_adjustments)),
    ):
        table.add_row(label, value)
    console.print(table)


def invoice(
    org: OrgOpt,
    period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", help="FILE.csv or FILE.xlsx")],
    invoice_date: Annotated[str, typer.Option("--invoice-date", help="YYYY-MM-DD.")],
) -> None:
    """Write the standardized CS invoice of a month's billed Community Supports lines."""
    from calaim.cli_common import UserError, console, parse_date, safely, transaction
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
    from calaim.cli_common import console, safely, transaction
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
    reverse: Annotated[
        Path | None,
        typer.Option(
            "--reverse",
            help="An earlier 835 answering CLAIMS: reverse its payments (CLP02 22) and pay "
            "the claims again as corrected (--deny-every applies to the correction).",
        ),
    ] = None,
) -> None:
    """Simulate the plan: answer an 837P with an 835 that denies every Nth line (CARC 197, 96),
    or reverse and correct an earlier 835 (--reverse)."""
    from calaim.cli_common import UserError, console, parse_date, safely
    from calaim.exchange.x12.payer835 import payer_835, reversal_835
    from calaim.exchange.x12.tokens import X12SyntaxError, tokenize

    def run() -> None:
        for path in (claims, reverse):
            if path is not None and not path.is_file():
                raise UserError(f"{path} does not exist or is not a file")
        text = claims.read_text(encoding="utf-8")
        try:
            provider = next(s for s in tokenize(text) if s.id == "NM1" and s.get(1) == "85")
        except (X12SyntaxError, StopIteration) as error:
            raise UserError(f"{claims}: not an 837P calaim wrote ({error})") from error
        day = parse_date(paid_on, "--paid-on")
        payee, npi = provider.get(3), provider.get(9)
        try:
            if reverse is None:
                answer = payer_835(
                    text,
                    paid_on=day,
                    control_number=1,
                    payer_name="Simulated plan",
                    payee_name=payee,
                    payee_npi=npi,
                    deny_every=deny_every,
                )
            else:
                # A new control (and trace) number: the correction is another payment.
                answer = reversal_835(
                    reverse.read_text(encoding="utf-8"),
                    text,
                    paid_on=day,
                    control_number=2,
                    payer_name="Simulated plan",
                    payee_name=payee,
                    payee_npi=npi,
                    deny_every=deny_every,
                )
        except X12SyntaxError as error:
            source = reverse if reverse is not None else claims
            raise UserError(f"{source}: {error}") from error
        _write(out, answer.encode("utf-8"))
        denied = f"one line in {deny_every} denied" if deny_every else "no line denied"
        what = "reversal and correction of " + str(reverse) if reverse else "simulated 835"
        console.print(f"{out}: {what} ({denied})")

    safely(run)


def register(app: typer.Typer) -> None:
    """Add this area's commands to `calaim exchange`."""
    app.command("bill")(bill)
    app.command("remit")(remit)
    app.command("invoice")(invoice)
    app.command("billing-profile")(billing_profile)
    app.command("sample-835")(sample_835)
