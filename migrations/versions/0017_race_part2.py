"""Races settled by the database; 42 CFR Part 2 consents attested by the plan, and requests

- authorizations: at most one undecided (pending or presumptive) request per member and
  program, as a partial unique index (SQLite and PostgreSQL), so simultaneous requests cannot
  both create one.

Revision ID: 0017_race_part2
Revises: 0016_sessions
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017_race_part2"
down_revision: str | tuple[str, ...] | None = "0016_sessions"
branch_labels: str | None = None
depends_on: str | None = None

_UNDECIDED = sa.text("status IN ('pending', 'presumptive')")
_INDEX = "uq_authorizations_undecided_member_program"


def _refuse_duplicates() -> None:
    """Stop with what to do when undecided duplicates exist already (made by the old race)."""
    duplicates = op.get_bind().execute(
        sa.text(
            "SELECT member_id, program_id, COUNT(*) FROM authorizations "
            f"WHERE {_UNDECIDED.text} GROUP BY member_id, program_id HAVING COUNT(*) > 1"
        )
    ).all()
    if duplicates:
        raise RuntimeError(
            f"{len(duplicates)} member(s) have more than one undecided authorization for the "
            "same program (left by simultaneous requests before this version). Withdraw the "
            "extra ones (POST /authorizations/{id}/withdraw), then run the upgrade again. "
            "First pair: member "
            f"{duplicates[0][0]}, program {duplicates[0][1]}."
        )


def upgrade() -> None:
    """Add the partial unique index on undecided authorizations."""
    _refuse_duplicates()
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.create_index(
            _INDEX,
            ["member_id", "program_id"],
            unique=True,
            sqlite_where=_UNDECIDED,
            postgresql_where=_UNDECIDED,
        )


def downgrade() -> None:
    """Drop the index."""
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.drop_index(_INDEX)
