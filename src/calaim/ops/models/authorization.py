"""Authorizations of ECM or a Community Support: requested, decided on a clock, dated."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk
from calaim.ops.models.member import Member


class AuthorizationStatus(StrEnum):
    """Where an authorization request is."""

    PENDING = "pending"
    # Service may start now; the plan still decides (ECM from 2025, some CS from 2025-07).
    PRESUMPTIVE = "presumptive"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"


class Urgency(StrEnum):
    """Which decision clock applies: routine (business days) or expedited (hours)."""

    ROUTINE = "routine"
    EXPEDITED = "expedited"


# Undecided requests: at most one per member and program, enforced by the database, so two
# simultaneous requests cannot both create one (a partial unique index; SQLite and PostgreSQL
# both have them). The service checks first for a clear message; the index settles races.
UNDECIDED_SQL = text("status IN ('pending', 'presumptive')")
ONE_UNDECIDED_INDEX = "uq_authorizations_undecided_member_program"


class DecisionBasis(StrEnum):
    """How a decision was reached."""

    ENGINE_ELIGIBLE = "engine_eligible"
    REVIEWER = "reviewer"


class Authorization(Base):
    """One request to authorize one program for one member, and the plan's decision."""

    __tablename__ = "authorizations"
    __table_args__ = (
        enum_check("status", AuthorizationStatus, "status"),
        enum_check("urgency", Urgency, "urgency"),
        Index(
            ONE_UNDECIDED_INDEX,
            "member_id",
            "program_id",
            unique=True,
            sqlite_where=UNDECIDED_SQL,
            postgresql_where=UNDECIDED_SQL,
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str] = mapped_column(String(60), index=True)
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), index=True
    )
    # The provider that will deliver the service (requester for presumptive authorizations).
    provider_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Set on a reauthorization: the authorization it extends.
    previous_authorization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("authorizations.id", ondelete="RESTRICT")
    )
    urgency: Mapped[str] = enum_column(Urgency)
    status: Mapped[str] = enum_column(AuthorizationStatus)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # The decision deadline computed from dated parameters on the business-day calendar.
    decision_due_at: Mapped[dt.datetime] = mapped_column()
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    decision_basis: Mapped[str | None] = mapped_column(String(20))
    denial_reason_code: Mapped[str | None] = mapped_column(String(20))
    denial_reason: Mapped[str | None] = mapped_column(Text)
    # Service dates covered: [start_date, end_date] inclusive.
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    # Presumptive authorizations cover service until this date while the plan decides.
    presumptive_until: Mapped[dt.date | None] = mapped_column(Date)
    # Optional limits on the service authorized (units in the program's unit; money in USD).
    units_authorized: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    amount_authorized: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    version: Mapped[int] = mapped_column(Integer)

    member: Mapped[Member] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Authorization({self.program_id!r}, status={self.status!r})"
