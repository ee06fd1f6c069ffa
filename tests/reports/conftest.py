"""The operational store fixtures (both databases) for report tests, from tests/ops."""

from __future__ import annotations

from ops.conftest import (
    backend,
    db_url,
    engine,
    rollback_db_url,
    rollback_engine,
    session,
)
from ops.http.conftest import app, auth, client, signer, tenants

__all__ = [
    "app",
    "auth",
    "backend",
    "client",
    "db_url",
    "engine",
    "rollback_db_url",
    "rollback_engine",
    "session",
    "signer",
    "tenants",
]
