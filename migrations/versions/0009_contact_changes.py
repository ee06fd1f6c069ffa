"""Merge the ECM and closed-loop branches; members' changed addresses and phones

Revision ID: 0009_contacts
Revises: 0007_ecm, 0008_loop
Create Date: 2026-11-23 11:52:04.968583
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009_contacts"
down_revision: tuple[str, ...] | None = ("0007_ecm", "0008_loop")
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "member_contact_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=7), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "field IN ('address', 'phone')", name=op.f("ck_member_contact_changes_field")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_contact_changes_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_member_contact_changes_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_contact_changes")),
    )
    with op.batch_alter_table("member_contact_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_contact_changes_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_contact_changes_organization_id"),
            ["organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_member_contact_changes_effective_on"), ["effective_on"], unique=False
        )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("member_contact_changes")
