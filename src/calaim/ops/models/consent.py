"""Consents under 42 CFR Part 2: a member lets one organization see substance-use data."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


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
    # Consents may carry an end date; a revocation ends them from that day on.
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    def active_on(self, day: dt.date) -> bool:
        """Whether the consent covers `day`."""
        ended = (self.expires_on is not None and day > self.expires_on) or (
            self.revoked_on is not None and day >= self.revoked_on
        )
        return self.granted_on <= day and not ended
