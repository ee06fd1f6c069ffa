"""Reconciling a payer's 835 against the claims: paid vs expected, denials, idempotence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.x12.remit835 import parse_835
from calaim.ops.billing.reconcile import Reconciler
from calaim.ops.billing.reports import denials
from calaim.ops.errors import InvalidRequest
from calaim.ops.models.billing import Claim, ClaimStatus, Remittance, RemittanceAdjustment

from .helpers import answer, billed_world


def test_paid_against_expected_per_claim_and_line(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    text = answer(claims, plb=Decimal("5.00"))
    result = Reconciler(session, world.cs_staff).apply(parse_835(text, check=False), text)
    assert (result.matched, result.expected, result.paid) == (1, Decimal(600), Decimal(400))
    assert result.denied_by_reason == {"96": 1}
    assert result.provider_adjustments == Decimal(5)
    claim = session.scalars(select(Claim)).one()
    assert (claim.status, claim.paid_amount) == (ClaimStatus.PARTIAL, Decimal(400))
    assert [line.status for line in claim.lines] == ["paid", "paid", "denied"]
    (row,) = denials(session, world.plan_admin)
    assert (row.reason, row.count, row.amount, row.label) == (
        "96",
        1,
        Decimal("200.00"),
        "Non-covered charge(s)",
    )
    assert denials(session, world.supervisor) == []  # the ECM provider billed none of it


def test_the_same_835_twice_changes_nothing(session: Session) -> None:
    world, claims = billed_world(session)
    text = answer(claims)
    reconciler = Reconciler(session, world.cs_staff)
    reconciler.apply(parse_835(text, check=False), text)
    counts = [
        session.scalar(select(func.count()).select_from(t))
        for t in (Remittance, RemittanceAdjustment)
    ]
    again = reconciler.apply(parse_835(text, check=False), text)
    assert again.duplicate
    assert again.matched == 0
    assert [
        session.scalar(select(func.count()).select_from(t))
        for t in (Remittance, RemittanceAdjustment)
    ] == counts


def test_unknown_claims_are_reported_unless_nothing_matches(session: Session) -> None:
    world, claims = billed_world(session)
    number = session.scalars(select(Claim.number)).one()
    extra = claims.replace(f"CLM*{number}*", "CLM*CNOTOURS0000001*", 1)
    text = answer(claims).replace(
        "~LX*1~", "~LX*1~" + answer(extra).split("~LX*1~")[1].split("~SE*")[0] + "~", 1
    )
    result = Reconciler(session, world.cs_staff).apply(parse_835(text, check=False), text)
    assert (result.matched, result.unknown) == (1, ["CNOTOURS0000001"])
    alone = answer(extra)
    with pytest.raises(InvalidRequest, match="none of the 1 claims"):
        Reconciler(session, world.cs_staff).apply(parse_835(alone, check=False), alone)


def test_another_providers_claims_are_not_touched(session: Session) -> None:
    world, claims = billed_world(session)
    text = answer(claims)
    with pytest.raises(InvalidRequest, match="none of"):
        Reconciler(session, world.supervisor).apply(parse_835(text, check=False), text)
    assert session.scalars(select(Claim.status)).one() == ClaimStatus.BUILT
