"""Billing: remittance_payments, the per-835 payment ledger of claims and lines

Every CLP and SVC an 835 reports becomes a row; a claim's paid amount is their sum, so a later
remittance (another payment, a reversal, a correction) adds to the earlier ones instead of
overwriting them. Amounts already stored on claims and lines are carried over as one row each
with no remittance.

Revision ID: 0015_remit_payments
Revises: 0014_merge
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision: str = "0015_remit_payments"
down_revision: str | tuple[str, ...] | None = "0014_merge"
branch_labels: str | None = None
depends_on: str | None = None

T = "remittance_payments"


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{T}_{column}_{target}"), ondelete="RESTRICT"
    )


def _carry_over(payments: sa.Table) -> None:
    """One row per claim and line already paid, so sums match what was stored before."""
    bind = op.get_bind()
    claims = sa.table(
        "claims",
        sa.column("id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("expected_amount", sa.Numeric(12, 2)),
        sa.column("paid_amount", sa.Numeric(12, 2)),
    )
    lines = sa.table(
        "claim_lines",
        sa.column("id", sa.Uuid()),
        sa.column("claim_id", sa.Uuid()),
        sa.column("charge", sa.Numeric(12, 2)),
        sa.column("paid_amount", sa.Numeric(12, 2)),
    )
    rows = [
        {"claim_id": claim_id, "claim_line_id": None, "status": status, "charge": e, "paid": p}
        for claim_id, status, e, p in bind.execute(
            sa.select(
                claims.c.id, claims.c.status, claims.c.expected_amount, claims.c.paid_amount
            ).where(claims.c.paid_amount.is_not(None))
        )
    ] + [
        {"claim_id": claim_id, "claim_line_id": line_id, "status": "", "charge": c, "paid": p}
        for line_id, claim_id, c, p in bind.execute(
            sa.select(lines.c.id, lines.c.claim_id, lines.c.charge, lines.c.paid_amount).where(
                lines.c.paid_amount.is_not(None)
            )
        )
    ]
    now = dt.datetime.now(dt.UTC)
    if rows:
        op.bulk_insert(
            payments,
            [
                {
                    "id": uuid.uuid4(),
                    "remittance_id": None,
                    "claim_id": row["claim_id"],
                    "claim_line_id": row["claim_line_id"],
                    "status_code": "4" if row["status"] == "denied" else "1",
                    "payer_claim_number": "",
                    "charge": row["charge"],
                    "paid": row["paid"],
                    "segment": 0,
                    "reversed_by_id": None,
                    "posted_at": now,
                }
                for row in rows
            ],
        )


def upgrade() -> None:
    """Apply this revision."""
    payments = op.create_table(
        T,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("remittance_id", sa.Uuid(), nullable=True),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("claim_line_id", sa.Uuid(), nullable=True),
        sa.Column("status_code", sa.String(length=2), nullable=False),
        sa.Column("payer_claim_number", sa.String(length=50), nullable=False),
        sa.Column("charge", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("reversed_by_id", sa.Uuid(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        _fk("remittance_id", "remittances"),
        _fk("claim_id", "claims"),
        _fk("claim_line_id", "claim_lines"),
        _fk("reversed_by_id", T),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
    )
    with op.batch_alter_table(T, schema=None) as batch_op:
        for column in ("remittance_id", "claim_id", "claim_line_id"):
            batch_op.create_index(batch_op.f(f"ix_{T}_{column}"), [column], unique=False)
    if payments is not None:
        _carry_over(payments)


def downgrade() -> None:
    """Undo this revision (the claims keep their summed paid amounts)."""
    op.drop_table(T)
