"""Inbox, tasks and the utilization-review desk: notifications, email_outbox,
notification_preferences, tasks, letters (Notice of Action PDFs) and authorization_reviews.

Revision ID: 0022_inbox_tasks
Revises: 0020_search_messages
Create Date: 2026-12-07 03:14:05.221217
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0022_inbox_tasks"
down_revision: str | None = "0020_search_messages"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=7), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_email_outbox_status")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_outbox_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_outbox")),
    )
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_email_outbox_status_available", ["status", "available_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_email_outbox_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email_opt_in", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('new_referral', 'decision', 'acceptance', 'referral_update', 'message', 'loop_late', 'task_assigned')",
            name=op.f("ck_notifications_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_notifications_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_notifications_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_notifications_user_id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index("ix_notifications_user_unread", ["user_id", "read_at"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=22), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("clock_key", sa.String(length=160), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assignee_user_id", sa.Uuid(), nullable=True),
        sa.Column("team_role", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('authorization_decision', 'information_request', 'outreach', 'care_plan_revision', 'loop_closure')",
            name=op.f("ck_tasks_kind"),
        ),
        sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name=op.f("ck_tasks_status")),
        sa.ForeignKeyConstraint(
            ["assignee_user_id"],
            ["users.id"],
            name=op.f("fk_tasks_assignee_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_user_id"],
            ["users.id"],
            name=op.f("fk_tasks_closed_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_tasks_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_tasks_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("organization_id", "clock_key", name="uq_tasks_organization_id"),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tasks_assignee_user_id"), ["assignee_user_id"], unique=False
        )
        batch_op.create_index(
            "ix_tasks_organization_status_due",
            ["organization_id", "status", "due_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_tasks_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "letters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("plan_organization_id", sa.Uuid(), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=9), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('approval', 'denial', 'delay', 'extension')", name=op.f("ck_letters_kind")
        ),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["authorizations.id"],
            name=op.f("fk_letters_authorization_id_authorizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_letters_created_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_letters_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_organization_id"],
            ["organizations.id"],
            name=op.f("fk_letters_plan_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
    )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letters_authorization_id"), ["authorization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_letters_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_letters_plan_organization_id"), ["plan_organization_id"], unique=False
        )

    op.create_table(
        "authorization_reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=7), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("units", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("frequency", sa.String(length=20), nullable=True),
        sa.Column("reason_code", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("information_requested", sa.Text(), nullable=True),
        sa.Column("engine_status", sa.String(length=20), nullable=True),
        sa.Column("engine_as_of", sa.Date(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("decision_due_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_due_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("letter_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "action IN ('approve', 'pend', 'extend', 'deny')",
            name=op.f("ck_authorization_reviews_action"),
        ),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["authorizations.id"],
            name=op.f("fk_authorization_reviews_authorization_id_authorizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_authorization_reviews_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["letters.id"],
            name=op.f("fk_authorization_reviews_letter_id_letters"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorization_reviews")),
    )
    with op.batch_alter_table("authorization_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_authorization_reviews_authorization_id"),
            ["authorization_id"],
            unique=False,
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("authorization_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authorization_reviews_authorization_id"))

    op.drop_table("authorization_reviews")
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letters_plan_organization_id"))
        batch_op.drop_index(batch_op.f("ix_letters_member_id"))
        batch_op.drop_index(batch_op.f("ix_letters_authorization_id"))

    op.drop_table("letters")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_subject_id"))
        batch_op.drop_index("ix_tasks_organization_status_due")
        batch_op.drop_index(batch_op.f("ix_tasks_assignee_user_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_unread")
        batch_op.drop_index(batch_op.f("ix_notifications_organization_id"))

    op.drop_table("notifications")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_outbox_user_id"))
        batch_op.drop_index("ix_email_outbox_status_available")

    op.drop_table("email_outbox")
