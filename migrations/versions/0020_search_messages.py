"""Search index over members; messages, attachments and saved views; provider capacity.

- members: a name index for typo-tolerant search. PostgreSQL: pg_trgm (created when the
  server offers it) and a GIN trigram index on the lower-cased full name. SQLite: an FTS5
  table `member_names` (trigram tokenizer) over the full name and its consonant skeleton
  ("smith" and "smyth" both "smth"), kept in step by triggers on `members`. A later
  migration that rebuilds `members` in batch mode drops those triggers: call
  `member_name_index(op)` again after it (tests/ops/test_search_index.py checks they exist).
  Plain indexes on birth date and phone serve the exact look-ups.
- messages, attachments, saved_views: new tables.
- provider_profiles: beds available, waitlist, when the provider last updated its capacity.
- notices: the `referral_accepted` kind (the referrer hears when the provider accepts).

Revision ID: 0020_search_messages
Revises: 0018_guards
Create Date: 2026-12-07 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0020_search_messages"
down_revision: str | tuple[str, ...] | None = "0018_guards"
branch_labels: str | None = None
depends_on: str | None = None

NOTICE_KINDS_BEFORE = (
    "referral_received",
    "assignment_to_member",
    "assignment_to_referrer",
    "referral_declined",
    "referral_closed",
    "authorization_approved",
    "authorization_denied",
    "authorization_delayed",
    "ecm_discontinued",
)
NOTICE_KINDS_AFTER = (*NOTICE_KINDS_BEFORE, "referral_accepted")

# The consonant skeleton of a lower-cased name, in SQL (the same rule as ops/search/names.py).
_VOWELS = "aeiouy"


def _skeleton_sql(expression: str) -> str:
    for vowel in _VOWELS:
        expression = f"replace({expression}, '{vowel}', '')"
    return expression


_FULL = "lower({row}.first_name || ' ' || {row}.last_name)"


def member_name_index() -> None:
    """(Re)create the SQLite FTS5 name index, its triggers, and fill it from `members`."""
    execute = op.execute
    for trigger in ("members_ai", "members_ad", "members_au"):
        execute(f"DROP TRIGGER IF EXISTS {trigger}")
    execute("DROP TABLE IF EXISTS member_names")
    execute("CREATE VIRTUAL TABLE member_names USING fts5(name, skeleton, tokenize='trigram')")
    new, _old = _FULL.format(row="new"), _FULL.format(row="old")
    insert = (
        "INSERT INTO member_names(rowid, name, skeleton) "
        f"VALUES (new.rowid, {new}, {_skeleton_sql(new)});"
    )
    delete = "DELETE FROM member_names WHERE rowid = old.rowid;"
    execute(f"CREATE TRIGGER members_ai AFTER INSERT ON members BEGIN {insert} END")
    execute(f"CREATE TRIGGER members_ad AFTER DELETE ON members BEGIN {delete} END")
    execute(
        "CREATE TRIGGER members_au AFTER UPDATE OF first_name, last_name ON members "
        f"BEGIN {delete} {insert} END"
    )
    full = _FULL.format(row="members")
    execute(
        "INSERT INTO member_names(rowid, name, skeleton) "
        f"SELECT rowid, {full}, {_skeleton_sql(full)} FROM members"
    )


def _postgres_name_index() -> None:
    bind = op.get_bind()
    offered = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if offered is None:
        return  # search falls back to plain matching (docs/web.md says how to add it)
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_members_name_trgm ON members "
        "USING gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops)"
    )


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="RESTRICT"
    )


def _messages() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("thread_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("sender_user_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("part2", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        _fk("messages", "member_id", "members"),
        _fk("messages", "referral_id", "referrals"),
        _fk("messages", "thread_id", "messages"),
        _fk("messages", "organization_id", "organizations"),
        _fk("messages", "sender_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    for column in ("member_id", "referral_id", "thread_id", "organization_id"):
        op.create_index(op.f(f"ix_messages_{column}"), "messages", [column])


def _attachments() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("uploaded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("attachments", "referral_id", "referrals"),
        _fk("attachments", "member_id", "members"),
        _fk("attachments", "organization_id", "organizations"),
        _fk("attachments", "uploaded_by_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    for column in ("referral_id", "member_id", "organization_id"):
        op.create_index(op.f(f"ix_attachments_{column}"), "attachments", [column])


def _saved_views() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("page", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("saved_views", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("user_id", "page", "name", name=op.f("uq_saved_views_user_id")),
    )
    op.create_index(op.f("ix_saved_views_user_id"), "saved_views", ["user_id"])


def _notice_kinds(kinds: tuple[str, ...]) -> None:
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notices_kind"), type_="check")
        batch_op.create_check_constraint("kind", f"kind IN ({allowed})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        member_name_index()
    else:
        _postgres_name_index()
    op.create_index("ix_members_birth_date", "members", ["birth_date"])
    op.create_index("ix_members_phone", "members", ["phone"])
    _messages()
    _attachments()
    _saved_views()
    with op.batch_alter_table("provider_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("beds_available", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("waitlist", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("capacity_updated_at", sa.DateTime(timezone=True), nullable=True)
        )
    _notice_kinds(NOTICE_KINDS_AFTER)


def downgrade() -> None:
    _notice_kinds(NOTICE_KINDS_BEFORE)
    with op.batch_alter_table("provider_profiles", schema=None) as batch_op:
        batch_op.drop_column("capacity_updated_at")
        batch_op.drop_column("waitlist")
        batch_op.drop_column("beds_available")
    op.drop_table("saved_views")
    op.drop_table("attachments")
    op.drop_table("messages")
    op.drop_index("ix_members_phone", "members")
    op.drop_index("ix_members_birth_date", "members")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("members_ai", "members_ad", "members_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS member_names")
    else:
        op.execute("DROP INDEX IF EXISTS ix_members_name_trgm")
