"""Small SQL-building helpers for the generator: literals, seeded uniforms, weighted picks.

Randomness is hash-based: `u(key, stream)` hashes a row key, a stream number and the seed into
[0, 1). The same key and stream always give the same number, whatever the thread count or
row order, which is what makes the output byte-identical across runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import duckdb

Weighted = Mapping[str, float] | Sequence[tuple[str, float]]


def lit(value: str | int | float | date | None) -> str:
    """Render a Python value as a SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def list_lit(values: Iterable[str | int | float | None]) -> str:
    """Render a sequence as a DuckDB list literal."""
    return "[" + ", ".join(lit(v) for v in values) + "]"


def pick(u: str, items: Sequence[str | int | float | None]) -> str:
    """SQL expression picking one of `items` uniformly, driven by the uniform expression `u`."""
    return f"{list_lit(items)}[1 + floor(({u}) * {len(items)})::INTEGER]"


def expand_weights(weights: Weighted, resolution: int = 1000) -> list[str]:
    """Repeat each item in proportion to its weight (largest remainder), `resolution` in total."""
    pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
    total = sum(w for _, w in pairs)
    exact = [(item, w * resolution / total) for item, w in pairs]
    counts = {item: math.floor(x) for item, x in exact}
    short = resolution - sum(counts.values())
    for item, _ in sorted(exact, key=lambda p: p[1] - math.floor(p[1]), reverse=True)[:short]:
        counts[item] += 1
    return [item for item, _ in pairs for _ in range(counts[item])]


def wpick(u: str, weights: Weighted, resolution: int = 1000) -> str:
    """SQL expression picking an item with the given relative weights (a constant list lookup)."""
    return pick(u, expand_weights(weights, resolution))


def install_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Create the seeded random macros used by every generator query.

    `u(a, b)`/`u3(a, b, c)`: uniform [0, 1) from 53 hash bits (re-hashed once more, because
    DuckDB's multi-argument hash combines its inputs with a single multiply-xor).
    `znorm(a, b)`: a standard normal by Box-Muller over streams b and b+1.
    `sround(x, a, b)`: stochastic rounding, so an expected count 2.3 gives 2 or 3 and the mean
    is kept exactly: how per-member event rates become whole counts.
    """
    s = int(seed)
    scale = "(1.0 / 9007199254740992)"
    con.execute(
        f"CREATE OR REPLACE MACRO u(a, b) AS (hash(hash(a, b, {s})) >> 11)::DOUBLE * {scale}"
    )
    con.execute(
        f"CREATE OR REPLACE MACRO u3(a, b, c) AS (hash(hash(a, b, c, {s})) >> 11)::DOUBLE * {scale}"
    )
    con.execute(
        "CREATE OR REPLACE MACRO znorm(a, b) AS "
        "sqrt(-2 * ln(1 - u(a, b))) * cos(2 * pi() * u(a, b + 1))"
    )
    con.execute("CREATE OR REPLACE MACRO sround(x, a, b) AS floor(x + u(a, b))::INTEGER")
    # Geometric count >= 1 with continuation probability p (mean 1 / (1 - p)), capped.
    con.execute(
        "CREATE OR REPLACE MACRO geom(uu, p, cap) AS "
        "least(cap, 1 + floor(ln(1 - uu) / ln(p)))::INTEGER"
    )
    # Map a draw x in [0, covered) days of coverage onto a period day offset, skipping the gap.
    con.execute(
        "CREATE OR REPLACE MACRO dmap(x, cs, gs, gl) AS "
        "(CASE WHEN cs + x >= gs THEN cs + x + gl ELSE cs + x END)::INTEGER"
    )
    # Clamp a day offset into coverage [cs, ce]; a day inside the gap moves to the gap's eve.
    con.execute(
        "CREATE OR REPLACE MACRO clampcov(d, cs, ce, gs, gl) AS "
        "(CASE WHEN greatest(cs, least(ce, d)) >= gs AND greatest(cs, least(ce, d)) < gs + gl "
        "THEN gs - 1 ELSE greatest(cs, least(ce, d)) END)::INTEGER"
    )


def layered(source: str, *layers: Sequence[str]) -> str:
    """Nest SELECTs so each layer's expressions can use the columns named in earlier layers.

    DuckDB expands a reused select-list alias inline, so long alias chains in one SELECT
    recompute their inputs many times; one SELECT per layer computes each column once.
    """
    sql = f"SELECT * FROM {source}"
    for layer in layers:
        sql = f"SELECT *, {', '.join(layer)} FROM ({sql})"
    return sql
