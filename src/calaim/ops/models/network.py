"""Community networks: a lead organization contracts and bills for its member CBOs."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, uuid_pk


class NetworkMembership(Base):
    """A member CBO of a lead's network and its payment terms (the share it keeps)."""

    __tablename__ = "network_memberships"
    __table_args__ = (
        UniqueConstraint(
            "lead_organization_id",
            "member_organization_id",
            name="uq_network_memberships_lead_organization_id",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    lead_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    member_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), unique=True
    )
    # Of what the plan pays for the member's work: the member keeps `share` (0..1) ...
    share: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    # ... less a fixed fee per paid claim line kept by the lead.
    fee_per_line: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)


class NetworkRoute(Base):
    """A referral the lead received, routed on to one of its members (and why)."""

    __tablename__ = "network_routes"

    id: Mapped[uuid.UUID] = uuid_pk()
    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), unique=True
    )
    lead_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    member_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    routed_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    routed_at: Mapped[dt.datetime] = mapped_column()
    ranking: Mapped[list[Any]] = mapped_column(JSON, default=list)


class NetworkDistribution(Base):
    """What the lead passes on to one member for one month's paid work."""

    __tablename__ = "network_distributions"
    __table_args__ = (
        UniqueConstraint(
            "lead_organization_id",
            "member_organization_id",
            "period",
            name="uq_network_distributions_lead_organization_id",
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    lead_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    member_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[str] = mapped_column(String(7))
    lines: Mapped[int] = mapped_column()
    gross: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    lead_keeps: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    member_receives: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[dt.datetime] = mapped_column()
