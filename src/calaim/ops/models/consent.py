"""Consents under 42 CFR Part 2: a member lets one organization see substance-use data.

A consent is the member's written, signed form; the member's plan records it and attests that
it holds the form (who recorded it, which document, what it covers, until when). A provider
may only ask for one (`Part2ConsentRequest`), which the plan answers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, enum_check, enum_column, utc_now, uuid_pk


class Part2Consent(Base):
    """A member's written consent for `organization_id` to receive Part 2 data, over dates."""

    __tablename__ = "part2_consents"

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    granted_on: Mapped[dt.date] = mapped_column(Date)
    # Consents carry an end date (42 CFR 2.31: an expiration); a revocation ends them sooner.
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    # The plan staff member who recorded it, attesting that the plan holds the signed form.
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # Where the signed form is (a document number, a file name in the plan's records).
    document_reference: Mapped[str | None] = mapped_column(String(200))
    # What may be disclosed and for what purpose, as the form says.
    scope: Mapped[str | None] = mapped_column(Text)
    # The provider's request this consent answers, if any.
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("part2_consent_requests.id", ondelete="RESTRICT")
    )
    revoked_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )

    def active_on(self, day: dt.date) -> bool:
        """Whether the consent covers `day`."""
        ended = (self.expires_on is not None and day > self.expires_on) or (
            self.revoked_on is not None and day >= self.revoked_on
        )
        return self.granted_on <= day and not ended


class ConsentRequestStatus(StrEnum):
    """Where a provider's request for a member's Part 2 consent is."""

    OPEN = "open"
    RECORDED = "recorded"  # the plan recorded the member's signed consent
    DECLINED = "declined"  # the member declined, or the plan could not obtain it


class Part2ConsentRequest(Base):
    """A provider asks the member's plan to obtain the member's Part 2 consent for it."""

    __tablename__ = "part2_consent_requests"
    __table_args__ = (enum_check("status", ConsentRequestStatus, "status"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    # The requesting organization: always the requester's own.
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = enum_column(ConsentRequestStatus)
    requested_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    requested_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    answered_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    answered_at: Mapped[dt.datetime | None] = mapped_column()
    answer_note: Mapped[str | None] = mapped_column(Text)
