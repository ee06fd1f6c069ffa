"""Field types shared by schemas: bounded text without control characters, UTC timestamps,
two-place decimals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, StringConstraints

from calaim.data.text_rules import NO_CONTROL_CHARACTERS

# Control characters (NUL above all, which PostgreSQL refuses) never belong in these fields;
# the file importers apply the same rule (`calaim.data.text_rules`).


def bounded(max_length: int, min_length: int = 1) -> StringConstraints:
    """Text of `min_length` to `max_length` characters (the column's size), stripped."""
    return StringConstraints(
        strip_whitespace=True,
        min_length=min_length,
        max_length=max_length,
        pattern=NO_CONTROL_CHARACTERS,
    )


def as_utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a naive value (SQLite drops the zone) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


# A timestamp in responses: always UTC with its zone, on every database.
UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]


def _two_places(value: Decimal) -> str:
    """A Decimal as a JSON string with two decimal places, as the database stores it."""
    return str(value.quantize(Decimal("0.01")))


# Units and money stored as Numeric(n, 2), shown the same whether just written or read back
# ("2.50"): a string in JSON, never a float.
Stored = Annotated[Decimal, PlainSerializer(_two_places, return_type=str, when_used="json")]
