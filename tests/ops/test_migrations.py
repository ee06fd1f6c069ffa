"""The Alembic migration builds the operational schema on every database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calaim.ops.models import Base, Organization, User


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
