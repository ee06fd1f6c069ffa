"""The Alembic migration builds the operational schema on every database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.maintenance.repository import refresh_statistics
from calaim.ops.models import Base, Organization, OrganizationKind, User

from .factories import member, organization


def test_migration_creates_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migration_matches_the_models(engine: Engine) -> None:
    # Columns in the database are exactly the models' columns: no drift between the two.
    inspector = inspect(engine)
    for name, table in Base.metadata.tables.items():
        columns = {column["name"] for column in inspector.get_columns(name)}
        assert columns == set(table.columns.keys()), name


def test_kind_is_checked_by_the_database(session: Session) -> None:
    session.add(Organization(name="Odd", kind="hospital", plan_code=None, counties_served=[]))
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_plan_needs_its_plan_code(session: Session) -> None:
    session.add(Organization(name="No code", kind="plan", plan_code=None, counties_served=[]))
    with pytest.raises(IntegrityError):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(
        User(organization_id=uuid.uuid4(), email="x@example.org", name="X", role="plan_admin")
    )
    with pytest.raises(IntegrityError):
        session.flush()


def _member_indexes(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'"
        else:
            found = "SELECT indexname FROM pg_indexes WHERE tablename = 'members'"
        return set(connection.execute(text(found)).scalars())


def test_search_has_its_indexes(engine: Engine) -> None:
    # Name keys for the exact pass (0036), phone and birth date for the identifiers (0020).
    expected = {"ix_members_last_first", "ix_members_first_last", "ix_members_phone"}
    assert expected <= _member_indexes(engine)


def test_statistics_tell_the_planner_how_selective_each_index_is(session: Session) -> None:
    plan = organization(session, OrganizationKind.PLAN, "STATS")
    for n in range(20):
        member(session, plan, f"STATS{n:03d}").phone = f"213-555-{n:04d}"
    session.flush()
    refresh_statistics(session.connection(), ("members",))
    # Every member of the plan shares its plan's key; each phone is its own.
    if session.get_bind().dialect.name == "sqlite":
        stats = dict(session.execute(text("SELECT idx, stat FROM sqlite_stat1")).all())
        assert stats["ix_members_plan_organization_id"].split()[1] == "20"
        assert stats["ix_members_phone"].split()[1] == "1"
        return
    distinct = dict(
        session.execute(
            text(
                "SELECT attname, n_distinct FROM pg_stats WHERE tablename = 'members' "
                "AND attname IN ('plan_organization_id', 'phone')"
            )
        ).all()
    )
    # PostgreSQL: n_distinct 1 is one value; -1 means every row differs.
    assert distinct == {"plan_organization_id": 1, "phone": -1}
