"""Community Supports service episodes and the units delivered under an authorization."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk
from calaim.ops.models.member import Member


class EpisodeStatus(StrEnum):
    """Whether service is being delivered."""

    OPEN = "open"
    CLOSED = "closed"


class ServiceEpisode(Base):
    """A member's Community Support from one provider under one authorization."""

    __tablename__ = "service_episodes"
    __table_args__ = (enum_check("status", EpisodeStatus, "status"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str] = mapped_column(String(60), index=True)
    authorization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("authorizations.id", ondelete="RESTRICT"), index=True
    )
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = enum_column(EpisodeStatus)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    closure_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)

    member: Mapped[Member] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class ServiceDelivery(Base):
    """Units of a Community Support delivered on one date (days, hours, items, meals, USD)."""

    __tablename__ = "service_deliveries"

    id: Mapped[uuid.UUID] = uuid_pk()
    episode_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_episodes.id", ondelete="RESTRICT"), index=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str] = mapped_column(String(60))
    service_date: Mapped[dt.date] = mapped_column(Date)
    # The program's unit (see the caps table): day, hour, month, meal, item.
    unit: Mapped[str] = mapped_column(String(10))
    units: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    # Money spent on this line, for dollar-capped services; never a float.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
