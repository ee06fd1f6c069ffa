"""An 835 where the payer adjudicated another code than the one billed (SVC06 holds the
original): the line is matched on SVC06 and the change reported; never an unpaid line."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.exchange.x12 import claims837
from calaim.exchange.x12.remit835 import parse_835
from calaim.exchange.x12.tokens import X12SyntaxError
from calaim.exchange.x12.validation import validate
from calaim.ops.billing.reconcile import Reconciler
from calaim.ops.models.billing import Claim

from .helpers import answer, billed_world


def recode_first_line(text: str, *, report_original: bool) -> tuple[str, str]:
    """The 835 with its first SVC paid as T2016 (SVC06 = the billed code, if asked)."""
    segments = text.split("~")
    index = next(i for i, s in enumerate(segments) if s.startswith("SVC*"))
    elements = segments[index].split("*")
    billed = elements[1]
    separator = billed[2]
    elements[1] = f"HC{separator}T2016"
    elements += [""] * (7 - len(elements))
    if report_original:
        elements[6] = billed
    segments[index] = "*".join(elements).rstrip("*")
    return "~".join(segments), billed


def test_a_changed_code_is_matched_on_svc06_and_reported(session: Session) -> None:
    world, claims = billed_world(session, days=2)
    text, billed = recode_first_line(answer(claims, deny_every=99), report_original=True)
    assert validate(text) == []  # SVC06 is part of 005010X221A1
    result = Reconciler(session, world.cs_staff).apply(parse_835(text), text)
    claim = session.scalars(select(Claim)).one()
    assert [line.status for line in claim.lines] == ["paid", "paid"]
    code = billed.split(billed[2], 1)[1].replace(billed[2], ":")
    assert result.changed_codes == [f"{claim.number} line 1: billed {code}, paid as T2016 (SVC06)"]
    assert result.unmatched_lines == []


def test_a_changed_code_without_svc06_is_reported_unmatched(session: Session) -> None:
    world, claims = billed_world(session, days=2)
    text, _ = recode_first_line(answer(claims, deny_every=99), report_original=False)
    result = Reconciler(session, world.cs_staff).apply(parse_835(text, check=False), text)
    claim = session.scalars(select(Claim)).one()
    assert [line.status for line in claim.lines][1] == "paid"
    assert len(result.unmatched_lines) == 1
    assert result.unmatched_lines[0].startswith(f"{claim.number}: the payer's line T2016 on ")
    assert result.changed_codes == []


def test_the_837_is_never_x222a2_while_pyx12_validates() -> None:
    # pyx12 has no 005010X222A2 map: an A2 file would be "validated" against nothing.
    import importlib.resources

    maps = {p.name for p in importlib.resources.files("pyx12").joinpath("map").iterdir()}
    assert not any("X222A2" in name for name in maps)
    assert claims837.VERSION == "005010X222A1"
    assert any("837.5010.X222.A1" in name for name in maps)


def test_an_incomplete_svc06_is_a_located_error(session: Session) -> None:
    _, claims = billed_world(session, days=1)
    text, billed = recode_first_line(answer(claims, deny_every=99), report_original=True)
    broken = text.replace(f"*{billed}", "*HC", 1)  # one line: its SVC06 is the only copy
    with pytest.raises(X12SyntaxError, match="element SVC06: the original procedure"):
        parse_835(broken, check=False)
