"""The authorization parties (LACARE and its providers) for the tasks' tests."""

from __future__ import annotations

from ..authorizations.conftest import parties  # noqa: F401 (the fixture)
