"""Operational store fixtures: migrated databases per backend, a rolled-back session per test.

Every test using `session` runs on SQLite and on PostgreSQL. The PostgreSQL variant is marked
`postgres`; when the server is down it fails (`.ci/run` starts it), it is never skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from calaim.ops.db import make_engine, session_factory
from calaim.ops.migrate import upgrade

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(
    scope="session",
    params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database every test of this parameter runs on."""
    return str(request.param)


@pytest.fixture(scope="session")
def db_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database (Alembic, not create_all) for tests that commit (HTTP)."""
    yield from _migrated(backend, tmp_path_factory)


@pytest.fixture(scope="session")
def rollback_db_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second migrated database where nothing is ever committed (the `session` fixture).

    Service tests count rows (audit events, notices, referrals); keeping them apart from the
    HTTP tests' committed rows keeps those counts exact.
    """
    yield from _migrated(backend, tmp_path_factory)


def _migrated(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('ops')) / 'calaim.db'}"
        upgrade(url)
        yield url
        return
    yield from _throwaway_postgres()


def _throwaway_postgres() -> Iterator[str]:
    # A database of its own, so parallel runs and leftovers never collide.
    name = f"calaim_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        upgrade(url)
        yield url
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the migrated database."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def rollback_engine(rollback_db_url: str) -> Iterator[Engine]:
    """An engine on the database of rolled-back tests."""
    engine = make_engine(rollback_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(rollback_engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, so tests never see each other."""
    with rollback_engine.connect() as connection:
        transaction = connection.begin()
        factory = session_factory(rollback_engine)
        session = factory(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
