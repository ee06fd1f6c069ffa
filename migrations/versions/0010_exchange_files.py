"""DHCS exchange files applied by each organization (idempotent re-ingest by content hash)

Revision ID: 0010_files
Revises: 0009_contacts
Create Date: 2026-11-23 12:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010_files"
down_revision: str | tuple[str, ...] | None = "0009_contacts"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "exchange_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("sender_organization_id", sa.Uuid(), nullable=True),
        sa.Column("layout_id", sa.String(length=40), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("reporting_period", sa.String(length=7), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("ingested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_exchange_files_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["sender_organization_id"],
            ["organizations.id"],
            name=op.f("fk_exchange_files_sender_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ingested_by_user_id"],
            ["users.id"],
            name=op.f("fk_exchange_files_ingested_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_files")),
        sa.UniqueConstraint(
            "organization_id",
            "layout_id",
            "sha256",
            name=op.f("uq_exchange_files_organization_id"),
        ),
    )
    with op.batch_alter_table("exchange_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_files_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("exchange_files")
