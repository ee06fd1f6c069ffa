"""Database settings, engines and sessions for the operational store.

`DATABASE_URL` picks the database; without it calaim uses a SQLite file `calaim.db` in the
current folder, so a newcomer needs nothing set up. PostgreSQL is the production database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from calaim.ops.session_class import OpsSession as OpsSession

DEFAULT_SQLITE_FILE = "calaim.db"


def database_url() -> str:
    """The configured database URL: `DATABASE_URL`, else a SQLite file in the current folder."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return configured
    return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"


def describe(url: str) -> str:
    """Where a database is, for people: the SQLite file path, or the URL without a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database or ":memory:").resolve())
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str | None = None, **options: Any) -> Engine:
    """An engine for `url` (default: the configured URL); SQLite gets foreign keys on."""
    engine = create_engine(url or database_url(), **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless every connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[OpsSession]:
    """A factory of sessions bound to `engine`."""
    # Inbox items are written in the same flush as the records they tell about.
    from calaim.ops.notifications import fanout

    fanout.install()
    return sessionmaker(bind=engine, class_=OpsSession, expire_on_commit=False)
