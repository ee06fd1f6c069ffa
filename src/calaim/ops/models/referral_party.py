"""Every organization that referred a member to the same open loop (duplicates join it)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calaim.ops.models.base import Base, utc_now, uuid_pk


class ReferralParty(Base):
    """An organization that referred into `referral_id`; it may follow the loop's status."""

    __tablename__ = "referral_parties"
    __table_args__ = (UniqueConstraint("referral_id", "organization_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    source_kind: Mapped[str] = mapped_column(String(30))
    joined_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
