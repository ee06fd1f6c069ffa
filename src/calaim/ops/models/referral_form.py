"""The standardized referral form each referrer submits, kept per referral and referrer.

DHCS's standardized ECM referral forms and the Community Supports referral standards (policy-facts
§5.5) ask who is referring and how to reach them, why the member is referred and for what, how
urgent it is, how to reach the member, and whether the member agreed to the referral. A second
referrer joining an open loop keeps its own form, so its reason is not lost.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk


class ReferralUrgency(StrEnum):
    """How soon the referrer asks for the member to be seen."""

    ROUTINE = "routine"
    URGENT = "urgent"


class ContactPreference(StrEnum):
    """How the member prefers to be reached."""

    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    MAIL = "mail"
    IN_PERSON = "in_person"


class ReferralForm(Base):
    """One referrer's standardized referral form for one referral."""

    __tablename__ = "referral_forms"
    __table_args__ = (
        UniqueConstraint("referral_id", "organization_id"),
        enum_check("urgency", ReferralUrgency, "urgency"),
        enum_check("member_contact_preference", ContactPreference, "member_contact_preference"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), index=True
    )
    # The referring organization that submitted this form (the first referrer or a joiner).
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    submitted_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    source_kind: Mapped[str] = mapped_column(String(30))
    referrer_contact_name: Mapped[str | None] = mapped_column(String(200))
    referrer_contact_phone: Mapped[str | None] = mapped_column(String(20))
    referrer_contact_email: Mapped[str | None] = mapped_column(String(320))
    reason: Mapped[str | None] = mapped_column(Text)
    requested_services: Mapped[str | None] = mapped_column(String(500))
    urgency: Mapped[str] = enum_column(ReferralUrgency)
    member_phone: Mapped[str | None] = mapped_column(String(20))
    member_contact_preference: Mapped[str | None] = mapped_column(String(9))
    # Whether the member (or their representative) agreed to being referred.
    member_consented: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"ReferralForm(referral={self.referral_id}, urgency={self.urgency!r})"
