"""The file-level billing steps the API and the CLI share: export validated 837Ps, read and
reconcile an 835, with X12 problems turned into the ops layer's `InvalidRequest`."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.exchange.x12.claims837 import X12Invalid, validated_837
from calaim.exchange.x12.remit835 import parse_835
from calaim.exchange.x12.tokens import X12SyntaxError
from calaim.ops.billing.export import export_batches
from calaim.ops.billing.period import BillingPeriod
from calaim.ops.billing.reconcile import Reconciler, Reconciliation
from calaim.ops.errors import InvalidRequest, NotFound
from calaim.ops.models import User

MAX_835_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Export:
    """One validated 837P file: which plan it goes to, how many claims, its text."""

    plan_code: str
    claims: int
    text: str


def export_837(
    session: Session,
    actor: User,
    period: BillingPeriod,
    *,
    produced_at: dt.datetime,
    plan_code: str | None = None,
    numbers: list[str] | None = None,
) -> list[Export]:
    """One pyx12-valid 837P per plan for the actor's claims of `period` (or the named ones)."""
    batches = export_batches(session, actor, period, numbers)
    if plan_code:
        batches = [batch for batch in batches if batch.plan_code == plan_code]
    if not batches:
        raise NotFound(
            f"no claims of yours for {period.label}"
            + (f" to {plan_code}" if plan_code else "")
            + "; build them first"
        )
    files = []
    for batch in batches:
        # The same claims give the same control number: a payer sees a re-sent file as one.
        control = zlib.crc32("".join(c.number for c in batch.claims).encode()) % 1_000_000_000
        try:
            text = validated_837(batch, control_number=control, produced_at=produced_at)
        except X12Invalid as error:
            raise InvalidRequest(str(error), field="claims") from error
        files.append(Export(batch.plan_code, len(batch.claims), text))
    return files


def decode(data: bytes, name: str) -> str:
    """An uploaded X12 file's text, or an error naming the file."""
    if len(data) > MAX_835_BYTES:
        raise InvalidRequest(f"{name} is larger than 50 MB; split it", field="file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidRequest(
            f"{name}: byte {error.start} is not UTF-8 text; is it an X12 835?", field="file"
        ) from error


def reconcile_835(session: Session, actor: User, text: str, name: str) -> Reconciliation:
    """Read, check (pyx12) and apply an 835; errors name the file, segment and element."""
    try:
        remittances = parse_835(text)
    except X12SyntaxError as error:
        raise InvalidRequest(
            f"{name}: {error}; fix the file and send it again", field="file"
        ) from error
    return Reconciler(session, actor).apply(remittances, text, name)
