"""Sign-in sessions (revocable on the server) and failed sign-in counters (throttling)

Revision ID: 0016_sessions
Revises: 0015_remit_payments
Create Date: 2026-12-07 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016_sessions"
down_revision: str | tuple[str, ...] | None = "0015_remit_payments"
branch_labels: str | None = None
depends_on: str | None = None

SESSIONS = "sign_in_sessions"
THROTTLES = "sign_in_throttles"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        SESSIONS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f(f"fk_{SESSIONS}_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{SESSIONS}")),
    )
    with op.batch_alter_table(SESSIONS, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{SESSIONS}_user_id"), ["user_id"], unique=False)
    op.create_table(
        THROTTLES,
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f(f"pk_{THROTTLES}")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table(THROTTLES)
    with op.batch_alter_table(SESSIONS, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{SESSIONS}_user_id"))
    op.drop_table(SESSIONS)
