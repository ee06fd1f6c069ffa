"""Guards: the ECM authorization override on enrollments

An ECM assignment needs an approved or presumptive ECM authorization, or an override the plan
records with a reason: who made it and when are stored on the enrollment.

Revision ID: 0018_guards
Revises: 0017_race_part2
Create Date: 2026-12-07 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018_guards"
down_revision: str | tuple[str, ...] | None = "0017_race_part2"
branch_labels: str | None = None
depends_on: str | None = None

T = "enrollments"
BY = "authorization_override_by_user_id"


def upgrade() -> None:
    with op.batch_alter_table(T, schema=None) as batch_op:
        batch_op.add_column(sa.Column("authorization_override_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column(BY, sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("authorization_override_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            op.f(f"fk_{T}_{BY}_users"), "users", [BY], ["id"], ondelete="RESTRICT"
        )


def downgrade() -> None:
    with op.batch_alter_table(T, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"fk_{T}_{BY}_users"), type_="foreignkey")
        batch_op.drop_column("authorization_override_at")
        batch_op.drop_column(BY)
        batch_op.drop_column("authorization_override_reason")
