"""Request and response bodies of the Community Supports episodes API (Pydantic v2).

Units and money are `Decimal`: requests accept a JSON string or number ("2.5" or 2.5);
responses always give a JSON string ("2.50"), so no value passes through a float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.http.fields import Stored, bounded
from calaim.ops.models import EpisodeStatus, ServiceDelivery, ServiceEpisode


class EpisodeCreate(BaseModel):
    """Open an episode under an approved (or presumptive) authorization naming the caller."""

    model_config = ConfigDict(extra="forbid")

    authorization_id: uuid.UUID
    started_on: dt.date


class DeliveryIn(BaseModel):
    """Units (in the program's unit) delivered on one date, and dollars where capped."""

    model_config = ConfigDict(extra="forbid")

    service_date: dt.date
    # Sized to the columns: Numeric(10, 2) and Numeric(12, 2).
    units: Annotated[Decimal, Field(max_digits=10, decimal_places=2)] = Field(
        description="In the program's unit (day, hour, meal, item, month)."
    )
    amount: Annotated[Decimal, Field(max_digits=12, decimal_places=2)] | None = Field(
        None, description="US dollars; required for services with a dollar cap."
    )
    note: Annotated[str, bounded(4000)] | None = None


class CloseIn(BaseModel):
    """Close an open episode on a date, with a reason (closed is final)."""

    model_config = ConfigDict(extra="forbid")

    ended_on: dt.date
    reason: Annotated[str, bounded(4000)]
    version: int | None = Field(None, ge=1, description="Instead of `If-Match`.")


class EpisodeOut(BaseModel):
    """A member's Community Support from one provider under one authorization."""

    id: uuid.UUID
    member_id: uuid.UUID
    program_id: str
    authorization_id: uuid.UUID
    provider_organization_id: uuid.UUID
    referral_id: uuid.UUID | None
    status: EpisodeStatus
    started_on: dt.date
    ended_on: dt.date | None
    closure_reason: str | None
    version: int = Field(description="Send it back in `If-Match` to close the episode.")


class DeliveryOut(BaseModel):
    """One recorded delivery."""

    id: uuid.UUID
    episode_id: uuid.UUID
    member_id: uuid.UUID
    program_id: str
    service_date: dt.date
    unit: str
    units: Stored
    amount: Stored | None
    note: str | None
    recorded_by_user_id: uuid.UUID
    recorded_at: dt.datetime


def episode_out(episode: ServiceEpisode) -> EpisodeOut:
    """The response body of an episode."""
    return EpisodeOut(
        id=episode.id,
        member_id=episode.member_id,
        program_id=episode.program_id,
        authorization_id=episode.authorization_id,
        provider_organization_id=episode.provider_organization_id,
        referral_id=episode.referral_id,
        status=EpisodeStatus(episode.status),
        started_on=episode.started_on,
        ended_on=episode.ended_on,
        closure_reason=episode.closure_reason,
        version=episode.version,
    )


def delivery_out(delivery: ServiceDelivery) -> DeliveryOut:
    """The response body of a delivery."""
    return DeliveryOut(
        id=delivery.id,
        episode_id=delivery.episode_id,
        member_id=delivery.member_id,
        program_id=delivery.program_id,
        service_date=delivery.service_date,
        unit=delivery.unit,
        units=delivery.units,
        amount=delivery.amount,
        note=delivery.note,
        recorded_by_user_id=delivery.recorded_by_user_id,
        recorded_at=delivery.recorded_at,
    )
