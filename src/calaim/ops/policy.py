"""The policy the workflows read (dated parameters, plan terms), loaded once per process."""

from __future__ import annotations

from functools import cache

from calaim.engine.loading.policy import Policy


@cache
def shipped_policy() -> Policy:
    """The shipped policy, loaded and checked once; every workflow shares this one copy."""
    return Policy.load()
