"""Cumulative reconciliation: later 835s add to earlier ones, reversals (CLP02 22) cancel the
payment they name, corrections pay again; re-ingest is a no-op; reports use net figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.exchange.x12.files import reconcile_835
from calaim.exchange.x12.payer835 import reversal_835
from calaim.exchange.x12.remit835 import parse_835
from calaim.exchange.x12.validation import validate
from calaim.ops.billing.reconcile import Reconciler, Reconciliation
from calaim.ops.billing.remit_data import PaidClaim, PaidLine, Remittance835
from calaim.ops.billing.reports import denials
from calaim.ops.errors import InvalidRequest
from calaim.ops.models.billing import (
    Claim,
    ClaimStatus,
    Remittance,
    RemittanceAdjustment,
    RemittancePayment,
)
from ops.billing.world import World

from .helpers import answer, billed_world


def _reversal(
    first: str,
    claims: str,
    *,
    correct: bool = True,
    deny_every: int = 0,
    reasons: tuple[str, ...] = ("197", "96"),
) -> str:
    return reversal_835(
        first,
        claims,
        paid_on=dt.date(2025, 11, 5),
        control_number=22,
        payer_name="L.A. Care Health Plan",
        payee_name="Harbor",
        payee_npi="1245319599",
        deny_every=deny_every,
        reasons=reasons,
        correct=correct,
    )


def _apply(session: Session, world: World, text: str) -> Reconciliation:
    """Read and check the 835 with pyx12 as the CLI and API do, then reconcile it."""
    return reconcile_835(session, world.cs_staff, text, "remit.835")


def _claim(session: Session) -> Claim:
    claim = session.scalars(select(Claim)).one()
    session.refresh(claim)
    return claim


def _counts(session: Session) -> list[int | None]:
    return [
        session.scalar(select(func.count()).select_from(t))
        for t in (Remittance, RemittancePayment, RemittanceAdjustment)
    ]


def _paid(session: Session) -> tuple[str, Decimal | None, list[tuple[str, Decimal | None]]]:
    claim = _claim(session)
    return claim.status, claim.paid_amount, [(ln.status, ln.paid_amount) for ln in claim.lines]


def test_first_payment_is_one_row_per_claim_and_line(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    result = _apply(session, world, answer(claims))
    assert (result.expected, result.paid, result.paid_in_file) == (600, 400, 400)
    assert _paid(session) == (
        "partial",
        Decimal(400),
        [("paid", Decimal(200)), ("paid", Decimal(200)), ("denied", Decimal(0))],
    )
    rows = session.scalars(select(RemittancePayment).order_by(RemittancePayment.segment)).all()
    assert [(r.claim_line_id is None, r.status_code, r.paid) for r in rows] == [
        (True, "1", Decimal(400)),
        (False, "1", Decimal(200)),
        (False, "1", Decimal(200)),
        (False, "1", Decimal(0)),
    ]


def test_reversal_alone_takes_the_claim_back_to_zero(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    first = answer(claims)
    _apply(session, world, first)
    text = _reversal(first, claims, correct=False)
    assert validate(text) == []
    assert "BPR*H*0*C*NON" in text  # BPR02 is never negative: the balance goes forward
    assert "FB:CARRIED*-400" in text
    result = _apply(session, world, text)
    assert (result.reversals, result.paid_in_file, result.paid) == (1, -400, 0)
    assert result.provider_adjustments == Decimal(-400)
    # Nothing stands: billed and awaiting the payer's correction, with nothing paid.
    assert _paid(session) == ("built", Decimal(0), [("built", Decimal(0))] * 3)
    assert result.denied_by_reason == {}
    assert denials(session, world.plan_admin) == []
    original = session.scalars(
        select(RemittancePayment).where(
            RemittancePayment.claim_line_id.is_(None), RemittancePayment.status_code == "1"
        )
    ).one()
    assert original.reversed_by_id is not None


def test_reversal_and_correction_pay_the_new_amount(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    first = answer(claims)
    _apply(session, world, first)
    text = _reversal(first, claims)
    assert validate(text) == []
    assert text.index("*22*-600*-400*") < text.index("*1*600*600*")  # reversal first
    result = _apply(session, world, text)
    assert (result.matched, result.reversals, result.paid_in_file) == (1, 1, 200)
    assert (result.expected, result.paid) == (600, 600)
    assert _paid(session) == ("paid", Decimal(600), [("paid", Decimal(200))] * 3)
    assert denials(session, world.plan_admin) == []  # CO-96 was reversed with the payment


def test_correction_to_a_lower_amount_carries_the_balance_forward(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    first = answer(claims, deny_every=0)
    _apply(session, world, first)
    assert _paid(session)[:2] == ("paid", Decimal(600))
    text = _reversal(first, claims, deny_every=2)  # the correction denies line 2
    assert validate(text) == []
    result = _apply(session, world, text)
    assert (result.paid_in_file, result.paid) == (-200, 400)
    assert _paid(session) == (
        "partial",
        Decimal(400),
        [("paid", Decimal(200)), ("denied", Decimal(0)), ("paid", Decimal(200))],
    )
    (row,) = denials(session, world.plan_admin)
    assert (row.group, row.reason, row.count, row.amount) == ("CO", "96", 1, Decimal(200))


def _second_payment(number: str, day: dt.date) -> Remittance835:
    """A later, separate payment of the line denied before (no reversal)."""
    line = PaidLine("T2033", ("U6",), Decimal(200), Decimal(200), Decimal(1), day, (), 14)
    claim = PaidClaim(number, "1", Decimal(600), Decimal(200), (), (line,), "PAYER9", 13)
    return Remittance835("L.A. Care", "CHK2", dt.date(2025, 11, 1), Decimal(200), (claim,))


def test_a_second_partial_payment_adds_up(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    _apply(session, world, answer(claims))
    number = _claim(session).number
    reconciler = Reconciler(session, world.cs_staff)
    result = reconciler.apply([_second_payment(number, dt.date(2025, 9, 3))], "second")
    assert (result.paid_in_file, result.paid, result.expected) == (200, 600, 600)
    assert _paid(session) == ("paid", Decimal(600), [("paid", Decimal(200))] * 3)
    counts = _counts(session)
    again = reconciler.apply([_second_payment(number, dt.date(2025, 9, 3))], "second")
    assert again.duplicate
    assert _counts(session) == counts
    assert _paid(session)[1] == Decimal(600)


def test_reingesting_any_835_changes_nothing(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    first = answer(claims)
    _apply(session, world, first)
    text = _reversal(first, claims)
    _apply(session, world, text)
    counts, paid = _counts(session), _paid(session)
    for again in (first, text):
        assert _apply(session, world, again).duplicate
    assert (_counts(session), _paid(session)) == (counts, paid)


def test_denial_net_figures_over_payment_reversal_and_correction(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    first = answer(claims)
    assert _apply(session, world, first).denied_amount == {"96": Decimal(200)}
    ((plan, count, amount),) = [
        (r.plan, r.count, r.amount) for r in denials(session, world.cs_staff)
    ]
    assert (count, amount) == (1, Decimal(200))
    result = _apply(session, world, _reversal(first, claims, deny_every=3, reasons=("197",)))
    # The correction denies the same line again (CARC 197 now): 96 is gone, 197 stands.
    assert (result.denied_by_reason, result.denied_amount) == ({"197": 1}, {"197": Decimal(200)})
    rows = denials(session, world.plan_admin)
    assert [(r.plan, r.reason, r.count, r.amount) for r in rows] == [(plan, "197", 1, Decimal(200))]


def test_a_reversal_without_the_payment_changes_nothing_and_names_the_segment(
    session: Session,
) -> None:
    world, claims = billed_world(session, days=3)
    first = answer(claims)
    text = _reversal(first, claims)  # the payment it reverses was never reconciled
    counts = _counts(session)
    with pytest.raises(InvalidRequest, match=r"remit.835: segment 13, element CLP04: .*first"):
        _apply(session, world, text)
    assert _counts(session) == counts
    assert _paid(session)[:2] == (ClaimStatus.BUILT, None)


def test_a_reversal_cannot_pay_and_a_payment_cannot_take_back(session: Session) -> None:
    world, _ = billed_world(session, days=3)
    number = session.scalars(select(Claim.number)).one()
    wrong = PaidClaim(number, "22", Decimal(600), Decimal(400), segment=13)
    with pytest.raises(InvalidRequest, match=r"segment 13, element CLP04: .* positive"):
        Reconciler(session, world.cs_staff).apply([Remittance835("P", "T", None, 0, (wrong,))], "x")
    back = PaidClaim(number, "1", Decimal(600), Decimal(-5), segment=9)
    with pytest.raises(InvalidRequest, match=r"segment 9, element CLP04: .* negative"):
        Reconciler(session, world.cs_staff).apply([Remittance835("P", "T", None, 0, (back,))], "y")


def test_the_parser_keeps_clp07_and_positions(session: Session) -> None:
    _, claims = billed_world(session, days=2)
    (remit,) = parse_835(answer(claims))
    (claim,) = remit.claims
    assert (claim.payer_claim_number, claim.segment) == ("PAYER00000002", 13)
    assert [line.segment for line in claim.lines] == [15, 17]
    assert not claim.reversal


def test_group_cr_of_4010_is_refused_in_a_5010_835(session: Session) -> None:
    world, claims = billed_world(session, days=3)
    text = answer(claims).replace("CAS*CO*", "CAS*CR*")
    # pyx12's 5010 map knows CAS01 CO, OA, PI, PR only: the segment is not recognized at all.
    with pytest.raises(InvalidRequest, match=r"remit.835: segment 19: Segment CAS\*CR not found"):
        _apply(session, world, text)
