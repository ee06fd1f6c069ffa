"""An index for the reports' ECM cohort: eligible determinations by program and date

Revision ID: 0035_progview
Revises: 0026_care_management
Create Date: 2026-12-07 15:30:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0035_progview"
down_revision: str | None = "0026_care_management"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """The funnel, quarterly report and program view read eligible rows only (a few percent)."""
    with op.batch_alter_table("member_determinations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_member_determinations_eligible", ["eligible", "program_id", "as_of"], unique=False
        )


def downgrade() -> None:
    """Drop the index."""
    with op.batch_alter_table("member_determinations", schema=None) as batch_op:
        batch_op.drop_index("ix_member_determinations_eligible")
