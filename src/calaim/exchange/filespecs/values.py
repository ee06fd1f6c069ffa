"""One cell both ways: a canonical value to its text in a plan's variant, and back, checked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial

from calaim.data.text_rules import ACTION, control_character_problem
from calaim.exchange.filespecs.adapters import Variant
from calaim.exchange.filespecs.code_sets import codes
from calaim.exchange.filespecs.errors import CellProblem
from calaim.exchange.filespecs.layout import Column, ColumnType
from calaim.exchange.filespecs.value_formats import FORMATS

# Canonical values: str for text-like types, date, int, Decimal, bool; None when empty.
Value = str | dt.date | int | Decimal | bool | None
# What a reader hands over: text from CSV; typed cells from a spreadsheet.
Cell = str | dt.datetime | dt.date | int | float | Decimal | bool | None

T = ColumnType
_DIGITS = {T.PHONE: 10, T.NPI: 10, T.TIN: 9}
_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")
_INTEGER = re.compile(r"^[+-]?\d{1,15}$")


def format_cell(column: Column, value: Value, variant: Variant, layout_id: str) -> str:
    """The text of `value` in the file, in the variant's spelling."""
    if value is None or value == "":
        return ""
    if column.type is T.DATE and isinstance(value, dt.date):
        return value.strftime(variant.date_format)
    if column.type is T.YES_NO:
        return variant.yes if value else variant.no
    text = str(value)
    if column.type is T.CODE:
        return variant.adapter(layout_id).codes.get(column.id, {}).get(text, text)
    return text


def cell_formatter(
    column: Column, variant: Variant, layout_id: str
) -> Callable[[Mapping[str, Value]], str]:
    """A function giving `format_cell` of the column's value in a row (built once per file)."""
    key = column.id
    if column.type is T.DATE and variant.date_format == "%Y-%m-%d":
        return partial(_iso_date, column, variant, layout_id, key)
    if column.type in (T.DATE, T.YES_NO, T.CODE):
        return lambda row: format_cell(column, row.get(key), variant, layout_id)

    def text(row: Mapping[str, Value]) -> str:
        value = row.get(key)
        return "" if value is None or value == "" else str(value)

    return text


def _iso_date(
    column: Column, variant: Variant, layout_id: str, key: str, row: Mapping[str, Value]
) -> str:
    value = row.get(key)
    # A plain date from year 1000 on: isoformat() is the same text as strftime("%Y-%m-%d").
    if type(value) is dt.date and value.year >= 1000:
        return value.isoformat()
    return format_cell(column, value, variant, layout_id)


def refuse_control_characters(text: str) -> None:
    """`CellProblem` for text the API would refuse too (a NUL, a line break: text_rules.py)."""
    problem = control_character_problem(text)
    if problem:
        raise CellProblem(problem, ACTION)


def parse_cell(column: Column, cell: Cell, variant: Variant, layout_id: str) -> Value:
    """The canonical value of a cell; `CellProblem` saying what is wrong and what to do."""
    if isinstance(cell, str):
        cell = cell.strip()
        refuse_control_characters(cell)
    if cell is None or cell == "":
        if column.required:
            raise CellProblem("a value is required", "fill in this column")
        return None
    try:
        return _typed(column, cell, variant, layout_id)
    except CellProblem as problem:
        value = other_format(column, cell)
        if value is None:
            raise problem from None
        return value


def other_format(column: Column, cell: Cell) -> Value:
    """The cell read by one of the column's declared other formats (None if none fits)."""
    if not isinstance(cell, str):
        return None
    for declared in column.formats:
        value = FORMATS[declared.name](cell)
        if value is not None:
            return value  # type: ignore[return-value]
    return None


def _typed(column: Column, cell: Cell, variant: Variant, layout_id: str) -> Value:
    if column.type is T.DATE:
        return _date(cell, variant)
    if column.type in (T.INTEGER, T.DECIMAL):
        return _number(column, cell)
    text = _text(cell)
    if column.type is T.YES_NO:
        return _yes_no(text, variant)
    if column.type is T.CODE:
        return _code(column, text, variant, layout_id)
    return _identifier(column, text)


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _date(cell: Cell, variant: Variant) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    shown = dt.date(2025, 1, 31).strftime(variant.date_format)
    try:
        return dt.datetime.strptime(str(cell), variant.date_format).date()
    except ValueError:
        raise CellProblem("not a date", f"write the date like {shown}") from None


def _number(column: Column, cell: Cell) -> int | Decimal:
    if isinstance(cell, bool):
        raise CellProblem("not a number", "write a number")
    text = repr(cell) if isinstance(cell, float) else str(cell)
    if column.type is T.INTEGER:
        if not _INTEGER.match(text.removesuffix(".0")):
            raise CellProblem("not a whole number", "write a whole number such as 15")
        return int(text.removesuffix(".0"))
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CellProblem("not a number", "write a number such as 125.50") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise CellProblem("not a usable amount", "write a finite number such as 125.50")
    return number


def _yes_no(text: str, variant: Variant) -> bool:
    if text == variant.yes:
        return True
    if text == variant.no:
        return False
    raise CellProblem("not a yes/no flag", f"write {variant.yes} or {variant.no}")


def _code(column: Column, text: str, variant: Variant, layout_id: str) -> str:
    plan_codes = variant.adapter(layout_id).codes.get(column.id, {})
    reverse = {plan: canonical for canonical, plan in plan_codes.items()}
    code = reverse.get(text, text)
    allowed = codes(column.code_set) if column.code_set else frozenset()
    if column.code_set and code not in allowed:
        shown = sorted(plan_codes.get(value, value) for value in allowed)
        raise CellProblem("not a known code", "use one of: " + ", ".join(shown))
    return code


def _identifier(column: Column, text: str) -> str:
    if column.type in _DIGITS:
        digits = re.sub(r"[\s().-]", "", text) if column.type is T.PHONE else text
        size = _DIGITS[column.type]
        if not (digits.isascii() and digits.isdigit() and len(digits) == size):
            raise CellProblem(f"not a {size}-digit {column.type.value}", f"write {size} digits")
        return digits
    if column.type is T.ZIP and not _ZIP.match(text):
        raise CellProblem("not a ZIP code", "write 5 digits, or ZIP+4 as 12345-6789")
    if column.max_length is not None and len(text) > column.max_length:
        raise CellProblem(
            f"longer than {column.max_length} characters", "shorten it or use the member's record"
        )
    return text
