"""Workflows: determinations, authorizations, ECM enrollment, outreach, care plans,
Community Supports episodes, notices, Part 2 consents, referral parties, idempotency keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:53:45.908936
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_idempotency_keys_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint(
            "organization_id", "key", name=op.f("uq_idempotency_keys_organization_id")
        ),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "provider_profiles",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("tin", sa.String(length=9), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("programs_served", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("contracted_plans", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_profiles_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_provider_profiles")),
    )
    op.create_table(
        "member_determinations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("offered", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rule_version", sa.String(length=40), nullable=False),
        sa.Column("policy_hash", sa.String(length=80), nullable=False),
        sa.Column("part2", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_determinations_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_determinations")),
        sa.UniqueConstraint(
            "member_id", "program_id", "as_of", name=op.f("uq_member_determinations_member_id")
        ),
    )
    with op.batch_alter_table("member_determinations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_determinations_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "notices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=22), nullable=False),
        sa.Column("recipient", sa.String(length=12), nullable=False),
        sa.Column("recipient_organization_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.CheckConstraint("channel IN ('electronic', 'mail')", name=op.f("ck_notices_channel")),
        sa.CheckConstraint(
            "kind IN ('referral_received', 'assignment_to_member', 'assignment_to_referrer', 'referral_declined', 'referral_closed', 'authorization_approved', 'authorization_denied', 'authorization_delayed', 'ecm_discontinued')",
            name=op.f("ck_notices_kind"),
        ),
        sa.CheckConstraint(
            "recipient IN ('member', 'organization')", name=op.f("ck_notices_recipient")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_notices_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_organization_id"],
            ["organizations.id"],
            name=op.f("fk_notices_recipient_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_notices_recipient_organization_id"),
            ["recipient_organization_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_notices_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "part2_consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_part2_consents_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_part2_consents_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_part2_consents_recorded_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part2_consents")),
    )
    with op.batch_alter_table("part2_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_part2_consents_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_part2_consents_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_status_changes_actor_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_changes_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_status_changes_entity_id"), ["entity_id"], unique=False
        )

    op.create_table(
        "authorizations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("plan_organization_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("provider_organization_id", sa.Uuid(), nullable=True),
        sa.Column("previous_authorization_id", sa.Uuid(), nullable=True),
        sa.Column("urgency", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=11), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("decision_basis", sa.String(length=20), nullable=True),
        sa.Column("denial_reason_code", sa.String(length=20), nullable=True),
        sa.Column("denial_reason", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("presumptive_until", sa.Date(), nullable=True),
        sa.Column("units_authorized", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("amount_authorized", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'presumptive', 'approved', 'denied', 'withdrawn')",
            name=op.f("ck_authorizations_status"),
        ),
        sa.CheckConstraint(
            "urgency IN ('routine', 'expedited')", name=op.f("ck_authorizations_urgency")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["users.id"],
            name=op.f("fk_authorizations_decided_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_authorizations_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_organization_id"],
            ["organizations.id"],
            name=op.f("fk_authorizations_plan_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["previous_authorization_id"],
            ["authorizations.id"],
            name=op.f("fk_authorizations_previous_authorization_id_authorizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_organization_id"],
            ["organizations.id"],
            name=op.f("fk_authorizations_provider_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_authorizations_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorizations")),
    )
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_authorizations_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_authorizations_plan_organization_id"),
            ["plan_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_authorizations_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_authorizations_provider_organization_id"),
            ["provider_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_authorizations_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "referral_parties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_referral_parties_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_parties_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_parties")),
        sa.UniqueConstraint(
            "referral_id", "organization_id", name=op.f("uq_referral_parties_referral_id")
        ),
    )
    with op.batch_alter_table("referral_parties", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_parties_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_parties_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "enrollments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("plan_organization_id", sa.Uuid(), nullable=False),
        sa.Column("provider_organization_id", sa.Uuid(), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=True),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("assignment_reason", sa.String(length=14), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("outreach_started_on", sa.Date(), nullable=True),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        sa.Column("discontinued_on", sa.Date(), nullable=True),
        sa.Column("discontinuation_reason_code", sa.String(length=20), nullable=True),
        sa.Column("discontinuation_reason", sa.Text(), nullable=True),
        sa.Column("lead_care_manager_user_id", sa.Uuid(), nullable=True),
        sa.Column("acuity", sa.String(length=6), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "acuity IN ('low', 'medium', 'high')", name=op.f("ck_enrollments_acuity")
        ),
        sa.CheckConstraint(
            "assignment_reason IN ('matched', 'continuity', 'plan_override', 'member_request')",
            name=op.f("ck_enrollments_assignment_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('assigned', 'outreach', 'enrolled', 'discontinued')",
            name=op.f("ck_enrollments_status"),
        ),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["authorizations.id"],
            name=op.f("fk_enrollments_authorization_id_authorizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["lead_care_manager_user_id"],
            ["users.id"],
            name=op.f("fk_enrollments_lead_care_manager_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_enrollments_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_organization_id"],
            ["organizations.id"],
            name=op.f("fk_enrollments_plan_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_organization_id"],
            ["organizations.id"],
            name=op.f("fk_enrollments_provider_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_enrollments_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollments")),
    )
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollments_lead_care_manager_user_id"),
            ["lead_care_manager_user_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_enrollments_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enrollments_plan_organization_id"),
            ["plan_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_enrollments_provider_organization_id"),
            ["provider_organization_id"],
            unique=False,
        )

    op.create_table(
        "service_episodes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=False),
        sa.Column("provider_organization_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=6), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_service_episodes_status")),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["authorizations.id"],
            name=op.f("fk_service_episodes_authorization_id_authorizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_service_episodes_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_organization_id"],
            ["organizations.id"],
            name=op.f("fk_service_episodes_provider_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_service_episodes_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_episodes")),
    )
    with op.batch_alter_table("service_episodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_episodes_authorization_id"), ["authorization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_episodes_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_episodes_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_episodes_provider_organization_id"),
            ["provider_organization_id"],
            unique=False,
        )

    op.create_table(
        "care_plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("assessment_started_on", sa.Date(), nullable=True),
        sa.Column("assessment_completed_on", sa.Date(), nullable=True),
        sa.Column("latest_revision_on", sa.Date(), nullable=True),
        sa.Column("last_care_conference_on", sa.Date(), nullable=True),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("interventions", sa.JSON(), nullable=False),
        sa.Column("care_team", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_care_plans_enrollment_id_enrollments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_plans")),
        sa.UniqueConstraint("enrollment_id", name=op.f("uq_care_plans_enrollment_id")),
    )
    op.create_table(
        "outreach_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("attempted_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=9), nullable=False),
        sa.Column("successful", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "method IN ('in_person', 'phone', 'text', 'email', 'mail', 'video')",
            name=op.f("ck_outreach_attempts_method"),
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_outreach_attempts_enrollment_id_enrollments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_outreach_attempts_recorded_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_attempts")),
    )
    with op.batch_alter_table("outreach_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outreach_attempts_enrollment_id"), ["enrollment_id"], unique=False
        )

    op.create_table(
        "service_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("episode_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("units", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["service_episodes.id"],
            name=op.f("fk_service_deliveries_episode_id_service_episodes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_service_deliveries_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_service_deliveries_recorded_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_deliveries")),
    )
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_deliveries_episode_id"), ["episode_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_deliveries_member_id"), ["member_id"], unique=False
        )

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("address_line", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("city", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("zip_code", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("pcp_organization_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_members_pcp_organization_id_organizations"),
            "organizations",
            ["pcp_organization_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(
            "uq_referrals_open_member_program",
            ["member_id", "program_id"],
            unique=True,
            sqlite_where=sa.text(
                "status IN ('accepted', 'in_progress', 'received', 'services_received')"
            ),
            postgresql_where=sa.text(
                "status IN ('accepted', 'in_progress', 'received', 'services_received')"
            ),
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_referrals_open_member_program",
            sqlite_where=sa.text(
                "status IN ('accepted', 'in_progress', 'received', 'services_received')"
            ),
            postgresql_where=sa.text(
                "status IN ('accepted', 'in_progress', 'received', 'services_received')"
            ),
        )

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_members_pcp_organization_id_organizations"), type_="foreignkey"
        )
        batch_op.drop_column("pcp_organization_id")
        batch_op.drop_column("zip_code")
        batch_op.drop_column("city")
        batch_op.drop_column("address_line")
        batch_op.drop_column("phone")
        batch_op.drop_column("sex")

    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_deliveries_member_id"))
        batch_op.drop_index(batch_op.f("ix_service_deliveries_episode_id"))

    op.drop_table("service_deliveries")
    with op.batch_alter_table("outreach_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_attempts_enrollment_id"))

    op.drop_table("outreach_attempts")
    op.drop_table("care_plans")
    with op.batch_alter_table("service_episodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_episodes_provider_organization_id"))
        batch_op.drop_index(batch_op.f("ix_service_episodes_program_id"))
        batch_op.drop_index(batch_op.f("ix_service_episodes_member_id"))
        batch_op.drop_index(batch_op.f("ix_service_episodes_authorization_id"))

    op.drop_table("service_episodes")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollments_provider_organization_id"))
        batch_op.drop_index(batch_op.f("ix_enrollments_plan_organization_id"))
        batch_op.drop_index(batch_op.f("ix_enrollments_member_id"))
        batch_op.drop_index(batch_op.f("ix_enrollments_lead_care_manager_user_id"))

    op.drop_table("enrollments")
    with op.batch_alter_table("referral_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_parties_referral_id"))
        batch_op.drop_index(batch_op.f("ix_referral_parties_organization_id"))

    op.drop_table("referral_parties")
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authorizations_referral_id"))
        batch_op.drop_index(batch_op.f("ix_authorizations_provider_organization_id"))
        batch_op.drop_index(batch_op.f("ix_authorizations_program_id"))
        batch_op.drop_index(batch_op.f("ix_authorizations_plan_organization_id"))
        batch_op.drop_index(batch_op.f("ix_authorizations_member_id"))

    op.drop_table("authorizations")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_entity_id"))
        batch_op.drop_index(batch_op.f("ix_status_changes_actor_user_id"))

    op.drop_table("status_changes")
    with op.batch_alter_table("part2_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_part2_consents_organization_id"))
        batch_op.drop_index(batch_op.f("ix_part2_consents_member_id"))

    op.drop_table("part2_consents")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_subject_id"))
        batch_op.drop_index(batch_op.f("ix_notices_recipient_organization_id"))
        batch_op.drop_index(batch_op.f("ix_notices_member_id"))

    op.drop_table("notices")
    with op.batch_alter_table("member_determinations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_determinations_member_id"))

    op.drop_table("member_determinations")
    op.drop_table("provider_profiles")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_organization_id"))

    op.drop_table("idempotency_keys")
