"""A provider keeps its own capacity current: places it can hold, beds free, people waiting.

`capacity` is what assignment and the navigator already read (open places = capacity minus
members held), so a change here moves the next assignment and the navigator's "whom to refer
to" at once. Beds and the waitlist are shown beside it. Only the provider's own staff who run
its services (`SERVICE_RECORD`) or administer it (`ORGANIZATION_ADMIN`) may change it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, PermissionDenied, allowed
from calaim.ops.capacity.repository import CapacityRepository
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import ProviderProfile, User

MAXIMUM = 100_000


@dataclass(frozen=True)
class CapacityUpdate:
    """New numbers (None: not tracked, for beds and waitlist)."""

    capacity: int
    beds_available: int | None = None
    waitlist: int | None = None


def may_manage(actor: User) -> bool:
    """Whether the actor may change its organization's capacity."""
    return allowed(actor, Permission.SERVICE_RECORD) or allowed(
        actor, Permission.ORGANIZATION_ADMIN
    )


class CapacityService:
    """Capacity of the actor's own organization."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = CapacityRepository(session, actor)

    def current(self) -> ProviderProfile:
        """The organization's profile with its capacity (audited)."""
        profile = self.repository.own()
        self.repository.audit("capacity.read", profile, {})
        return profile

    def update(self, change: CapacityUpdate, *, now: dt.datetime) -> ProviderProfile:
        """Set the numbers (each 0 or more), dated `now` and audited with before and after."""
        if not may_manage(self.actor):
            raise PermissionDenied(
                "only staff who run the provider's services or its administrators may change "
                "its capacity"
            )
        for field, value in (
            ("capacity", change.capacity),
            ("beds_available", change.beds_available),
            ("waitlist", change.waitlist),
        ):
            if value is not None and not 0 <= value <= MAXIMUM:
                raise InvalidRequest(f"give a whole number from 0 to {MAXIMUM}", field=field)
        profile = self.repository.own()
        before = [profile.capacity, profile.beds_available, profile.waitlist]
        profile.capacity = change.capacity
        profile.beds_available = change.beds_available
        profile.waitlist = change.waitlist
        profile.capacity_updated_at = now
        after = [change.capacity, change.beds_available, change.waitlist]
        self.repository.audit("capacity.update", profile, {"before": before, "after": after})
        return profile
