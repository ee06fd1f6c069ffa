"""Writing the CS invoice with the shared DHCS file layouts (`cs_invoice`, CSV or XLSX)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from calaim.exchange.filespecs.writer import FileFormat, write_rows
from calaim.ops.billing.invoice import invoice_rows
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.models import User


def write_invoice(
    session: Session,
    actor: User,
    period: BillingPeriod,
    invoice_date: dt.date,
    destination: Path | IO[bytes],
    file_format: FileFormat,
) -> int:
    """Write the actor's CS invoice for `period`; the number of rows."""
    rows = invoice_rows(session, actor, period, invoice_date)
    return write_rows("cs_invoice", rows, destination, file_format)
