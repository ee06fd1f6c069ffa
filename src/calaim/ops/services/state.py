"""A Community Supports episode is open until it is closed with a reason (pure)."""

from __future__ import annotations

from calaim.ops.errors import Conflict
from calaim.ops.models import EpisodeStatus


class EpisodeClosed(Conflict):
    """The episode is closed: nothing more can be recorded on it or done to it."""


def require_open(status: str) -> None:
    """Refuse any step on a closed episode (closed is final: open a new episode instead)."""
    if EpisodeStatus(status) != EpisodeStatus.OPEN:
        raise EpisodeClosed(
            "the episode is closed and closed is final; open a new episode under a current "
            "authorization to record more service"
        )
