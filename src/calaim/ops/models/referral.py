"""Referrals for ECM or a Community Support, and their dated, attributed history."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk
from calaim.ops.models.member import Member


class ReferralStatus(StrEnum):
    """Where a referral is in its closed loop."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    SERVICES_RECEIVED = "services_received"
    CLOSED = "closed"


class ReferralEvent(StrEnum):
    """What a party does to a referral."""

    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    RECORD_SERVICES = "record_services"
    CLOSE = "close"


# A referral in one of these states still counts for duplicate detection.
OPEN_STATUSES: frozenset[ReferralStatus] = frozenset(
    {
        ReferralStatus.RECEIVED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.SERVICES_RECEIVED,
    }
)
TERMINAL_STATUSES: frozenset[ReferralStatus] = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.CLOSED}
)


# One open loop per member and program, enforced by the database so two simultaneous intakes
# cannot both create one (a partial unique index; SQLite and PostgreSQL both have them).
_OPEN = text("status IN (" + ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES)) + ")")


class ReferralSource(StrEnum):
    """Who sent the referral; DHCS accepts referrals from any source, members included."""

    PLAN = "plan"
    PROVIDER = "provider"
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    COUNTY_BEHAVIORAL_HEALTH = "county_behavioral_health"
    JAIL = "jail"
    MEMBER_OR_FAMILY = "member_or_family"
    OTHER = "other"


class Referral(Base):
    """One referral of one member to one program (`ecm` or a `cs.*` registry id)."""

    __tablename__ = "referrals"
    __table_args__ = (
        enum_check("status", ReferralStatus, "status"),
        enum_check("source_kind", ReferralSource, "source_kind"),
        Index(
            "uq_referrals_open_member_program",
            "member_id",
            "program_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str] = mapped_column(String(60), index=True)
    referring_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Empty until the plan assigns a provider.
    receiving_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    source_kind: Mapped[str] = enum_column(ReferralSource)
    status: Mapped[str] = enum_column(ReferralStatus)
    reason_codes: Mapped[str | None] = mapped_column(String(200))
    decline_reason: Mapped[str | None] = mapped_column(String(200))
    closure_reason: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(Integer)

    member: Mapped[Member] = relationship(lazy="joined")

    # Optimistic concurrency: SQLAlchemy checks and bumps `version` on every UPDATE, so a
    # write based on a stale read fails instead of silently overwriting someone's change.
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Referral({self.program_id!r}, status={self.status!r})"


class ReferralTransition(Base):
    """One step of a referral's lifecycle: from, to, when, by whom, why."""

    __tablename__ = "referral_transitions"
    __table_args__ = (
        enum_check("to_status", ReferralStatus, "to_status"),
        # A creation row has no prior status.
        enum_check("from_status", ReferralStatus, "from_status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(17))
    to_status: Mapped[str] = enum_column(ReferralStatus)
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"ReferralTransition({self.from_status!r} -> {self.to_status!r})"
