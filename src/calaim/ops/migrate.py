"""Running the Alembic migrations programmatically (`calaim db upgrade`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from calaim.ops.db import database_url, make_engine
from calaim.ops.maintenance.repository import refresh_statistics

# In a checkout the migrations sit at the repository root; a built wheel ships them inside
# the package (see pyproject's force-include), so look there first.
_PACKAGED = Path(__file__).parents[1] / "migrations"
_CHECKOUT = Path(__file__).parents[3] / "migrations"


def migrations_dir() -> Path:
    """The folder holding Alembic's env.py and versions/."""
    for candidate in (_PACKAGED, _CHECKOUT):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"no Alembic migrations found at {_PACKAGED} or {_CHECKOUT}")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration for `url` (default: the configured database)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # Percent signs in passwords would otherwise be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Migrate the database at `url` up to `revision` (default: every head), then, when a
    migration ran, refresh the planner's statistics (a new index has none; see ops/maintenance).
    A start with nothing to migrate skips the refresh (`ANALYZE` of a large database takes time).
    """
    engine = make_engine(url or database_url())
    try:
        before = _applied_revisions(engine)
        command.upgrade(alembic_config(url), revision)
        if _applied_revisions(engine) != before:
            refresh_statistics(engine)
    finally:
        engine.dispose()


def _applied_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())
