"""Community Supports episodes API: open under an authorization, list, read, record
deliveries (within the authorization and the caps), list deliveries, close (If-Match).

Thin: parse the request, call `EpisodeService` (which checks the role and every limit),
return a schema. A delivery over a cap or an authorized limit is a 409 whose message says
what is used and what remains.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.concurrency import (
    IfMatchHeader,
    expected_version,
    integer_version,
    set_etag,
)
from calaim.ops.http.deps import ActorDep, NowDep, SessionDep
from calaim.ops.http.errors import UPDATE_ERRORS
from calaim.ops.http.pagination import Page, PageDep, page_of
from calaim.ops.http.routing import DomainRouter
from calaim.ops.models import EpisodeStatus, ServiceEpisode
from calaim.ops.services.repository import EpisodeRepository
from calaim.ops.services.schemas import (
    CloseIn,
    DeliveryIn,
    DeliveryOut,
    EpisodeCreate,
    EpisodeOut,
    delivery_out,
    episode_out,
)
from calaim.ops.services.search import EpisodeFilter, episode_deliveries, search_episodes
from calaim.ops.services.service import EpisodeService

router = DomainRouter(
    prefix="/service-episodes",
    tag="service-episodes",
    description="Community Supports service episodes: opened under an authorization, "
    "deliveries recorded within its dates and limits and within each program's caps, "
    "closed with a reason.",
)


def _answer(response: Response, episode: ServiceEpisode) -> EpisodeOut:
    """The body of an episode, with its version as the ETag."""
    body = episode_out(episode)
    set_etag(response, body.version)
    return body


@router.post("", response_model=EpisodeOut, status_code=201)
def open_episode(
    body: EpisodeCreate, actor: ActorDep, session: SessionDep, now: NowDep, response: Response
) -> EpisodeOut:
    """Open an episode (CS provider staff) under an authorization naming the caller."""
    episode = EpisodeService(session, actor).open(
        body.authorization_id, started_on=body.started_on, now=now
    )
    return _answer(response, episode)


@router.get("", response_model=Page[EpisodeOut])
def list_episodes(
    actor: ActorDep,
    session: SessionDep,
    page: PageDep,
    status: EpisodeStatus | None = None,
    program_id: Annotated[str | None, Query(max_length=60)] = None,
    member_id: uuid.UUID | None = None,
    authorization_id: uuid.UUID | None = None,
) -> Page[EpisodeOut]:
    """Episodes the caller may see (a plan: its members'; a provider: its own)."""
    filters = EpisodeFilter(
        status=status,
        program_id=program_id,
        member_id=member_id,
        authorization_id=authorization_id,
    )
    return page_of(search_episodes(session, actor, filters, page), page, episode_out)


@router.get("/{episode_id}", response_model=EpisodeOut)
def get_episode(
    episode_id: uuid.UUID, actor: ActorDep, session: SessionDep, response: Response
) -> EpisodeOut:
    """One episode; one the caller may not see is 404, exactly like a missing one."""
    require(actor, Permission.SERVICE_READ)
    return _answer(response, EpisodeRepository(session, actor).get(episode_id))


@router.post("/{episode_id}/deliveries", response_model=DeliveryOut, status_code=201)
def record_delivery(
    episode_id: uuid.UUID, body: DeliveryIn, actor: ActorDep, session: SessionDep, now: NowDep
) -> DeliveryOut:
    """Record a delivery; 409 (saying what remains) when it would pass a cap or a limit."""
    delivery = EpisodeService(session, actor).record(
        episode_id,
        service_date=body.service_date,
        units=body.units,
        amount=body.amount,
        note=body.note,
        now=now,
    )
    return delivery_out(delivery)


@router.get("/{episode_id}/deliveries", response_model=Page[DeliveryOut])
def list_deliveries(
    episode_id: uuid.UUID, actor: ActorDep, session: SessionDep, page: PageDep
) -> Page[DeliveryOut]:
    """An episode's deliveries, by service date."""
    return page_of(episode_deliveries(session, actor, episode_id, page), page, delivery_out)


@router.post("/{episode_id}/close", response_model=EpisodeOut, responses=UPDATE_ERRORS)
def close_episode(
    episode_id: uuid.UUID,
    body: CloseIn,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> EpisodeOut:
    """Close an open episode on a date with a reason (closed is final)."""
    episode = EpisodeService(session, actor).close(
        episode_id,
        expected_version=integer_version(expected_version(if_match, body.version)),
        ended_on=body.ended_on,
        reason=body.reason,
        now=now,
    )
    return _answer(response, episode)
