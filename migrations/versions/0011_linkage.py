"""Roster linkage: linked persons (stable ids), their records, and reconciliation reports

Revision ID: 0011_linkage
Revises: 0009_contacts
Create Date: 2026-11-23 12:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011_linkage"
down_revision: str | tuple[str, ...] | None = "0009_contacts"
branch_labels: str | None = None
depends_on: str | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "linked_persons",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("first_seen_on", sa.Date(), nullable=False),
        sa.Column("last_seen_on", sa.Date(), nullable=False),
        sa.Column("disenrolled_on", sa.Date(), nullable=True),
        _fk("linked_persons", "organization_id", "organizations"),
        _fk("linked_persons", "member_id", "members"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linked_persons")),
        sa.UniqueConstraint(
            "organization_id", "member_id", name=op.f("uq_linked_persons_organization_id")
        ),
    )
    _indexes("linked_persons", ["organization_id", "member_id"])
    op.create_table(
        "person_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("cin", sa.String(length=20), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("address_line", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("zip_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        _fk("person_records", "person_id", "linked_persons"),
        _fk("person_records", "organization_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_records")),
        sa.UniqueConstraint("person_id", "fingerprint", name=op.f("uq_person_records_person_id")),
    )
    _indexes("person_records", ["person_id", "organization_id"])
    op.create_table(
        "roster_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('member-file', 'provider-roster')", name=op.f("ck_roster_reports_kind")
        ),
        _fk("roster_reports", "organization_id", "organizations"),
        _fk("roster_reports", "actor_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_reports")),
    )
    _indexes("roster_reports", ["organization_id", "created_at"])


def _indexes(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("roster_reports")
    op.drop_table("person_records")
    op.drop_table("linked_persons")
