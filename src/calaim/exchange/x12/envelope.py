"""X12 5010 building blocks: clean element values, segments, and the ISA/GS…GE/IEA envelope."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

SEGMENT = "~"
ELEMENT = "*"
COMPONENT = ":"
REPEAT = "^"
_DELIMITERS = re.compile(r"[~*:^\r\n]")


def clean(value: str, size: int) -> str:
    """An element value without delimiters, upper case, trimmed to the element's size."""
    return _DELIMITERS.sub(" ", value).upper().strip()[:size].strip()


def seg(*elements: str) -> str:
    """One segment, trailing empty elements dropped (X12 forbids trailing separators)."""
    values = list(elements)
    while values and values[-1] == "":
        values.pop()
    return ELEMENT.join(values) + SEGMENT


def money(amount: Decimal) -> str:
    """An X12 R amount: no trailing zeros after the point, never exponent notation."""
    text = format(amount.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(units: Decimal) -> str:
    """An X12 quantity."""
    return money(units)


def isa(sender: str, receiver: str, control: int, at: dt.datetime, usage: str) -> str:
    """The interchange header (fixed-width elements)."""
    return seg(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        sender.ljust(15)[:15],
        "ZZ",
        receiver.ljust(15)[:15],
        at.strftime("%y%m%d"),
        at.strftime("%H%M"),
        REPEAT,
        "00501",
        f"{control:09d}",
        "0",
        usage,
        COMPONENT,
    )


def gs(code: str, sender: str, receiver: str, control: int, at: dt.datetime, version: str) -> str:
    """The functional group header."""
    return seg(
        "GS",
        code,
        sender,
        receiver,
        at.strftime("%Y%m%d"),
        at.strftime("%H%M"),
        str(control),
        "X",
        version,
    )


def trailers(group_control: int, transactions: int, interchange_control: int) -> str:
    """GE and IEA."""
    return seg("GE", str(transactions), str(group_control)) + seg(
        "IEA", "1", f"{interchange_control:09d}"
    )
