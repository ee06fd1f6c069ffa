"""Closed-loop referrals: the standardized referral form per referral and referrer

Revision ID: 0008_loop
Revises: 0004
Create Date: 2026-11-23 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_loop"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "referral_forms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("referrer_contact_name", sa.String(length=200), nullable=True),
        sa.Column("referrer_contact_phone", sa.String(length=20), nullable=True),
        sa.Column("referrer_contact_email", sa.String(length=320), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_services", sa.String(length=500), nullable=True),
        sa.Column("urgency", sa.String(length=7), nullable=False),
        sa.Column("member_phone", sa.String(length=20), nullable=True),
        sa.Column("member_contact_preference", sa.String(length=9), nullable=True),
        sa.Column("member_consented", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "urgency IN ('routine', 'urgent')", name=op.f("ck_referral_forms_urgency")
        ),
        sa.CheckConstraint(
            "member_contact_preference IN ('phone', 'text', 'email', 'mail', 'in_person')",
            name=op.f("ck_referral_forms_member_contact_preference"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_forms_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_referral_forms_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"],
            ["users.id"],
            name=op.f("fk_referral_forms_submitted_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_forms")),
        sa.UniqueConstraint(
            "referral_id", "organization_id", name=op.f("uq_referral_forms_referral_id")
        ),
    )
    with op.batch_alter_table("referral_forms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_forms_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_forms_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("referral_forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_forms_organization_id"))
        batch_op.drop_index(batch_op.f("ix_referral_forms_referral_id"))
    op.drop_table("referral_forms")
