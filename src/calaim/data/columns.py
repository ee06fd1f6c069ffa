"""SQL expressions that read, check and normalize one contract column.

A column comes from a source: a cleaned VARCHAR column of a CSV scratch table, or a Parquet
column of whatever type the file stores. Each expression is built two ways: a tolerant one
(`probe_sql`, NULL where a value is invalid) for the checks, and a strict one (`value_sql`) for
the relations the engine reads, which are only built once every check has passed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from calaim.data.contract import (
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    MEMBER_FACTS,
    Column,
    ColumnType,
    Table,
)

DUCKDB_TYPES: dict[ColumnType, str] = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DECIMAL: "DECIMAL(18,2)",
    ColumnType.BOOLEAN: "BOOLEAN",
}

# Spaces, tabs and line breaks around a value are noise from spreadsheets and exports.
WHITESPACE = "' ' || chr(9) || chr(10) || chr(13)"

DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
INTEGER_PATTERN = r"[+-]?[0-9]+"
DECIMAL_PATTERN = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"

COUNTY_COLUMNS = frozenset({("eligibility", "county"), ("member_county", "county")})
"""The columns whose values are California counties (name or Medi-Cal county code)."""
BILL_TYPE = ("medical_claim", "bill_type_code")
REVENUE_CODE = ("medical_claim", "revenue_center_code")
DIAGNOSIS_TYPE = "diagnosis_code_type"
ICD10 = "icd-10-cm"
CALIFORNIA_TIME = "America/Los_Angeles"
"""Timestamps with a time zone are read as the calendar date in California."""
FACT_VALUE = ("member_fact", "value", "fact")
"""The column whose type depends on another column: member_fact.value, typed by its fact."""

_INTEGER_TYPES = frozenset(
    ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
) | frozenset(("UINTEGER", "UBIGINT", "UHUGEINT"))
_FRACTION_TYPES = frozenset(["FLOAT", "DOUBLE"])
_ZONED_TYPES = frozenset(["TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"])
_DATE_TYPES = (
    frozenset(["DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"]) | _ZONED_TYPES
)


@dataclass(frozen=True)
class SourceColumn:
    """Where a contract column's values come from."""

    sql: str
    """SQL expression reading the column (a quoted identifier)."""
    type: str
    """DuckDB type of that expression, e.g. "VARCHAR" or "DECIMAL(10,2)"."""
    clean: bool = False
    """Already trimmed, with empty strings as NULL."""
    probe: str | None = None
    """SQL of the already computed tolerant typed value, if the source provides one."""


def sql_string(text: str) -> str:
    """Quote `text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """Quote `name` as a SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _in_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(sql_string(value) for value in values) + ")"


def text_sql(src: SourceColumn) -> str:
    """The column as trimmed VARCHAR, NULL when empty; used for checks and messages."""
    if src.clean:
        return src.sql
    value = src.sql if src.type == "VARCHAR" else f"TRY_CAST({src.sql} AS VARCHAR)"
    # trim() with a character list is several times slower than this test of both ends, and
    # almost every value needs no trimming (code 32 and below: space, tab, line breaks, '').
    edges = f"ascii({value}) <= 32 OR ascii(right({value}, 1)) <= 32"
    return f"CASE WHEN {edges} THEN nullif(trim({value}, {WHITESPACE}), '') ELSE {value} END"


def is_native(kind: ColumnType, src: SourceColumn) -> bool:
    """Whether the source already stores values of `kind` (so no text parsing is needed)."""
    base = src.type.split("(")[0]
    numeric = base in _INTEGER_TYPES or base in _FRACTION_TYPES or base == "DECIMAL"
    return {
        ColumnType.STRING: False,
        ColumnType.DATE: base in _DATE_TYPES,
        ColumnType.INTEGER: numeric,
        ColumnType.DECIMAL: numeric,
        ColumnType.BOOLEAN: base == "BOOLEAN",
    }[kind]


def parse_text(kind: ColumnType, text: str, strict: bool) -> str:
    """Typed value of a VARCHAR expression; when not `strict`, NULL if the text is invalid."""
    target = DUCKDB_TYPES[kind]
    if kind is ColumnType.STRING:
        return text
    if kind is ColumnType.BOOLEAN:
        return (
            f"CASE WHEN lower({text}) IN {_in_list(BOOLEAN_TRUE)} THEN true "
            f"WHEN lower({text}) IN {_in_list(BOOLEAN_FALSE)} THEN false END"
        )
    if strict:
        return f"CAST({text} AS {target})"
    # DuckDB's casts are lenient ('2024/3/5', '1.5' as an integer, '1_000'), the contract is not.
    pattern = {
        ColumnType.DATE: DATE_PATTERN,
        ColumnType.INTEGER: INTEGER_PATTERN,
        ColumnType.DECIMAL: DECIMAL_PATTERN,
    }[kind]
    matches = f"regexp_full_match({text}, {sql_string(pattern)})"
    return f"CASE WHEN {matches} THEN TRY_CAST({text} AS {target}) END"


