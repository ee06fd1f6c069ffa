"""Every service-episode query, scoped to the acting user's organization and audited."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, select

from calaim.ops.access.scopes import service_episode_visible
from calaim.ops.errors import NotFound
from calaim.ops.models import AuditEvent, Member, ServiceDelivery, ServiceEpisode
from calaim.ops.repository_base import Missing, ScopedRepository
from calaim.ops.services.caps import Line


class EpisodeNotFound(NotFound):
    """No episode with that id is visible to the actor (it may not exist at all)."""


class EpisodeRepository(ScopedRepository[ServiceEpisode]):
    """Reads and writes of service episodes on behalf of one user."""

    model = ServiceEpisode
    names_member = True
    missing = Missing("service_episode", EpisodeNotFound, noun="service episode")

    def visible(self) -> ColumnElement[bool]:
        """Episodes the actor may see (rules in `calaim.ops.access.scopes`)."""
        return service_episode_visible(self.actor)

    def get(self, episode_id: uuid.UUID, *, action: str = "service_episode.read") -> ServiceEpisode:
        """One visible episode (audited as `action`), or `EpisodeNotFound`."""
        return self.get_visible(episode_id, action=action)

    def lock_member(self, member_id: uuid.UUID) -> None:
        """Serialize cap checks of one member (PostgreSQL row lock; SQLite locks the file)."""
        self.session.execute(select(Member.id).where(Member.id == member_id).with_for_update())

    def episodes_ever(self, member_id: uuid.UUID, program_id: str) -> int:
        """How many episodes of a program the member has ever had, with any provider."""
        # Unscoped on purpose: lifetime caps count every provider's episodes.
        statement = select(func.count()).where(
            ServiceEpisode.member_id == member_id, ServiceEpisode.program_id == program_id
        )
        return int(self.session.scalar(statement) or 0)

    def open_under(self, authorization_id: uuid.UUID) -> ServiceEpisode | None:
        """The open episode under an authorization, if any."""
        statement = select(ServiceEpisode).where(
            ServiceEpisode.authorization_id == authorization_id, ServiceEpisode.status == "open"
        )
        return self.session.scalars(statement).unique().first()

    def member_lines(self, member_id: uuid.UUID) -> list[Line]:
        """Every Community Supports delivery of the member, with any provider (for caps)."""
        # Unscoped on purpose: caps count what every provider delivered to the member.
        statement = select(ServiceDelivery).where(ServiceDelivery.member_id == member_id)
        return [
            Line(d.program_id, d.episode_id, d.service_date, d.unit, d.units, d.amount)
            for d in self.session.scalars(statement)
        ]

    def deliveries(self, episode_id: uuid.UUID) -> list[ServiceDelivery]:
        """The deliveries of one episode (the caller has read the episode), by date."""
        statement = (
            select(ServiceDelivery)
            .where(ServiceDelivery.episode_id == episode_id)
            .order_by(ServiceDelivery.service_date, ServiceDelivery.recorded_at)
        )
        return list(self.session.scalars(statement))

    def authorized_use(self, authorization_id: uuid.UUID) -> list[ServiceDelivery]:
        """Deliveries under every episode of an authorization (for its unit and dollar limits)."""
        episodes = select(ServiceEpisode.id).where(
            ServiceEpisode.authorization_id == authorization_id
        )
        statement = select(ServiceDelivery).where(ServiceDelivery.episode_id.in_(episodes))
        return list(self.session.scalars(statement))

    def audit(
        self, action: str, episode: ServiceEpisode, details: dict[str, object] | None = None
    ) -> AuditEvent:
        """Record `action` on `episode`, with the member's person id for the trail."""
        return self._audit_row(action, episode, details)
