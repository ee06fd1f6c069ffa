"""The query planner's statistics: refreshed after migrations, bulk imports and demo seeding.

Without statistics SQLite's planner guesses: for `phone IN (...)` or a name's key range on a
plan's members it preferred the plan's index (half the table) over the selective one, so a
phone look-up read 100,000 rows (docs/benchmarks.md, search). `ANALYZE` tells it how many
rows each index value matches. On SQLite it samples (`analysis_limit`), so it takes tens of
milliseconds even on a large file; PostgreSQL samples by itself and autovacuum repeats it
later, but a bulk import should not wait for that.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

# Rows SQLite reads per index for its statistics (its documentation suggests a few hundred).
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(bind: Engine | Connection, tables: tuple[str, ...] = ()) -> None:
    """Run `ANALYZE` (every table, or `tables`) so the planner picks the selective index."""
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            refresh_statistics(connection, tables)
        return
    if bind.dialect.name == "sqlite":
        bind.execute(text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
    if not tables:
        bind.execute(text("ANALYZE"))
    for table in tables:
        bind.execute(text(f"ANALYZE {bind.dialect.identifier_preparer.quote(table)}"))
