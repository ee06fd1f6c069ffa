"""Cell checks of a roster read into `raw_roster`: every bad cell by row and column, in SQL
and in one pass over the file, then the normalized table `incoming`."""

from __future__ import annotations

import datetime as dt

import duckdb

from calaim.data.text_rules import ACTION, CONTROL_CHARACTER_SQL
from calaim.exchange.linkage.errors import SHOWN, RosterInvalid, RosterProblem
from calaim.exchange.linkage.layout import RosterField, roster_fields
from calaim.exchange.linkage.normalize import DATE_FORMATS, normalized_select
from calaim.exchange.linkage.reader import RAW_TABLE

INCOMING = "incoming"
PROBLEMS = "roster_problems"
MAX_TEXT = 200

# (condition on the trimmed value `$v`, message) per field type; `$v` is never empty here.
TYPE_CHECKS: dict[str, tuple[str, str]] = {
    "cin": (
        "not regexp_full_match($v, '[0-9A-Za-z]{8,14}')",
        "is not a CIN (8 to 14 letters, digits)",
    ),
    "date": (
        f"try_strptime($v, {DATE_FORMATS}) is null "
        f"or year(try_strptime($v, {DATE_FORMATS})) not between 1900 and 2100",
        "is not a date; write YYYY-MM-DD",
    ),
    "sex": (
        "upper($v) not in ('M', 'F', 'U', 'X', 'MALE', 'FEMALE', 'UNKNOWN')",
        "is not a sex; write M, F or U",
    ),
    "zip": ("not regexp_full_match($v, '[0-9]{5}(-?[0-9]{4})?')", "is not a ZIP code (5 digits)"),
    "phone": (
        "length(regexp_replace($v, '[^0-9]', '', 'g')) not in (10, 11) "
        "or regexp_full_match($v, '.*[A-Za-z].*')",
        "is not a 10-digit phone number",
    ),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _checks(field: RosterField, header: str, as_of: dt.date) -> list[str]:
    """Expressions giving a problem (column, message) for a bad cell of one field, else null."""
    v = f"trim({field.name})"

    def bad(message: str, condition: str) -> str:
        problem = f"{{'col': {_quote(header)}, 'message': {_quote(message)}}}"
        return f"case when {condition} then {problem} end"

    out = [
        # The API's rule (text_rules.py): no NUL, tab, line break or other control character.
        bad(
            f"holds a control character; {ACTION}",
            f"regexp_matches({v}, '{CONTROL_CHARACTER_SQL}')",
        ),
        bad(f"is longer than {MAX_TEXT} characters", f"length({v}) > {MAX_TEXT}"),
    ]
    if field.required:
        out.append(bad(f"is empty; every row needs {field.name}", f"coalesce({v}, '') = ''"))
    if field.type in TYPE_CHECKS:
        condition, message = TYPE_CHECKS[field.type]
        out.append(bad(message, f"coalesce({v}, '') <> '' and ({condition.replace('$v', v)})"))
    if field.name == "birth_date":
        day = as_of.isoformat()
        out.append(
            bad(
                f"is after the file's as-of date {day}",
                f"try_strptime({v}, {DATE_FORMATS}) > DATE '{day}'",
            )
        )
    return out


def check_and_normalize(
    con: duckdb.DuckDBPyConnection, name: str, headers: dict[str, str], as_of: dt.date
) -> int:
    """Raise `RosterInvalid` listing bad cells (nothing is read); else build `incoming`."""
    rows = con.execute(f"select count(*) from {RAW_TABLE}").fetchall()[0][0]
    if rows == 0:
        raise RosterInvalid([RosterProblem(name, None, None, "has no rows under its header")])
    cases = [
        sql
        for field in roster_fields()
        if field.name in headers
        for sql in _checks(field, headers[field.name], as_of)
    ]
    # One pass over the file: each row's list of problems, unnested.
    con.execute(
        f"create or replace temp table {PROBLEMS} as "
        "select row_number, struct_extract(p, 'col') as col, "
        "struct_extract(p, 'message') as message from ("
        f"select row_number, unnest(list_filter([{', '.join(cases)}], "
        f"lambda x: x is not null)) as p from {RAW_TABLE})"
    )
    total = con.execute(f"select count(*) from {PROBLEMS}").fetchall()[0][0]
    if total:
        found = con.execute(
            f"select * from {PROBLEMS} order by row_number, col limit {SHOWN}"
        ).fetchall()
        raise RosterInvalid([RosterProblem(name, r, c, m) for r, c, m in found], total)
    columns = ["row_number", *(field.name for field in roster_fields())]
    con.execute(
        f"create or replace table {INCOMING} as "
        f"select 'i' || row_number as unique_id, * from ({normalized_select(RAW_TABLE, columns)})"
    )
    return int(rows)
