"""ECM assignment and enrollment: which provider serves a member, from outreach to discharge."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk
from calaim.ops.models.member import Member


class EnrollmentStatus(StrEnum):
    """The ECM benefit status of an assignment (MIF/RTF: assigned, enrolled, discontinued)."""

    ASSIGNED = "assigned"
    OUTREACH = "outreach"
    ENROLLED = "enrolled"
    DISCONTINUED = "discontinued"


class AssignmentReason(StrEnum):
    """Why this provider was assigned."""

    MATCHED = "matched"
    CONTINUITY = "continuity"
    PLAN_OVERRIDE = "plan_override"
    MEMBER_REQUEST = "member_request"


class Acuity(StrEnum):
    """The RTF's member acuity level."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Enrollment(Base):
    """One member's ECM episode with one provider: assigned, outreach, enrolled, discontinued."""

    __tablename__ = "enrollments"
    __table_args__ = (
        enum_check("status", EnrollmentStatus, "status"),
        enum_check("assignment_reason", AssignmentReason, "assignment_reason"),
        enum_check("acuity", Acuity, "acuity"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    plan_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    authorization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("authorizations.id", ondelete="RESTRICT")
    )
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = enum_column(EnrollmentStatus)
    assignment_reason: Mapped[str] = enum_column(AssignmentReason)
    assigned_on: Mapped[dt.date] = mapped_column(Date)
    outreach_started_on: Mapped[dt.date | None] = mapped_column(Date)
    enrolled_on: Mapped[dt.date | None] = mapped_column(Date)
    discontinued_on: Mapped[dt.date | None] = mapped_column(Date)
    discontinuation_reason_code: Mapped[str | None] = mapped_column(String(20))
    discontinuation_reason: Mapped[str | None] = mapped_column(Text)
    lead_care_manager_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    acuity: Mapped[str | None] = mapped_column(String(6))
    # Assigned without an ECM authorization in force (or against the engine's finding): the
    # plan's override, why, by whom and when (shown with the enrollment, audited).
    authorization_override_reason: Mapped[str | None] = mapped_column(Text)
    authorization_override_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    authorization_override_at: Mapped[dt.datetime | None] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(Integer)

    member: Mapped[Member] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Enrollment(status={self.status!r})"
