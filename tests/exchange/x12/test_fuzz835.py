"""Arbitrary and mangled 835s never crash the reader: always an error naming the segment
number (and element where there is one), and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calaim.exchange.x12.payer835 import payer_835
from calaim.exchange.x12.remit835 import parse_835
from calaim.exchange.x12.tokens import Segment, X12SyntaxError, tokenize

CLAIMS_837 = (
    "ISA*00*          *00*          *ZZ*1245319599     *ZZ*LACARE         *251002*0930*^*00501"
    "*000000001*0*T*:~GS*HC*1245319599*LACARE*20251002*0930*1*X*005010X222A1~ST*837*0001~"
    "NM1*IL*1*DOE*ANA****MI*91234567A~CLM*C1*400***11:B:1*Y*A*Y*Y~SV1*HC:T2033:U6*200*UN*1***1~"
    "DTP*472*D8*20250902~SV1*HC:T2033:U6*200*UN*1***1~DTP*472*D8*20250903~SE*9*0001~GE*1*1~"
    "IEA*1*000000001~"
)
VALID = payer_835(
    CLAIMS_837,
    paid_on=dt.date(2025, 10, 20),
    control_number=5,
    payer_name="Plan",
    payee_name="Harbor",
    payee_npi="1245319599",
    deny_every=2,
    plb=Decimal("1.00"),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _error(text: str) -> X12SyntaxError | None:
    """Read without pyx12 (fast): None for a clean parse, else the X12SyntaxError."""
    try:
        parse_835(text, check=False)
    except X12SyntaxError as error:
        return error
    return None


def _read(text: str) -> None:
    """Any other exception fails the test; an error always starts with its segment number."""
    error = _error(text)
    if error is not None:
        assert error.segment >= 1
        assert str(error).startswith(f"segment {error.segment}")


def test_the_valid_sample_reads() -> None:
    (remit,) = parse_835(VALID, check=False)
    assert remit.total_paid == Decimal("199.00")


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _read(text)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_after_a_valid_isa_never_crashes(tail: str) -> None:
    _read(VALID[:106] + tail)


@SETTINGS
@given(
    st.integers(min_value=0, max_value=len(VALID) - 1),
    st.text(alphabet="*~:^0123456789.-AZ \n", min_size=0, max_size=6),
    st.integers(min_value=0, max_value=8),
)
def test_mangled_valid_835_never_crashes(position: int, insert: str, cut: int) -> None:
    _read(VALID[:position] + insert + VALID[position + cut :])


@SETTINGS
@given(
    st.lists(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*:.-", max_size=30), max_size=30)
)
def test_tokenizer_names_the_segment_of_any_bad_id(segments: list[str]) -> None:
    text = VALID[:106] + "~".join(segments) + "~"
    parsed: list[Segment] | X12SyntaxError
    try:
        parsed = tokenize(text)
    except X12SyntaxError as error:
        parsed = error
    if isinstance(parsed, X12SyntaxError):
        assert 1 <= parsed.segment <= len(segments) + 1
    else:
        assert parsed[0].id == "ISA"


@pytest.mark.parametrize("position", [200, 400, 600, 800])
def test_pyx12_checked_mangling_is_an_error_not_a_crash(position: int) -> None:
    mangled = VALID[:position] + "*~Q" + VALID[position:]
    with pytest.raises(X12SyntaxError, match=r"^segment \d+"):
        parse_835(mangled)