def _parse_native(kind: ColumnType, src: SourceColumn, strict: bool) -> str:
    target = DUCKDB_TYPES[kind]
    if kind is ColumnType.DATE and src.type.split("(")[0] in _ZONED_TYPES:
        # A zoned instant's date depends on where you stand: take California's calendar date,
        # never the session's time zone.
        local = f"timezone({sql_string(CALIFORNIA_TIME)}, {src.sql})"
        return f"{'CAST' if strict else 'TRY_CAST'}({local} AS DATE)"
    if strict:
        return f"CAST({src.sql} AS {target})"
    base = src.type.split("(")[0]
    if kind is ColumnType.INTEGER and base not in _INTEGER_TYPES:
        # Parquet writers often store whole numbers as floats (a column with nulls in pandas).
        return f"CASE WHEN {src.sql} = trunc({src.sql}) THEN TRY_CAST({src.sql} AS {target}) END"
    return f"TRY_CAST({src.sql} AS {target})"


def typed_sql(kind: ColumnType, src: SourceColumn, strict: bool) -> str:
    """The column read as `kind`; when not `strict`, NULL where a value is invalid."""
    if is_native(kind, src):
        return _parse_native(kind, src, strict)
    return parse_text(kind, text_sql(src), strict)


def probe_sql(column: Column, src: SourceColumn) -> str:
    """Tolerant typed value: NULL where the value is missing or not of the column's type."""
    return src.probe or typed_sql(column.type, src, strict=False)


def invalid_sql(column: Column, src: SourceColumn) -> str | None:
    """Condition true on rows whose value is present but not of the column's type."""
    if column.type is ColumnType.STRING:
        return None
    present = (
        f"{src.sql} IS NOT NULL" if is_native(column.type, src) else f"{text_sql(src)} IS NOT NULL"
    )
    return f"{present} AND {probe_sql(column, src)} IS NULL"


@cache
def county_names() -> dict[str, str]:
    """County name by every accepted spelling: lower-case name, 'NN' code and 'N' code."""
    text = resources.files("calaim").joinpath("policy/reference/counties.csv").read_text("utf-8")
    names: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code, name = row["code"].strip(), row["name"].strip()
        names[name.lower()] = name
        names[code] = name
        names[str(int(code))] = name
    return names


def county_sql(text: str) -> str:
    """County name for a county name (any case) or Medi-Cal county code; NULL if unknown."""
    entries = ", ".join(f"{sql_string(k)}: {sql_string(v)}" for k, v in county_names().items())
    return f"MAP {{{entries}}}[lower({text})]"


def facts_of_type(kind: ColumnType) -> list[str]:
    """Member facts whose value has type `kind`."""
    return [fact for fact, fact_type in MEMBER_FACTS.items() if fact_type is kind]


def fact_value_sql(value_text: str, fact_text: str) -> str:
    """member_fact.value as normalized VARCHAR ('true'/'false', plain digits) for its fact."""
    branches = []
    for kind in ColumnType:
        facts = facts_of_type(kind)
        if facts and kind is not ColumnType.STRING:
            typed = parse_text(kind, value_text, strict=True)
            branches.append(
                f"WHEN lower({fact_text}) IN {_in_list(facts)} THEN CAST({typed} AS VARCHAR)"
            )
    if not branches:
        return value_text
    return f"CASE {' '.join(branches)} ELSE {value_text} END"


def bill_type_sql(text: str) -> str:
    """UB-04 type of bill without its leading zero: Tuva's '0111' is the contract's '111'."""
    return (
        f"CASE WHEN length({text}) = 4 AND starts_with({text}, '0') THEN {text}[2:] ELSE {text} END"
    )


def revenue_code_sql(text: str) -> str:
    """Revenue code as four digits: Tuva's '450' is the contract's '0450'."""
    return f"CASE WHEN regexp_full_match({text}, '[0-9]{{3}}') THEN '0' || {text} ELSE {text} END"


def icd10_only_sql(code: str, code_type: str) -> str:
    """The diagnosis code when the claim's codes are ICD-10-CM (or untyped), else NULL.

    The value sets are ICD-10-CM: an ICD-9-CM code matched against them is a wrong answer
    (ICD-9 E8490, an accident at home, starts like ICD-10 E84, cystic fibrosis).
    """
    icd10 = sql_string(ICD10)
    return f"CASE WHEN coalesce(lower({code_type}), {icd10}) = {icd10} THEN {code} END"


def is_diagnosis(table: Table, column: Column) -> bool:
    """Whether the column is one of medical_claim's diagnosis_code_N."""
    return table.name == "medical_claim" and column.name.startswith("diagnosis_code_")


def value_sql(table: Table, column: Column, sources: dict[str, SourceColumn]) -> str:
    """The column as the engine reads it: typed, normalized, NULL when the file lacks it."""
    src = sources.get(column.name)
    if src is None:
        return f"CAST(NULL AS {DUCKDB_TYPES[column.type]})"
    text = text_sql(src)
    key = (table.name, column.name)
    if key in COUNTY_COLUMNS:
        return county_sql(text)
    if key == FACT_VALUE[:2] and FACT_VALUE[2] in sources:
        return fact_value_sql(text, text_sql(sources[FACT_VALUE[2]]))
    if key == BILL_TYPE:
        return bill_type_sql(text)
    if key == REVENUE_CODE:
        return revenue_code_sql(text)
    if is_diagnosis(table, column) and column.name != DIAGNOSIS_TYPE and DIAGNOSIS_TYPE in sources:
        return icd10_only_sql(text, text_sql(sources[DIAGNOSIS_TYPE]))
    if column.vocabulary is not None or column.lower:
        return f"lower({text})"
    return typed_sql(column.type, src, strict=True)
