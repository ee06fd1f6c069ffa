"""Care management: the structured assessment, outreach outcomes, the best time to reach

Revision ID: 0026_care_management
Revises: 0022_inbox_tasks
Create Date: 2026-12-07 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0026_care_management"
down_revision: str | tuple[str, ...] | None = "0022_inbox_tasks"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("care_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assessment", sa.JSON(), nullable=True))
    with op.batch_alter_table("outreach_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("best_time_to_reach", sa.String(length=100), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("best_time_to_reach")
    with op.batch_alter_table("outreach_attempts", schema=None) as batch_op:
        batch_op.drop_column("outcome")
    with op.batch_alter_table("care_plans", schema=None) as batch_op:
        batch_op.drop_column("assessment")
