"""Guards: the ECM authorization override on enrollments; member languages as codes

An ECM assignment needs an approved or presumptive ECM authorization, or an override the plan
records with a reason: who made it and when are stored on the enrollment. Member languages
stored as names (`English`, `Spanish`) become the codes of policy/reference/languages.csv;
values that are neither stay as they are (the importers refuse them from now on).

Revision ID: 0018_guards
Revises: 0017_race_part2
Create Date: 2026-12-07 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018_guards"
down_revision: str | tuple[str, ...] | None = "0017_race_part2"
branch_labels: str | None = None
depends_on: str | None = None

T = "enrollments"
BY = "authorization_override_by_user_id"


# Names (lower case) of policy/reference/languages.csv -> code, as of this revision.
LANGUAGE_CODES = {
    "english": "en", "spanish": "es", "español": "es", "espanol": "es", "arabic": "ar",
    "armenian": "hy", "cambodian": "km", "khmer": "km", "chinese": "zh", "cantonese": "yue",
    "mandarin": "cmn", "farsi": "fa", "persian": "fa", "hmong": "hmn", "korean": "ko",
    "mien": "ium", "punjabi": "pa", "russian": "ru", "tagalog": "tl", "filipino": "tl",
    "ukrainian": "uk", "vietnamese": "vi",
}  # fmt: skip


def _language_codes() -> None:
    members = sa.table("members", sa.column("language", sa.String()))
    bind = op.get_bind()
    for name, code in LANGUAGE_CODES.items():
        bind.execute(
            members.update().where(sa.func.lower(members.c.language) == name).values(language=code)
        )
    for code in set(LANGUAGE_CODES.values()):
        bind.execute(
            members.update().where(sa.func.lower(members.c.language) == code).values(language=code)
        )


def upgrade() -> None:
    _language_codes()
    with op.batch_alter_table(T, schema=None) as batch_op:
        batch_op.add_column(sa.Column("authorization_override_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column(BY, sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("authorization_override_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            op.f(f"fk_{T}_{BY}_users"), "users", [BY], ["id"], ondelete="RESTRICT"
        )


def downgrade() -> None:
    with op.batch_alter_table(T, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"fk_{T}_{BY}_users"), type_="foreignkey")
        batch_op.drop_column("authorization_override_at")
        batch_op.drop_column(BY)
        batch_op.drop_column("authorization_override_reason")
