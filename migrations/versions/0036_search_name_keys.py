"""Search: key-range indexes on the lower-cased names, for the exact pass of a name search.

`ix_members_last_first` (last name, first name) and `ix_members_first_last` (first name, last
name), both lower-cased: the search reads "every member whose last name starts with garcia"
as a range of the index, alphabetically, and stops after the first rows in the user's scope
(ops/search/repository.py). On PostgreSQL the keys use the "C" collation, so a prefix is a
byte range whatever the database's collation (the repository compares in "C" too).

A later migration that rebuilds `members` in batch mode on SQLite drops expression indexes:
call `name_key_indexes()` again after it.

Revision ID: 0036_search_name_keys
Revises: 0035_progview
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0036_search_name_keys"
down_revision: str | tuple[str, ...] | None = "0035_progview"
branch_labels: str | None = None
depends_on: str | None = None

INDEXES = {
    "ix_members_last_first": ("last_name", "first_name"),
    "ix_members_first_last": ("first_name", "last_name"),
}


def name_key_indexes() -> None:
    """(Re)create both name key indexes."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, columns in INDEXES.items():
        keys = ", ".join(
            f'(lower({column}) COLLATE "C")' if postgres else f"lower({column})"
            for column in columns
        )
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON members ({keys})")


def upgrade() -> None:
    name_key_indexes()


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
