"""The 835 reader and the payer simulator, checked with pyx12's validator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from calaim.exchange.x12.remit835 import parse_835
from calaim.exchange.x12.tokens import X12SyntaxError
from calaim.exchange.x12.validation import validate

from .helpers import answer, billed_world


def test_the_simulated_835_is_valid_and_reads_back(session: Session) -> None:
    _, claims = billed_world(session)
    text = answer(claims, plb=Decimal("10.00"))
    assert validate(text) == []
    (remit,) = parse_835(text)
    (claim,) = remit.claims
    assert claims.count(f"CLM*{claim.number}*") == 1
    assert (claim.charge, claim.paid, claim.status) == (Decimal(600), Decimal(400), "1")
    denied = [line for line in claim.lines if line.paid == 0]
    assert [(a.group, a.reason, a.amount) for a in denied[0].adjustments] == [
        ("CO", "96", Decimal(200))
    ]
    assert denied[0].service_date == dt.date(2025, 9, 3)
    assert remit.total_paid == Decimal("390.00")
    assert [(a.reason, a.amount) for a in remit.provider_adjustments] == [("WO", Decimal(10))]
    assert isinstance(remit.total_paid, Decimal)


def test_a_bad_amount_names_segment_and_element(session: Session) -> None:
    _, claims = billed_world(session)
    text = answer(claims).replace("*600*400*", "*600*4O0*", 1)
    with pytest.raises(X12SyntaxError, match=r"segment \d+, element CLP04: '4O0' is not an amount"):
        parse_835(text, check=False)


def test_pyx12_errors_are_reported_by_segment(session: Session) -> None:
    _, claims = billed_world(session)
    text = answer(claims).replace("N1*PR*", "N1*XX*", 1)
    with pytest.raises(X12SyntaxError, match=r"segment \d+"):
        parse_835(text)


def test_an_837_is_not_an_835(session: Session) -> None:
    _, claims = billed_world(session)
    with pytest.raises(X12SyntaxError, match="element ST01: transaction set '837'"):
        parse_835(claims)
