"""Filtered, counted, audited lists of service episodes and of one episode's deliveries
(scoped by the repository's `readable()`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.models import EpisodeStatus, ServiceDelivery, ServiceEpisode, User
from calaim.ops.paging import PageRequest, PageResult, fetch_page
from calaim.ops.services.repository import EpisodeRepository


@dataclass(frozen=True)
class EpisodeFilter:
    """Optional exact-match filters of an episode list."""

    status: EpisodeStatus | None = None
    program_id: str | None = None
    member_id: uuid.UUID | None = None
    authorization_id: uuid.UUID | None = None


def search_episodes(
    session: Session, actor: User, filters: EpisodeFilter, page: PageRequest
) -> PageResult[ServiceEpisode]:
    """One page of visible episodes, latest start first; each one shown is audited."""
    require(actor, Permission.SERVICE_READ)
    repository = EpisodeRepository(session, actor)
    statement = repository.readable()
    if filters.status is not None:
        statement = statement.where(ServiceEpisode.status == filters.status.value)
    if filters.program_id is not None:
        statement = statement.where(ServiceEpisode.program_id == filters.program_id)
    if filters.member_id is not None:
        statement = statement.where(ServiceEpisode.member_id == filters.member_id)
    if filters.authorization_id is not None:
        statement = statement.where(ServiceEpisode.authorization_id == filters.authorization_id)
    order = (ServiceEpisode.started_on.desc(), ServiceEpisode.id)
    result = fetch_page(session, statement, page, *order)
    for episode in result.items:
        repository.audit("service_episode.list", episode)
    session.flush()
    return result


def episode_deliveries(
    session: Session, actor: User, episode_id: uuid.UUID, page: PageRequest
) -> PageResult[ServiceDelivery]:
    """One page of a visible episode's deliveries by date (the episode's read is audited)."""
    require(actor, Permission.SERVICE_READ)
    episode = EpisodeRepository(session, actor).get(episode_id)
    statement = select(ServiceDelivery).where(ServiceDelivery.episode_id == episode.id)
    order = (ServiceDelivery.service_date, ServiceDelivery.recorded_at, ServiceDelivery.id)
    return fetch_page(session, statement, page, *order)
