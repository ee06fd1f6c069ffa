"""Alembic environment: the operational models' metadata, batch mode for SQLite."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.exc import SAWarning

from calaim.ops.db import database_url, make_engine
from calaim.ops.models import Base

config = context.config
# Batch mode reflects the tables it rebuilds and the ones they refer to; SQLite's reflection
# skips the members' name key indexes (expressions, migration 0036) and says so. A migration
# that rebuilds `members` itself recreates them (0036's docstring; a test checks they exist).
warnings.filterwarnings(
    "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
)
target_metadata = Base.metadata


def _url() -> str:
    # `calaim db upgrade` and the tests set the URL; a bare `alembic` run reads DATABASE_URL.
    return config.get_main_option("sqlalchemy.url") or database_url()


def _configure(**options: object) -> None:
    # Batch mode rebuilds tables on SQLite, which cannot ALTER most things in place.
    context.configure(target_metadata=target_metadata, render_as_batch=True, **options)


def run_offline() -> None:
    """Emit SQL without a database connection (`alembic upgrade --sql`)."""
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate a live database."""
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _run_with(connection)
    finally:
        engine.dispose()


def _run_with(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
