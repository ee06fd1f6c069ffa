"""Shared builders: a billed world's 837P and a payer's 835 answering it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.exchange.x12.claims837 import write_837
from calaim.exchange.x12.payer835 import payer_835
from calaim.ops.billing.build import BillingService
from calaim.ops.billing.export import export_batches
from calaim.ops.billing.period import BillingPeriod
from ops.billing.world import NOW, World, build_world, deliver

SEPT = BillingPeriod.parse("2025-09")
AT = dt.datetime(2025, 10, 2, 9, 30, tzinfo=dt.UTC)


def billed_world(session: Session, days: int = 3) -> tuple[World, str]:
    """A world whose CS provider billed `days` recuperative care days in September."""
    world = build_world(session)
    for day in range(1, days + 1):
        deliver(session, world, dt.date(2025, 9, day))
    BillingService(session, world.cs_staff).build(SEPT, now=NOW)
    (batch,) = export_batches(session, world.cs_staff, SEPT)
    return world, write_837(batch, control_number=11, produced_at=AT)


def answer(claims_837: str, deny_every: int = 3, plb: Decimal | None = None) -> str:
    """The payer's 835 for an 837P."""
    return payer_835(
        claims_837,
        paid_on=dt.date(2025, 10, 20),
        control_number=21,
        payer_name="L.A. Care Health Plan",
        payee_name="Harbor",
        payee_npi="1245319599",
        deny_every=deny_every,
        plb=plb,
    )
