"""FHIR exchange: external identifiers of imported referrals

Revision ID: 0013_fhir
Revises: 0009_contacts
Create Date: 2026-11-23 12:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013_fhir"
down_revision: str | tuple[str, ...] | None = "0009_contacts"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "fhir_referral_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("system", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_fhir_referral_links_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_fhir_referral_links_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fhir_referral_links")),
        sa.UniqueConstraint(
            "organization_id",
            "system",
            "value",
            name=op.f("uq_fhir_referral_links_organization_id"),
        ),
    )
    with op.batch_alter_table("fhir_referral_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fhir_referral_links_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fhir_referral_links_referral_id"), ["referral_id"], unique=False
        )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("fhir_referral_links")
