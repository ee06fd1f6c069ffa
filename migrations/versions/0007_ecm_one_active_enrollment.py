"""ECM: at most one active (not discontinued) enrollment per member, enforced by the database

Revision ID: 0007_ecm
Revises: 0004
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_ecm"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

# A partial unique index (SQLite and PostgreSQL both have them): two simultaneous
# assignments of the same member cannot both succeed.
_ACTIVE = sa.text("status <> 'discontinued'")


def upgrade() -> None:
    """Add the partial unique index on enrollments(member_id) for active enrollments."""
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.create_index(
            "uq_enrollments_active_member",
            ["member_id"],
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        )


def downgrade() -> None:
    """Drop the index."""
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_index("uq_enrollments_active_member")
