"""The row formatter built once per file gives `format_cell` of every cell, in every variant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calaim.exchange.filespecs.adapters import CANONICAL, Variant, file_columns, load_variants
from calaim.exchange.filespecs.layout import load_layouts
from calaim.exchange.filespecs.values import Value, format_cell
from calaim.exchange.filespecs.writer import row_formatter

VALUES: list[Value] = [
    None,
    "",
    "x",
    "outreach",
    "enrolled",
    "E",
    "Y",
    True,
    False,
    0,
    12,
    Decimal("3.10"),
    dt.date(2025, 9, 1),
    dt.date(999, 1, 1),
    dt.datetime(2025, 9, 1, 8, 30),
]


@pytest.mark.parametrize("variant", [CANONICAL, *load_variants().values()], ids=lambda v: v.id)
def test_every_cell_is_format_cell(variant: Variant) -> None:
    for layout in load_layouts().values():
        format_row = row_formatter(layout, variant)
        for value in VALUES:
            row = {column.id: value for column in layout.columns}
            expected = [
                column.constant
                if column.column is None
                else format_cell(column.column, value, variant, layout.id)
                for column in file_columns(layout, variant)
            ]
            assert format_row(row) == expected, (layout.id, value)
        assert format_row({}) == format_row({column.id: None for column in layout.columns})
        with pytest.raises(ValueError, match="not column ids"):
            format_row({"nonsense": "x"})
