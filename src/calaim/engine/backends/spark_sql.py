"""DuckDB SQL to Spark SQL: SQLGlot's transpiler plus the few rewrites it lacks for the SQL
calaim writes (map literals, full regular-expression matches, string slices, calendar
differences in years or months, intervals of a computed length)."""

from __future__ import annotations

from functools import cache

import sqlglot
from sqlglot import exp

CALENDAR = frozenset(("YEAR", "MONTH"))


def _rewrite(node: exp.Expression) -> exp.Expression:
    """One node in Spark's terms, where SQLGlot's own output would not run on Spark."""
    if isinstance(node, exp.ToMap) and isinstance(node.this, exp.Bracket):
        # DuckDB's MAP {'k': 'v'}[key] parses as MAP(struct[key]); Spark: map('k', 'v')[key].
        struct, keys = node.this.this, node.this.expressions
        if isinstance(struct, exp.Struct):
            pairs = [(item.this, item.expression) for item in struct.expressions]
            mapping = exp.VarMap(
                keys=exp.Array(expressions=[k for k, _ in pairs]),
                values=exp.Array(expressions=[v for _, v in pairs]),
            )
            return exp.Bracket(this=mapping, expressions=keys)
    if isinstance(node, exp.RegexpFullMatch):
        pattern = node.expression
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            anchored = exp.Literal.string(f"^(?:{pattern.this})$")
            return exp.RegexpLike(this=node.this, expression=anchored)
    if isinstance(node, exp.DateDiff) and node.unit and node.unit.name.upper() in CALENDAR:
        # DuckDB counts calendar boundaries crossed; Spark's DATEDIFF(YEAR, ...) counts whole
        # years elapsed. Year and month parts give DuckDB's meaning.
        later, earlier = node.this, node.expression
        years = exp.Sub(this=exp.Year(this=later), expression=exp.Year(this=earlier))
        if node.unit.name.upper() == "YEAR":
            return exp.Paren(this=years)
        months = exp.Sub(this=exp.Month(this=later), expression=exp.Month(this=earlier))
        twelve = exp.Mul(this=exp.Paren(this=years), expression=exp.Literal.number(12))
        return exp.Paren(this=exp.Add(this=twelve, expression=months))
    if isinstance(node, exp.Interval) and not isinstance(node.this, exp.Literal):
        unit = node.unit.name.upper() if node.unit else ""
        if unit in CALENDAR:
            # INTERVAL (n) YEAR: Spark takes literal intervals only; make_ym_interval(y, m).
            count = exp.cast(node.this.transform(_rewrite), "INT")
            parts = (
                [count, exp.Literal.number(0)] if unit == "YEAR" else [exp.Literal.number(0), count]
            )
            return exp.Anonymous(this="MAKE_YM_INTERVAL", expressions=parts)
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        part = node.expressions[0]
        if isinstance(part, exp.Slice) and part.expression is None:
            # text[2:] (the only slice calaim writes is on text): substring from position 2.
            return exp.Substring(this=node.this, start=part.this)
    return node


@cache
def to_spark(sql: str) -> str:
    """A DuckDB-dialect statement in Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(_rewrite).sql(dialect="spark")
