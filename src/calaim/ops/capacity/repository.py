"""The acting provider's own profile row: the only capacity anyone may read or change here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from calaim.ops.access.scopes import is_provider
from calaim.ops.audit.service import record
from calaim.ops.errors import NotFound
from calaim.ops.models import ProviderProfile, User


class NoProviderProfile(NotFound):
    """The actor's organization is not a provider with a profile in calaim."""


class CapacityRepository:
    """Capacity of the actor's own organization (never another's)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor

    def own(self) -> ProviderProfile:
        """The actor's organization's provider profile, or `NoProviderProfile`."""
        profile = (
            self.session.get(ProviderProfile, self.actor.organization_id)
            if is_provider(self.actor)
            else None
        )
        if profile is None:
            raise NoProviderProfile(
                "your organization has no provider profile in calaim; ask the plan to add it"
            )
        return profile

    def audit(self, action: str, profile: ProviderProfile, details: dict[str, object]) -> None:
        """Record a capacity read or change."""
        record(
            self.session,
            self.actor,
            action,
            None,
            entity_type="provider_profile",
            entity_id=str(profile.organization_id),
            details=details,
        )
        self.session.flush()
