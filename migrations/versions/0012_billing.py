"""Billing: ECM encounters, billing profiles, claims and lines, remittances and adjustments

Revision ID: 0012_billing
Revises: 0009_contacts
Create Date: 2026-11-23 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012_billing"
down_revision: str | tuple[str, ...] | None = "0009_contacts"
branch_labels: str | None = None
depends_on: str | None = None

STATUSES = "status IN ('built', 'paid', 'partial', 'denied')"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="RESTRICT"
    )


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _encounters() -> None:
    t = "ecm_encounters"
    op.create_table(
        t,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("provider_organization_id", sa.Uuid(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("staff_kind", sa.String(length=12), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "mode IN ('in_person', 'telephonic', 'video')", name=op.f(f"ck_{t}_mode")
        ),
        sa.CheckConstraint(
            "staff_kind IN ('clinical', 'non_clinical')", name=op.f(f"ck_{t}_staff_kind")
        ),
        _fk(t, "enrollment_id", "enrollments"),
        _fk(t, "member_id", "members"),
        _fk(t, "provider_organization_id", "organizations"),
        _fk(t, "recorded_by_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _indexes(t, "enrollment_id", "member_id", "provider_organization_id", "service_date")


def _profiles() -> None:
    t = "billing_profiles"
    op.create_table(
        t,
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("address_line", sa.String(length=55), nullable=False),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip_code", sa.String(length=9), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        _fk(t, "organization_id", "organizations"),
        sa.PrimaryKeyConstraint("organization_id", name=op.f(f"pk_{t}")),
    )


def _claims() -> None:
    t = "claims"
    op.create_table(
        t,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("provider_organization_id", sa.Uuid(), nullable=False),
        sa.Column("plan_organization_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=7), nullable=False),
        sa.Column("expected_amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("paid_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(STATUSES, name=op.f(f"ck_{t}_status")),
        _fk(t, "provider_organization_id", "organizations"),
        _fk(t, "plan_organization_id", "organizations"),
        _fk(t, "member_id", "members"),
        _fk(t, "authorization_id", "authorizations"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("number", name=op.f(f"uq_{t}_number")),
    )
    _indexes(t, "provider_organization_id", "plan_organization_id", "member_id", "period_start")


def _lines() -> None:
    t = "claim_lines"
    op.create_table(
        t,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=120), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("service_date_end", sa.Date(), nullable=False),
        sa.Column("procedure_code", sa.String(length=5), nullable=False),
        sa.Column("modifiers", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("units", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit_rate", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("charge", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("status", sa.String(length=7), nullable=False),
        sa.Column("paid_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f(f"ck_{t}_status")),
        _fk(t, "claim_id", "claims"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("source_key", name=op.f(f"uq_{t}_source_key")),
    )
    _indexes(t, "claim_id")


def _remittances() -> None:
    t = "remittances"
    op.create_table(
        t,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("payer_name", sa.String(length=100), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("total_paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "organization_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("organization_id", "digest", name=op.f(f"uq_{t}_organization_id")),
    )
    _indexes(t, "organization_id")
    a = "remittance_adjustments"
    op.create_table(
        a,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("remittance_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=True),
        sa.Column("claim_line_id", sa.Uuid(), nullable=True),
        sa.Column("group_code", sa.String(length=3), nullable=False),
        sa.Column("reason_code", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        _fk(a, "remittance_id", "remittances"),
        _fk(a, "claim_id", "claims"),
        _fk(a, "claim_line_id", "claim_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{a}")),
    )
    _indexes(a, "remittance_id", "claim_id")


def upgrade() -> None:
    """Apply this revision."""
    _encounters()
    _profiles()
    _claims()
    _lines()
    _remittances()


def downgrade() -> None:
    """Undo this revision."""
    for table in (
        "remittance_adjustments",
        "remittances",
        "claim_lines",
        "claims",
        "billing_profiles",
        "ecm_encounters",
    ):
        op.drop_table(table)
