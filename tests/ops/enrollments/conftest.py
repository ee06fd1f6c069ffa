"""The ECM world fixture (see tests/ops/enrollments/world.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ..http.conftest import app, auth, client, signer  # noqa: F401  (the API fixtures)
from .world import World, build_world


@pytest.fixture
def world(session: Session) -> World:
    """A plan, its member, two ECM providers with staff, and outsiders."""
    return build_world(session)
