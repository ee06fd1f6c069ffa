"""Referrals and their transitions (the closed-loop referral history)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 08:33:48.878429
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

# The vocabularies as of this revision (frozen here: later model changes need a new revision).
_STATUSES = "('received', 'accepted', 'declined', 'in_progress', 'services_received', 'closed')"
_SOURCES = (
    "('plan', 'provider', 'hospital', 'clinic', 'county_behavioral_health', 'jail', "
    "'member_or_family', 'other')"
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("referring_organization_id", sa.Uuid(), nullable=False),
        sa.Column("receiving_organization_id", sa.Uuid(), nullable=True),
        sa.Column("source_kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=17), nullable=False),
        sa.Column("reason_codes", sa.String(length=200), nullable=True),
        sa.Column("decline_reason", sa.String(length=200), nullable=True),
        sa.Column("closure_reason", sa.String(length=200), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            f"source_kind IN {_SOURCES}",
            name=op.f("ck_referrals_source_kind"),
        ),
        sa.CheckConstraint(
            f"status IN {_STATUSES}",
            name=op.f("ck_referrals_status"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_referrals_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["receiving_organization_id"],
            ["organizations.id"],
            name=op.f("fk_referrals_receiving_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referring_organization_id"],
            ["organizations.id"],
            name=op.f("fk_referrals_referring_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_program_id"), ["program_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referrals_receiving_organization_id"),
            ["receiving_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_referrals_referring_organization_id"),
            ["referring_organization_id"],
            unique=False,
        )

    op.create_table(
        "referral_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=17), nullable=True),
        sa.Column("to_status", sa.String(length=17), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            f"from_status IN {_STATUSES}",
            name=op.f("ck_referral_transitions_from_status"),
        ),
        sa.CheckConstraint(
            f"to_status IN {_STATUSES}",
            name=op.f("ck_referral_transitions_to_status"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_referral_transitions_actor_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_transitions_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_transitions")),
    )
    with op.batch_alter_table("referral_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_transitions_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_transitions_referral_id"), ["referral_id"], unique=False
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("referral_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_transitions_referral_id"))
        batch_op.drop_index(batch_op.f("ix_referral_transitions_actor_user_id"))

    op.drop_table("referral_transitions")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_referring_organization_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_receiving_organization_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_program_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_member_id"))

    op.drop_table("referrals")
