"""Races settled by the database; 42 CFR Part 2 consents attested by the plan, and requests

- authorizations: at most one undecided (pending or presumptive) request per member and
  program, as a partial unique index (SQLite and PostgreSQL), so simultaneous requests cannot
  both create one.
- part2_consents: the plan's attestation of the signed form (document reference, scope), the
  request it answers, who recorded a revocation.
- part2_consent_requests: a provider asks the member's plan to obtain the member's consent.

Revision ID: 0017_race_part2
Revises: 0016_sessions
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017_race_part2"
down_revision: str | tuple[str, ...] | None = "0016_sessions"
branch_labels: str | None = None
depends_on: str | None = None

_UNDECIDED = sa.text("status IN ('pending', 'presumptive')")
_INDEX = "uq_authorizations_undecided_member_program"


def _refuse_duplicates() -> None:
    """Stop with what to do when undecided duplicates exist already (made by the old race)."""
    duplicates = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT member_id, program_id, COUNT(*) FROM authorizations "
                f"WHERE {_UNDECIDED.text} GROUP BY member_id, program_id HAVING COUNT(*) > 1"
            )
        )
        .all()
    )
    if duplicates:
        raise RuntimeError(
            f"{len(duplicates)} member(s) have more than one undecided authorization for the "
            "same program (left by simultaneous requests before this version). Withdraw the "
            "extra ones (POST /authorizations/{id}/withdraw), then run the upgrade again. "
            "First pair: member "
            f"{duplicates[0][0]}, program {duplicates[0][1]}."
        )


R = "part2_consent_requests"
C = "part2_consents"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="RESTRICT"
    )


def _consent_requests() -> None:
    op.create_table(
        R,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'recorded', 'declined')", name=op.f(f"ck_{R}_status")
        ),
        _fk(R, "member_id", "members"),
        _fk(R, "organization_id", "organizations"),
        _fk(R, "requested_by_user_id", "users"),
        _fk(R, "answered_by_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{R}")),
    )
    with op.batch_alter_table(R, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{R}_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f(f"ix_{R}_organization_id"), ["organization_id"], unique=False
        )


def _consent_attestation() -> None:
    with op.batch_alter_table(C, schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_reference", sa.String(length=200)))
        batch_op.add_column(sa.Column("scope", sa.Text()))
        batch_op.add_column(sa.Column("request_id", sa.Uuid()))
        batch_op.add_column(sa.Column("revoked_by_user_id", sa.Uuid()))
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{C}_request_id_{R}"), R, ["request_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{C}_revoked_by_user_id_users"),
            "users",
            ["revoked_by_user_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def upgrade() -> None:
    """Add the partial unique index on undecided authorizations, and the consent tables."""
    _consent_requests()
    _consent_attestation()
    _refuse_duplicates()
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.create_index(
            _INDEX,
            ["member_id", "program_id"],
            unique=True,
            sqlite_where=_UNDECIDED,
            postgresql_where=_UNDECIDED,
        )


def downgrade() -> None:
    """Drop the index, the consent columns and the requests table."""
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.drop_index(_INDEX)
    with op.batch_alter_table(C, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f"fk_{C}_revoked_by_user_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f(f"fk_{C}_request_id_{R}"), type_="foreignkey")
        for column in ("revoked_by_user_id", "request_id", "scope", "document_reference"):
            batch_op.drop_column(column)
    with op.batch_alter_table(R, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{R}_organization_id"))
        batch_op.drop_index(batch_op.f(f"ix_{R}_member_id"))
    op.drop_table(R)
