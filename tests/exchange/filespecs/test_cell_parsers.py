"""Per-column parsers built once per file agree with `parse_cell`, values and problems alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest

from calaim.exchange.filespecs.adapters import CANONICAL, Variant, get_variant, load_variants
from calaim.exchange.filespecs.cell_parsers import cell_parser
from calaim.exchange.filespecs.errors import CellProblem
from calaim.exchange.filespecs.layout import load_layouts
from calaim.exchange.filespecs.values import Cell, Value, parse_cell

CELLS: list[Cell] = [
    None,
    "",
    "  ",
    " 2025-09-01 ",
    "2025-02-30",
    "2025-9-1",
    "20250901",
    "09/01/2025",
    "２０２５-09-01",
    "+025-09-01",
    dt.date(2025, 9, 1),
    dt.datetime(2025, 9, 1, 8, 30),
    "Y",
    "N",
    "yes",
    "outreach",
    "enrolled",
    "E",
    "12",
    "12.0",
    "1,250.50",
    "nan",
    12.0,
    12.5,
    True,
    Decimal("3.10"),
    "1234567893",
    "(213) 555-0100",
    "90012-1234",
    "9001",
    "x" * 300,
    "Smith\x00",
    "a\tb",
    " \x7f ",
]


def _outcome(parse: object, cell: Cell) -> tuple[str, Value | tuple[str, str]]:
    try:
        return "value", parse(cell)  # type: ignore[operator]
    except CellProblem as problem:
        return "problem", (problem.problem, problem.action)


@pytest.mark.parametrize("variant", [CANONICAL, *load_variants().values()], ids=lambda v: v.id)
def test_every_column_parses_like_parse_cell(variant: Variant) -> None:
    for layout in load_layouts().values():
        for column in layout.columns:
            fast = cell_parser(column, variant, layout.id)
            slow = partial(parse_cell, column, variant=variant, layout_id=layout.id)
            for cell in CELLS + CELLS:  # twice: the second time from what the parser remembers
                assert _outcome(fast, cell) == _outcome(slow, cell), (layout.id, column.id, cell)


def test_the_canonical_variant_is_the_default() -> None:
    assert get_variant(None) is CANONICAL
