"""Per-column cell parsers built once per file: `values.parse_cell`'s rules, without its dispatch.

`cell_parser(column, variant, layout_id)` returns a function equal to
`lambda cell: parse_cell(column, cell, variant, layout_id)` (same values, same `CellProblem`s;
tests/exchange/filespecs/test_cell_parsers.py checks it), with the column's type, the variant's
codes and the code set resolved once instead of for every cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from calaim.exchange.filespecs.adapters import Variant
from calaim.exchange.filespecs.code_sets import codes
from calaim.exchange.filespecs.errors import CellProblem
from calaim.exchange.filespecs.layout import Column, ColumnType
from calaim.exchange.filespecs.values import (
    Cell,
    Value,
    _date,
    _identifier,
    _number,
    _text,
    _yes_no,
    other_format,
    refuse_control_characters,
)

T = ColumnType
Convert = Callable[[Cell], Value]


def cell_parser(column: Column, variant: Variant, layout_id: str) -> Convert:
    """A function parsing one cell of `column` as `parse_cell` does."""
    convert = _with_formats(column, _converter(column, variant, layout_id))
    required = column.required

    def parse(cell: Cell) -> Value:
        if isinstance(cell, str):
            cell = cell.strip()
            refuse_control_characters(cell)
        if cell is None or cell == "":
            if required:
                raise CellProblem("a value is required", "fill in this column")
            return None
        return convert(cell)

    return _remembered(parse)


def _with_formats(column: Column, convert: Convert) -> Convert:
    """`convert`, then the column's declared other formats when it fails."""
    if not column.formats:
        return convert

    def convert_any(cell: Cell) -> Value:
        try:
            return convert(cell)
        except CellProblem as problem:
            value = other_format(column, cell)
            if value is None:
                raise problem from None
            return value

    return convert_any


_UNSEEN = object()
# Distinct texts remembered per column and file: enough for every code, date and flag column;
# an identifier column (one value a row) stops adding and only pays the failed look-up.
REMEMBERED = 4096


def _remembered(parse: Convert) -> Convert:
    # Parsed values are immutable (str, date, int, Decimal, bool, None), so a text seen before
    # in this column of this file gets the same value without parsing it again. A text that
    # fails raises again every time (each row's problem is reported), so only values are kept.
    seen: dict[str, Value] = {}

    def parse_remembered(cell: Cell) -> Value:
        if type(cell) is not str:
            return parse(cell)
        value = seen.get(cell, _UNSEEN)
        if value is _UNSEEN:
            value = parse(cell)
            if len(seen) < REMEMBERED:
                seen[cell] = value
        return value  # type: ignore[return-value]

    return parse_remembered


def _converter(column: Column, variant: Variant, layout_id: str) -> Convert:
    if column.type is T.DATE:
        return _date_converter(variant)
    if column.type in (T.INTEGER, T.DECIMAL):
        return partial(_number, column)
    if column.type is T.YES_NO:
        return lambda cell: _yes_no(_text(cell), variant)
    if column.type is T.CODE:
        return _code_converter(column, variant, layout_id)
    return lambda cell: _identifier(column, _text(cell))


def _date_converter(variant: Variant) -> Convert:
    iso = variant.date_format == "%Y-%m-%d"

    def convert(cell: Cell) -> dt.date:
        # YYYY-MM-DD exactly is what strptime would accept too; anything else goes through it.
        if iso and isinstance(cell, str) and len(cell) == 10 and cell[4] == cell[7] == "-":
            head, month, day = cell[:4], cell[5:7], cell[8:]
            if head.isdigit() and month.isdigit() and day.isdigit() and cell.isascii():
                try:
                    return dt.date(int(head), int(month), int(day))
                except ValueError:
                    pass
        return _date(cell, variant)

    return convert


def _code_converter(column: Column, variant: Variant, layout_id: str) -> Convert:
    plan_codes = variant.adapter(layout_id).codes.get(column.id, {})
    reverse = {plan: canonical for canonical, plan in plan_codes.items()}
    allowed = codes(column.code_set) if column.code_set else None
    if allowed is None:
        return lambda cell: reverse.get(text := _text(cell), text)
    shown = ", ".join(sorted(plan_codes.get(value, value) for value in allowed))

    def convert(cell: Cell) -> str:
        text = _text(cell)
        code = reverse.get(text, text)
        if code not in allowed:
            raise CellProblem("not a known code", "use one of: " + shown)
        return code

    return convert
