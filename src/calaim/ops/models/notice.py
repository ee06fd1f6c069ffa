"""Notice records: what calaim sent (or must send) to a member or an organization, and when."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from calaim.ops.models.base import Base, enum_check, enum_column, uuid_pk
from calaim.ops.models.member import Member


class NoticeKind(StrEnum):
    """Why a notice was sent (DHCS closed-loop and utilization-management notice points)."""

    REFERRAL_RECEIVED = "referral_received"
    ASSIGNMENT_TO_MEMBER = "assignment_to_member"
    ASSIGNMENT_TO_REFERRER = "assignment_to_referrer"
    REFERRAL_ACCEPTED = "referral_accepted"
    REFERRAL_DECLINED = "referral_declined"
    REFERRAL_CLOSED = "referral_closed"
    AUTHORIZATION_APPROVED = "authorization_approved"
    AUTHORIZATION_DENIED = "authorization_denied"
    AUTHORIZATION_DELAYED = "authorization_delayed"
    ECM_DISCONTINUED = "ecm_discontinued"
    # Reentry: the receiving ECM provider and the plan hear of the handoff, date changes and
    # the release itself (docs/reentry.md).
    REENTRY_HANDOFF = "reentry_handoff"
    REENTRY_DATE_CHANGE = "reentry_date_change"
    REENTRY_RELEASE = "reentry_release"


class NoticeRecipient(StrEnum):
    """Who a notice is addressed to."""

    MEMBER = "member"
    ORGANIZATION = "organization"


class NoticeChannel(StrEnum):
    """How it was sent; DHCS closed-loop notices must be electronic unless agreed otherwise."""

    ELECTRONIC = "electronic"
    MAIL = "mail"


class Notice(Base):
    """One notice about one member, tied to the record it is about."""

    __tablename__ = "notices"
    __table_args__ = (
        enum_check("kind", NoticeKind, "kind"),
        enum_check("recipient", NoticeRecipient, "recipient"),
        enum_check("channel", NoticeChannel, "channel"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = enum_column(NoticeKind)
    recipient: Mapped[str] = enum_column(NoticeRecipient)
    # Set when the recipient is an organization (the referrer, the provider).
    recipient_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    channel: Mapped[str] = enum_column(NoticeChannel)
    # What the notice is about: ("referral" | "authorization" | "enrollment", its id).
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The caller's clock (request, CLI, file, demo script): no default, never the machine's.
    created_at: Mapped[dt.datetime] = mapped_column()
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # Notices name the member where they are shown (first name and last initial to referrers).
    member: Mapped[Member] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"Notice({self.kind!r} to {self.recipient!r})"
