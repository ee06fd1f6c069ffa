"""Provider profiles and one application to many plans; community networks with a lead agency

Revision ID: 0032_network
Revises: 0026_care_management
Create Date: 2026-12-07 14:17:35.413423
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision: str = "0032_network"
down_revision: str | None = "0026_care_management"
branch_labels: str | None = None
depends_on: str | None = None


NEW_KIND = "credential_expiry"


def _allowed_kinds() -> list[str]:
    """The task kinds the database allows now (other heads may have added their own)."""
    for check in sa.inspect(op.get_bind()).get_check_constraints("tasks"):
        if check["name"] == "ck_tasks_kind":
            return re.findall(r"'([^']*)'", str(check["sqltext"]))
    raise RuntimeError("constraint ck_tasks_kind not found; is the database at 0026 or later?")


def _task_kinds(kinds: list[str]) -> None:
    """Let tasks hold exactly `kinds` (the union with other heads' kinds, in their order)."""
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_tasks_kind"), type_="check")
        batch_op.create_check_constraint("kind", f"kind IN ({allowed})")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "network_distributions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lead_organization_id", sa.Uuid(), nullable=False),
        sa.Column("member_organization_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("lead_keeps", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("member_receives", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_organization_id"],
            ["organizations.id"],
            name=op.f("fk_network_distributions_lead_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_organization_id"],
            ["organizations.id"],
            name=op.f("fk_network_distributions_member_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_distributions")),
        sa.UniqueConstraint(
            "lead_organization_id",
            "member_organization_id",
            "period",
            name="uq_network_distributions_lead_organization_id",
        ),
    )
    with op.batch_alter_table("network_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_distributions_lead_organization_id"),
            ["lead_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_network_distributions_member_organization_id"),
            ["member_organization_id"],
            unique=False,
        )

    op.create_table(
        "network_memberships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lead_organization_id", sa.Uuid(), nullable=False),
        sa.Column("member_organization_id", sa.Uuid(), nullable=False),
        sa.Column("share", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("fee_per_line", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_organization_id"],
            ["organizations.id"],
            name=op.f("fk_network_memberships_lead_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_organization_id"],
            ["organizations.id"],
            name=op.f("fk_network_memberships_member_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_memberships")),
        sa.UniqueConstraint(
            "lead_organization_id",
            "member_organization_id",
            name="uq_network_memberships_lead_organization_id",
        ),
        sa.UniqueConstraint(
            "member_organization_id", name=op.f("uq_network_memberships_member_organization_id")
        ),
    )
    with op.batch_alter_table("network_memberships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_memberships_lead_organization_id"),
            ["lead_organization_id"],
            unique=False,
        )

    op.create_table(
        "provider_sites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address_line", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("county", sa.String(length=60), nullable=False),
        sa.Column("zip_code", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_sites_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_sites")),
    )
    with op.batch_alter_table("provider_sites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_sites_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "provider_applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_applications_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"],
            ["users.id"],
            name=op.f("fk_provider_applications_submitted_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_applications")),
    )
    with op.batch_alter_table("provider_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_applications_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "provider_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("uploaded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_documents_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_user_id"],
            ["users.id"],
            name=op.f("fk_provider_documents_uploaded_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_documents")),
    )
    with op.batch_alter_table("provider_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_documents_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "network_routes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("lead_organization_id", sa.Uuid(), nullable=False),
        sa.Column("member_organization_id", sa.Uuid(), nullable=False),
        sa.Column("routed_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_organization_id"],
            ["organizations.id"],
            name=op.f("fk_network_routes_lead_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_organization_id"],
            ["organizations.id"],
            name=op.f("fk_network_routes_member_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_network_routes_referral_id_referrals"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["routed_by_user_id"],
            ["users.id"],
            name=op.f("fk_network_routes_routed_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_routes")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_network_routes_referral_id")),
    )
    with op.batch_alter_table("network_routes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_routes_lead_organization_id"),
            ["lead_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_network_routes_member_organization_id"),
            ["member_organization_id"],
            unique=False,
        )

    op.create_table(
        "provider_application_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("plan_organization_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.String(length=60), nullable=False),
        sa.Column("county", sa.String(length=60), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('pending', 'approved', 'denied')",
            name=op.f("ck_provider_application_lines_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["provider_applications.id"],
            name=op.f("fk_provider_application_lines_application_id_provider_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["users.id"],
            name=op.f("fk_provider_application_lines_decided_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_application_lines_plan_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_application_lines")),
        sa.UniqueConstraint(
            "application_id",
            "plan_organization_id",
            "program_id",
            "county",
            name="uq_provider_application_lines_application_id",
        ),
    )
    with op.batch_alter_table("provider_application_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_application_lines_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_provider_application_lines_plan_organization_id"),
            ["plan_organization_id"],
            unique=False,
        )

    op.create_table(
        "provider_credentials",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=19), nullable=False),
        sa.Column("credential_type", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('license', 'insurance', 'medi_cal_enrollment', 'staff_credential', 'certification')",
            name=op.f("ck_provider_credentials_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["provider_documents.id"],
            name=op.f("fk_provider_credentials_document_id_provider_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_provider_credentials_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_credentials")),
    )
    with op.batch_alter_table("provider_credentials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_credentials_organization_id"), ["organization_id"], unique=False
        )

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rendering_organization_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_claims_rendering_organization_id_organizations"),
            "organizations",
            ["rendering_organization_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("provider_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("medi_cal_enrollment", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column(
                "populations_served", sa.JSON(), nullable=False, server_default=sa.text("'[]'")
            )
        )

    current = _allowed_kinds()
    _task_kinds(current + ([] if NEW_KIND in current else [NEW_KIND]))


def downgrade() -> None:
    """Undo this revision."""
    _task_kinds([kind for kind in _allowed_kinds() if kind != NEW_KIND])
    with op.batch_alter_table("provider_profiles", schema=None) as batch_op:
        batch_op.drop_column("populations_served")
        batch_op.drop_column("medi_cal_enrollment")

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_claims_rendering_organization_id_organizations"), type_="foreignkey"
        )
        batch_op.drop_column("rendering_organization_id")

    with op.batch_alter_table("provider_credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_credentials_organization_id"))

    op.drop_table("provider_credentials")
    with op.batch_alter_table("provider_application_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_application_lines_plan_organization_id"))
        batch_op.drop_index(batch_op.f("ix_provider_application_lines_application_id"))

    op.drop_table("provider_application_lines")
    with op.batch_alter_table("network_routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_routes_member_organization_id"))
        batch_op.drop_index(batch_op.f("ix_network_routes_lead_organization_id"))

    op.drop_table("network_routes")
    with op.batch_alter_table("provider_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_documents_organization_id"))

    op.drop_table("provider_documents")
    with op.batch_alter_table("provider_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_applications_organization_id"))

    op.drop_table("provider_applications")
    with op.batch_alter_table("provider_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_sites_organization_id"))

    op.drop_table("provider_sites")
    with op.batch_alter_table("network_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_memberships_lead_organization_id"))

    op.drop_table("network_memberships")
    with op.batch_alter_table("network_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_distributions_member_organization_id"))
        batch_op.drop_index(batch_op.f("ix_network_distributions_lead_organization_id"))

    op.drop_table("network_distributions")
