"""DuckDB SQL to Spark SQL: SQLGlot's transpiler plus the few rewrites it lacks for the SQL
calaim writes (map literals, full regular-expression matches, string slices)."""

from __future__ import annotations

from functools import cache

import sqlglot
from sqlglot import exp


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
