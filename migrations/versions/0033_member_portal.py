"""Member portal: a `member` role, members' accounts and one-time sign-in codes

Revision ID: 0033_member_portal
Revises: 0026_care_management
Create Date: 2026-12-07 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0033_member_portal"
down_revision: str | tuple[str, ...] | None = "0026_care_management"
branch_labels: str | None = None
depends_on: str | None = None

BEFORE = (
    "plan_utilization_management",
    "plan_care_coordination",
    "plan_admin",
    "lead_care_manager",
    "ecm_supervisor",
    "cs_provider_staff",
    "referrer",
    "state_analyst",
)


def _roles() -> list[str]:
    # Every role the code knows now, so a role another revision added is kept too.
    from calaim.ops.models.user import Role

    return sorted({*BEFORE, *(role.value for role in Role)})


def _role_check(roles: list[str] | tuple[str, ...]) -> None:
    allowed = ", ".join(f"'{role}'" for role in roles)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint("role", f"role IN ({allowed})")


def upgrade() -> None:
    """Apply this revision."""
    _role_check(_roles())
    op.create_table(
        "member_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("holder", sa.String(length=14), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "holder IN ('self', 'representative')", name=op.f("ck_member_accounts_holder")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_accounts_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_member_accounts_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_accounts")),
        sa.UniqueConstraint("user_id", name=op.f("uq_member_accounts_user_id")),
    )
    with op.batch_alter_table("member_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_accounts_member_id"), ["member_id"])
    op.create_table(
        "member_sign_in_codes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_sign_in_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_sign_in_codes")),
    )
    with op.batch_alter_table("member_sign_in_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_sign_in_codes_user_id"), ["user_id"])


def downgrade() -> None:
    """Revert this revision (member users must be removed first)."""
    op.drop_table("member_sign_in_codes")
    op.drop_table("member_accounts")
    _role_check([role for role in _roles() if role != "member"])
