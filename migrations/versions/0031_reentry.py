"""Reentry and county behavioral health: facility and county organization kinds and roles,
reentry cases and their events, reentry task and notice kinds

Revision ID: 0031_reentry
Revises: 0032_network
Create Date: 2026-12-07 14:45:00

The enum CHECK constraints this revision extends (organization kind, user role, task kind,
notice kind) may be extended by other revisions on parallel heads too, so the new constraint
is the union of the values already allowed in the database and this revision's: whichever
head runs first, no value another head added is lost. It runs after 0032_network, which sets
the task kinds to a fixed list (so it would drop values added before it).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision: str = "0031_reentry"
down_revision: str | tuple[str, ...] | None = "0032_network"
branch_labels: str | None = None
depends_on: str | None = None

ADDED = {
    ("organizations", "kind"): [
        "county_jail",
        "state_prison",
        "youth_facility",
        "county_mhp",
        "county_dmc",
    ],
    ("users", "role"): ["facility_reentry_staff", "county_bh_staff"],
    ("tasks", "kind"): [
        "reentry_assessment",
        "reentry_care_plan",
        "reentry_handoff",
        "reentry_release_supply",
    ],
    ("notices", "kind"): ["reentry_handoff", "reentry_date_change", "reentry_release"],
}


def _allowed(table: str, column: str) -> list[str]:
    """The values the database's `ck_<table>_<column>` CHECK constraint allows now."""
    name = f"ck_{table}_{column}"
    for check in sa.inspect(op.get_bind()).get_check_constraints(table):
        if check["name"] == name:
            return re.findall(r"'([^']*)'", str(check["sqltext"]))
    raise RuntimeError(f"constraint {name} not found; is the database at 0026 or later?")


def _set_check(table: str, column: str, values: list[str]) -> None:
    """Replace the column's enum CHECK constraint by one allowing exactly `values`."""
    allowed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
        batch_op.create_check_constraint(column, f"{column} IN ({allowed})")


def _extend_checks() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.alter_column("kind", type_=sa.String(length=20), existing_nullable=False)
    for (table, column), added in ADDED.items():
        current = _allowed(table, column)
        _set_check(table, column, current + [v for v in added if v not in current])


def _create_tables() -> None:
    def fk(name: str, target: str = "organizations.id") -> sa.ForeignKeyConstraint:
        table = target.split(".")[0]
        return sa.ForeignKeyConstraint(
            [name], [target], name=op.f(f"fk_reentry_cases_{name}_{table}"), ondelete="RESTRICT"
        )

    op.create_table(
        "reentry_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("facility_organization_id", sa.Uuid(), nullable=False),
        sa.Column("plan_organization_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=11), nullable=False),
        sa.Column("expected_release_on", sa.Date(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("medi_cal_status", sa.String(length=21), nullable=False),
        sa.Column("medi_cal_applied_on", sa.Date(), nullable=True),
        sa.Column("pre_release_provider_id", sa.Uuid(), nullable=True),
        sa.Column("care_manager_user_id", sa.Uuid(), nullable=True),
        sa.Column("post_release_provider_id", sa.Uuid(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("care_plan_on", sa.Date(), nullable=True),
        sa.Column("care_plan", sa.JSON(), nullable=False),
        sa.Column("handoff_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handoff_held_on", sa.Date(), nullable=True),
        sa.Column("medication_days", sa.Integer(), nullable=True),
        sa.Column("medication_note", sa.Text(), nullable=True),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("supply_recorded_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pre_release', 'released', 'cancelled')",
            name=op.f("ck_reentry_cases_status"),
        ),
        sa.CheckConstraint(
            "medi_cal_status IN ('not_started', 'application_submitted', 'suspended', 'active')",
            name=op.f("ck_reentry_cases_medi_cal_status"),
        ),
        fk("member_id", "members.id"),
        fk("facility_organization_id"),
        fk("plan_organization_id"),
        fk("pre_release_provider_id"),
        fk("post_release_provider_id"),
        fk("care_manager_user_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reentry_cases")),
    )
    with op.batch_alter_table("reentry_cases", schema=None) as batch_op:
        for column in (
            "member_id",
            "facility_organization_id",
            "plan_organization_id",
            "pre_release_provider_id",
            "post_release_provider_id",
        ):
            batch_op.create_index(batch_op.f(f"ix_reentry_cases_{column}"), [column])
    kinds = ", ".join(
        f"'{k}'"
        for k in [
            "opened",
            "medi_cal",
            "care_manager",
            "assessment",
            "care_plan",
            "post_release_provider",
            "handoff_scheduled",
            "handoff_held",
            "release_supply",
            "date_early",
            "date_late",
            "cancelled",
            "released",
        ]
    )
    op.create_table(
        "reentry_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=21), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=True),
        sa.CheckConstraint(f"kind IN ({kinds})", name=op.f("ck_reentry_events_kind")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["reentry_cases.id"],
            name=op.f("fk_reentry_events_case_id_reentry_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reentry_events_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reentry_events")),
    )
    with op.batch_alter_table("reentry_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reentry_events_case_id"), ["case_id"])


def upgrade() -> None:
    """Apply this revision."""
    _extend_checks()
    _create_tables()


def downgrade() -> None:
    """Revert this revision (rows using the new kinds or roles must be removed first)."""
    op.drop_table("reentry_events")
    op.drop_table("reentry_cases")
    for (table, column), added in ADDED.items():
        _set_check(table, column, [v for v in _allowed(table, column) if v not in added])
