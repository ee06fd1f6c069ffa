"""Field constraints shared by request schemas: bounded text without control characters."""

from __future__ import annotations

from pydantic import StringConstraints

# Control characters (NUL above all, which PostgreSQL refuses) never belong in these fields.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


def bounded(max_length: int, min_length: int = 1) -> StringConstraints:
    """Text of `min_length` to `max_length` characters (the column's size), stripped."""
    return StringConstraints(
        strip_whitespace=True,
        min_length=min_length,
        max_length=max_length,
        pattern=NO_CONTROL_CHARACTERS,
    )
