"""Checks of an opened input file against the contract, run as set-based SQL in DuckDB.

Every check of a file is one filtered aggregate of a single scan: it counts the bad rows and
keeps the first few (row number and the values to quote), so a clean 25M-row file costs one
pass whatever the number of columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

import duckdb

from calaim.data.columns import (
    COUNTY_COLUMNS,
    DATE_PATTERN,
    DECIMAL_PATTERN,
    FACT_VALUE,
    SourceColumn,
    county_sql,
    facts_of_type,
    invalid_sql,
    parse_text,
    probe_sql,
    quote_ident,
    sql_string,
    text_sql,
)
from calaim.data.contract import Column, ColumnType, Table
from calaim.data.errors import Problem
from calaim.data.sources import EXAMPLES, RawTable

Values = Sequence[str | None]


@dataclass(frozen=True)
class Check:
    """One kind of problem in one column, as SQL."""

    column: str
    label: str
    """What is wrong, for the line that counts rows beyond the examples."""
    condition: str
    """SQL condition, true on a bad row."""
    shown: tuple[str, ...]
    """VARCHAR SQL expressions whose values the message quotes."""
    describe: Callable[[Values], str]
    hint: str


_TYPE_HINTS = {
    ColumnType.DATE: "Use ISO dates like 2024-03-31",
    ColumnType.INTEGER: "Write a whole number such as 3, without decimals or separators",
    ColumnType.DECIMAL: "Write a plain number such as 1234.56, without currency signs or "
    "thousands separators",
    ColumnType.BOOLEAN: "Use true or false (yes/no, y/n, t/f and 1/0 are also accepted)",
}
_TYPE_NAMES = {
    ColumnType.DATE: "a date",
    ColumnType.INTEGER: "a whole number",
    ColumnType.DECIMAL: "a number",
    ColumnType.BOOLEAN: "true or false",
}


def header_problems(raw: RawTable) -> list[Problem]:
    """Required columns missing from the file, and contract columns named more than once."""
    found = [name.strip().lower() for name in raw.header]
    listed = ", ".join(name for name in raw.header[:30]) + (", ..." if len(found) > 30 else "")
    problems = []
    for column in raw.table.columns:
        if column.required and column.name not in found:
            message = f"the required column {column.name} is missing (found: {listed})"
            problems.append(
                Problem(raw.file, None, column.name, message, _missing_hint(raw, column))
            )
        elif found.count(column.name) > 1:
            spelled = ", ".join(repr(n) for n in raw.header if n.strip().lower() == column.name)
            message = f"the column appears {found.count(column.name)} times ({spelled})"
            hint = "Keep one column with this name (names are compared ignoring case)."
            problems.append(Problem(raw.file, None, column.name, message, hint))
    return problems


RENAMED = {"person_id": "patient_id"}
"""Contract column -> its name in Tuva input layers before the 2024 rename."""


def _missing_hint(raw: RawTable, column: Column) -> str:
    if len(raw.header) == 1 and any(sep in raw.header[0] for sep in ";\t|"):
        return "The file seems to use another separator; save it comma-separated."
    old = RENAMED.get(column.name)
    if old is not None and old in (name.strip().lower() for name in raw.header):
        return (
            f"This file has {old}, the Tuva Project's name for this column before its 2024 "
            f"rename: rename the column {old} to {column.name} (or re-export with a current "
            "Tuva version)."
        )
    return f"Add a column named {column.name} (names are case-insensitive)."


def value_problems(con: duckdb.DuckDBPyConnection, raw: RawTable) -> list[Problem]:
    """Every bad value of the file, at most EXAMPLES rows per check plus a count of the rest."""
    rows, columns = _projection(raw)
    checks = build_checks(raw.table, columns)
    if not checks:
        return []
    # Pass 1 only counts: building example lists costs even where no row matches.
    counted = ", ".join(f"count(*) FILTER (WHERE {check.condition})" for check in checks)
    counts = con.execute(f"SELECT {counted} FROM ({rows})").fetchall()[0]
    failed = [(check, count) for check, count in zip(checks, counts, strict=True) if count]
    if not failed:
        return []
    # Pass 2 collects the first rows of the failed checks only.
    examples = con.execute(
        f"SELECT {', '.join(_examples_sql(check) for check, _ in failed)} FROM ({rows})"
    ).fetchall()[0]
    problems: list[Problem] = []
    for (check, count), found in zip(failed, examples, strict=True):
        problems += _check_problems(raw.file, check, count, found)
    return problems


def _projection(raw: RawTable) -> tuple[str, dict[str, SourceColumn]]:
    """A query giving __row and each column, trimmed and parsed once for all the checks."""
    texts = [f"{raw.row_sql} AS __row"]
    typed = ["*"]
    columns: dict[str, SourceColumn] = {}
    for name, src in raw.columns.items():
        as_text = src.type == "VARCHAR"
        texts.append(f"{text_sql(src) if as_text else src.sql} AS {quote_ident(name)}")
        column = SourceColumn(quote_ident(name), src.type, clean=as_text)
        kind = raw.table.column(name).type
        if kind is not ColumnType.STRING:
            probe = quote_ident(f"{name}:typed")
            typed.append(f"{probe_sql(raw.table.column(name), column)} AS {probe}")
            column = replace(column, probe=probe)
        columns[name] = column
    inner = f"SELECT {', '.join(texts)} FROM {raw.relation}"
    return f"SELECT {', '.join(typed)} FROM ({inner})", columns


def _examples_sql(check: Check) -> str:
    shown = ", ".join(["__row::VARCHAR", *check.shown])
    return f"arg_min([{shown}], __row, {EXAMPLES}) FILTER (WHERE {check.condition})"


def _check_problems(
    file: str, check: Check, count: int, examples: list[list[str | None]]
) -> list[Problem]:
    problems = [
        Problem(file, int(str(row)), check.column, check.describe(values), check.hint)
        for row, *values in examples
    ]
    if count > len(examples):
        more = count - len(examples)
        message = f"{more:,} more rows where {check.label} (only the first {EXAMPLES} are listed)"
        problems.append(Problem(file, None, check.column, message, check.hint, count=more))
    return problems


def build_checks(table: Table, sources: dict[str, SourceColumn]) -> list[Check]:
    """Every check that applies to the columns present, in contract column order."""
    checks: list[Check] = []
    for column in table.columns:
        if column.name in sources:
            checks += _column_checks(table, column, sources)
    for order in table.date_orders:
        if order.start in sources and order.end in sources:
            checks.append(_order_check(table, order.start, order.end, sources))
    return checks


def _column_checks(table: Table, column: Column, sources: dict[str, SourceColumn]) -> list[Check]:
    src = sources[column.name]
    text = text_sql(src)
    checks = []
    if column.required:
        hint = f"Fill in {column.name} on every row; it is required."
        describe = partial(_fill, "the value is empty, but it is required")
        checks.append(
            Check(column.name, "the value is empty", f"{text} IS NULL", (), describe, hint)
        )
    invalid = invalid_sql(column, src)
    if invalid is not None:
        checks.append(_type_check(column, invalid, text))
    if column.vocabulary is not None:
        checks.append(_vocabulary_check(column, text))
    if (table.name, column.name) in COUNTY_COLUMNS:
        checks.append(_county_check(column, text))
    if (table.name, column.name) == FACT_VALUE[:2] and FACT_VALUE[2] in sources:
        checks += _fact_value_checks(column, text, text_sql(sources[FACT_VALUE[2]]))
    return checks


def _type_check(column: Column, condition: str, text: str) -> Check:
    kind = column.type
    hint = _TYPE_HINTS[kind] + (
        ", or leave the cell empty if unknown." if not column.required else "."
    )
    label = f"the value is not {_TYPE_NAMES[kind]}"
    return Check(column.name, label, condition, (text,), partial(_bad_value, kind), hint)


def _fill(template: str, values: Values) -> str:
    """The message `template` with {0}, {1}, ... replaced by the quoted values."""
    return template.format(*(repr(value) for value in values))


def _bad_value(kind: ColumnType, values: Values) -> str:
    """Why the value is not of `kind`, quoting it."""
    value = values[0]
    if kind is ColumnType.DATE:
        if value is not None and re.fullmatch(DATE_PATTERN, value):
            return f"{value!r} is not a real calendar date"
        return f"{value!r} is not a date in the form YYYY-MM-DD"
    if kind is ColumnType.DECIMAL and value is not None and re.fullmatch(DECIMAL_PATTERN, value):
        return f"{value!r} is too large (at most 16 digits before the decimal point)"
    return f"{value!r} is not {_TYPE_NAMES[kind]}"


def _vocabulary_check(column: Column, text: str) -> Check:
    allowed = tuple(column.vocabulary or ())
    condition = (
        f"{text} IS NOT NULL AND lower({text}) NOT IN ({', '.join(map(sql_string, allowed))})"
    )
    hint = f"Use one of: {', '.join(allowed)} (any letter case)."
    label = f"the value is not an allowed {column.name}"
    describe = partial(_fill, "{0} is not an allowed " + column.name)
    return Check(column.name, label, condition, (text,), describe, hint)


def _county_check(column: Column, text: str) -> Check:
    condition = f"{text} IS NOT NULL AND {county_sql(text)} IS NULL"
    hint = (
        "Use a California county name like Los Angeles or its two-digit Medi-Cal county code "
        "like 19 (see calaim/policy/reference/counties.csv)."
    )
    describe = partial(_fill, "{0} is not a California county")
    return Check(
        column.name, "the value is not a California county", condition, (text,), describe, hint
    )


def _fact_value_checks(column: Column, value: str, fact: str) -> list[Check]:
    """One check per value type of MEMBER_FACTS: the value must parse as its fact's type."""
    checks = []
    for kind in _TYPE_NAMES:
        facts = facts_of_type(kind)
        if not facts:
            continue
        is_fact = f"lower({fact}) IN ({', '.join(map(sql_string, facts))})"
        condition = (
            f"{value} IS NOT NULL AND {is_fact} AND {parse_text(kind, value, False)} IS NULL"
        )
        label = f"the value is not {_TYPE_NAMES[kind]}, as its fact requires"
        template = f"{{0}} is not a valid value for fact {{1}}, which takes {_TYPE_NAMES[kind]}"
        hint = f"{_TYPE_HINTS[kind]} for the facts {', '.join(facts)}."
        shown = (value, f"lower({fact})")
        checks.append(
            Check(column.name, label, condition, shown, partial(_fill_fact, template), hint)
        )
    return checks


def _fill_fact(template: str, values: Values) -> str:
    """Quote the value but not the fact name."""
    return template.format(repr(values[0]), values[1])


def _order_check(table: Table, start: str, end: str, sources: dict[str, SourceColumn]) -> Check:
    start_date = probe_sql(table.column(start), sources[start])
    end_date = probe_sql(table.column(end), sources[end])
    shown = (text_sql(sources[end]), text_sql(sources[start]))
    hint = f"Correct one of the two dates: {end} may not be before {start}."
    if not table.column(end).required:
        hint = hint[:-1] + f" (leave {end} empty if it is not known)."
    describe = partial(_fill, f"{end} {{0}} is before {start} {{1}}")
    label = f"{end} is before {start}"
    return Check(end, label, f"{end_date} < {start_date}", shown, describe, hint)
